"""plankeeper inside a coding agent's session: the start and stop hooks of each runtime."""
