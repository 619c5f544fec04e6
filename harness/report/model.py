"""report.json as records: the report, its items, the inputs that make runs comparable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from harness.judge.agreement import JudgeSection
from harness.metrics import GroupUsage, Metric
from harness.names import TaskName
from harness.types import Details, JudgeVerdict, Outcome

REPORT_FORMAT = 2  # 2: per-item records and input hashes, so a report alone can be compared


class WorstItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    id: str
    outcome: Outcome
    reason: str
    answer: str | None


class Inputs(BaseModel):
    """sha256 of the seeds, goldens and prompts a run used (from its manifest): what makes runs comparable."""

    model_config = ConfigDict(frozen=True)

    seeds: dict[str, str] = {}
    goldens: dict[str, str] = {}
    prompts: dict[str, str] = {}
    judge: dict[str, str] = {}  # the judge's model, policy and prompts' sha256 ({} without a judge)


class ReportItem(BaseModel):
    """One result as a reader (and ``harness compare``) needs it: asked, expected, answered, judged."""

    model_config = ConfigDict(frozen=True)

    model: str
    prompt: str
    id: str  # <seed>/<task>/<item>#<sample>
    seed: str
    task: TaskName
    tags: list[str]
    outcome: Outcome
    reason: str
    score: float | None  # 1/0 for correct; summary: key-fact coverage; None for an infrastructure error
    question: str | None = None
    expected: str | None = None
    golden_evidence: str | None = None
    answer: str | None = None
    evidence: str | None = None
    grounded: bool | None = None
    checks: dict[str, bool] = {}  # verdicts beside the outcome (factcheck: right_reason, correction, ...)
    details: Details = None  # what the verdict rests on (a summary: each fact and the sentence that states it)
    judge: JudgeVerdict | None = None  # the judge's ruling, when a judge ruled (harness run --judge)
    rules: Outcome | None = None  # the rules' outcome, when --judge-policy counts another one as ``outcome``


class ItemSample(BaseModel):
    """What a sampled report's ``items`` are: how many results the run has and how many are listed."""

    model_config = ConfigDict(frozen=True)

    results: int
    failed: int  # results whose outcome is not correct
    failed_shown: int
    passed_shown: int

    def note(self) -> str:
        return (
            f"This run has {self.results} results, too many for one page: shown are {self.failed_shown} of its "
            f"{self.failed} failed results (the first failed items) and {self.passed_shown} correct results of "
            "a sample of the passed items, in proportion per task. Every result is in results.jsonl."
        )


class RunReport(BaseModel):
    """report.json."""

    model_config = ConfigDict(frozen=True)

    format_version: int = REPORT_FORMAT
    run_id: str
    status: str
    inputs: Inputs = Inputs()
    metrics: list[Metric]
    usage: list[GroupUsage]
    confusion: dict[str, dict[str, dict[str, int]]]  # model -> gold -> predicted -> count
    worst: list[WorstItem]
    items: list[ReportItem] = []
    # Set when ``items`` is not every result but the page's sample (a run above REPORT_ITEMS results;
    # harness/report/rows.py): every result is in results.jsonl.
    sampled: ItemSample | None = None
    judge: JudgeSection | None = None  # how far the judge agrees with the rules, and what it cost
