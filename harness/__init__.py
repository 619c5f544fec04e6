"""harness: evaluate how faithfully an LLM answers, summarises and fact-checks articles."""

__version__ = "0.1.0"
