"""TODOs: the lexer engine, the language table, the scanner and the tracking rule."""
