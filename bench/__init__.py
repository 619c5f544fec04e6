"""Benchmarks for issue 7: latency hiding, overhead over the bare SDK, cached re-runs and
llama.cpp prefix-cache reuse. Run with ``make bench`` or ``python -m bench``; see bench/README.md."""
