"""Scoring: pure functions from a golden item and a parsed reply to a Verdict."""
