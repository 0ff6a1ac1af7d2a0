"""Tests of plankeeper/plans."""
