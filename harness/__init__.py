"""harness: evaluate how faithfully an LLM answers, summarises and fact-checks articles.

The public API (the CLI is a thin layer over it; see ``harness/api.py``):

    from harness import RunConfig, run, write_run_reports
    summary = run(RunConfig(models=("baseline/lexical",)))
    report = write_run_reports(summary)      # report.json, report.md, report.html in summary.folder
"""

from harness.api import check, comparison, locate_report, resume, run, score, write_run_reports
from harness.compare import Comparison, compare, gate
from harness.config import RunConfig
from harness.errors import HarnessError
from harness.plan import plan
from harness.report import RunReport, load_report, write_reports
from harness.runner import RunSummary, load_inputs
from harness.scoring.scorer import RuleScorer, Scorer
from harness.tasks import Task, register
from harness.types import GenerationSettings, ItemResult, ModelReply, Verdict, WorkItem

__version__ = "0.1.0"
__all__ = [
    "Comparison",
    "GenerationSettings",
    "HarnessError",
    "ItemResult",
    "ModelReply",
    "RuleScorer",
    "RunConfig",
    "RunReport",
    "RunSummary",
    "Scorer",
    "Task",
    "Verdict",
    "WorkItem",
    "check",
    "compare",
    "comparison",
    "gate",
    "load_inputs",
    "load_report",
    "locate_report",
    "plan",
    "register",
    "resume",
    "run",
    "score",
    "write_reports",
    "write_run_reports",
]
