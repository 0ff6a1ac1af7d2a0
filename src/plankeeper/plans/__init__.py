"""Plans: the markdown block parser, the plan model, its sections and their cache."""
