"""Tests of plankeeper/report."""
