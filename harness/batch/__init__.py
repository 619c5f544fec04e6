"""Batch files for existing engines: the OpenAI Batch API's format, which vLLM's offline ``run-batch``
reads and writes too.

- ``export.py``: ``harness batch export``: a run planned but not sent; its requests written as batch
  input files (one JSON a line, ``body`` exactly the request the online path sends), split at the
  API's limits;
- ``imports.py``: ``harness batch import``: output and error files read back, every reply scored by
  the same code as online and appended to the run's results.jsonl; importing twice adds nothing.
"""
