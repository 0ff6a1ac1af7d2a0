"""Tests of plankeeper/commands: each command end to end."""
