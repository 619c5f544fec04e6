"""Scoring: a reply becomes a Verdict (``score.py``): error, then schema, then the task's own rules
(``harness/tasks/``), built from the shared matching rules (``harness/matching/``)."""
