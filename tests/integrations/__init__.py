"""Tests of the pre-commit, native hook, GitHub Action and event integrations."""
