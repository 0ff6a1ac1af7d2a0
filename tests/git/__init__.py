"""Tests of plankeeper/git."""
