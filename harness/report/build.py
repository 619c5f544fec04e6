"""A report from results: every metric (``harness.metrics``), usage, worst items and every item's view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.config import JudgeConfig
from harness.goldens import Golden
from harness.judge.agreement import judge_section
from harness.judge.policy import decide
from harness.manifest import Manifest
from harness.metrics import Price, all_metrics, item_score, usage, worst
from harness.report.model import Inputs, ReportItem, RunReport, WorstItem
from harness.tasks import task
from harness.tasks.factcheck import confusion
from harness.types import ItemOutcome, ItemResult, Outcome


def build_report(
    run_id: str,
    status: str,
    results: Sequence[ItemResult],
    prices: Mapping[str, Price] | None = None,
    worst_n: int = 15,
    goldens: Mapping[str, Golden] | None = None,
    inputs: Inputs | None = None,
    judge: JudgeConfig | None = None,
) -> RunReport:
    """Every metric per model x prompt x task, overall and per tag, with usage, worst items and every item
    (with its question and golden answer when ``goldens`` are given); with a ``judge``, its section, and
    every verdict as its policy counts it (``harness.judge.policy``)."""
    section, rules = None, {}
    if judge is not None:
        section = judge_section(judge, (inputs or Inputs()).prompts, results, prices)
        rules = {(r.model, r.id): r.outcome for r in results}
        results = [decide(r, judge.policy) for r in results]
    outcomes = [ItemOutcome.of(r) for r in results]
    return RunReport(
        run_id=run_id,
        status=status,
        inputs=inputs or Inputs(),
        metrics=all_metrics(outcomes),
        usage=usage(outcomes, prices),
        confusion=confusion(outcomes),
        worst=[
            WorstItem(model=r.model, id=r.id, outcome=r.outcome, reason=r.reason, answer=_answer_text(r))
            for r in worst(results, worst_n)
        ],
        items=[_item(r, goldens or {}, rules) for r in results],
        judge=section,
    )


def run_inputs(manifest: Manifest) -> Inputs:
    """What makes a run comparable, from its manifest: the inputs' sha256, and the judge's setup."""
    j = manifest.config.judge
    judge = {}
    if j is not None:
        judge = {"model": j.model, "policy": j.policy}
        judge.update({ref: sha for ref, sha in manifest.prompts.items() if ref.startswith("judge/")})
    return Inputs(seeds=manifest.seeds, goldens=manifest.goldens, prompts=manifest.prompts, judge=judge)


def _answer_text(r: ItemResult) -> str | None:
    answer = task(r.task).answer_text(r.parsed) if r.parsed is not None else None
    return r.raw if answer is None else answer


def _evidence_text(r: ItemResult) -> str | None:
    return task(r.task).evidence_text(r.parsed) if r.parsed is not None else None


def _item(r: ItemResult, goldens: Mapping[str, Golden], rules: Mapping[tuple[str, str], Outcome]) -> ReportItem:
    golden = goldens.get(r.seed)
    view = task(r.task).view(golden, r.item) if golden is not None else None
    return ReportItem(
        model=r.model,
        prompt=r.prompt_ref,
        id=r.id,
        seed=r.seed,
        task=r.task,
        tags=list(r.tags),
        outcome=r.outcome,
        reason=r.reason,
        score=item_score(r),
        question=view.question if view else None,
        expected=view.expected if view else None,
        golden_evidence=view.evidence if view else None,
        answer=_answer_text(r),
        evidence=_evidence_text(r),
        grounded=r.grounded,
        checks=task(r.task).checks(r.details),
        details=r.details,
        judge=r.judge,
        rules=rules.get((r.model, r.id)) if rules.get((r.model, r.id), r.outcome) != r.outcome else None,
    )
