"""Tests of plankeeper/checks."""
