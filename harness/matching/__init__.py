"""Matching rules shared by every task: how text, numbers, dates, abstentions and quotes are read.

- ``text``: normalisation (typography, case, accents, punctuation, articles), phrases on word
  boundaries, token F1;
- ``numbers``: numbers in digits or words, and groups of numbers offered as alternatives;
- ``dates``: dates at year, month or day precision;
- ``abstention``: an answer that declines ("not stated", "unknown");
- ``evidence``: whether a quote is the article's own words;
- ``sentences``: the article's sentences and the one that best matches a subject.

Each is a set of pure functions; tasks (``harness/tasks/``) combine them into verdicts.
"""
