"""Tests of plankeeper/todos."""
