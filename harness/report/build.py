"""A report from results: every metric (``harness.metrics``), usage, worst items and every item's view."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from harness.config import JudgeConfig
from harness.goldens import Golden
from harness.judge.agreement import JudgeSection, judge_section
from harness.judge.policy import decide
from harness.manifest import Manifest
from harness.metrics import Price, Spending, Worst, all_metrics, item_score
from harness.outcomes import Outcomes
from harness.report.model import Inputs, ReportItem, RunReport, WorstItem
from harness.report.rows import REPORT_ITEMS, Rows
from harness.tasks import task
from harness.tasks.factcheck import confusion
from harness.types import ItemResult, Outcome


class Gathered:
    """What a report reads of a run's results, gathered as they stream by (``add``, in results.jsonl's
    order): the outcomes its metrics read, spending, the worst items and the item rows (golden views from
    ``goldens``, every row up to ``items_max`` results, else the page's sample: ``report.rows``; ``rules``:
    the rules' outcome of each judged result, shown beside the judge's)."""

    def __init__(
        self,
        goldens: Mapping[str, Golden] | None = None,
        worst_n: int = 15,
        items_max: int | None = REPORT_ITEMS,
        total: int | None = None,
        rules: Mapping[tuple[str, str], Outcome] | None = None,
    ) -> None:
        self.outcomes, self.spending, self.worst = Outcomes(), Spending(), Worst(worst_n)
        self.rows = Rows(lambda r: _item(r, goldens or {}, rules or {}), items_max, total)

    def add(self, r: ItemResult) -> None:
        self.outcomes.add(r)
        self.spending.add(r)
        self.worst.add(r)
        self.rows.add(r)


def build_report(
    run_id: str,
    status: str,
    results: Iterable[ItemResult],
    prices: Mapping[str, Price] | None = None,
    worst_n: int = 15,
    goldens: Mapping[str, Golden] | None = None,
    inputs: Inputs | None = None,
    judge: JudgeConfig | None = None,
    items_max: int | None = REPORT_ITEMS,
    total: int | None = None,
    gathered: Gathered | None = None,
) -> RunReport:
    """Every metric per model x prompt x task, overall and per tag, usage, worst items and item rows
    (``Gathered``; ``total``: the results' count, when known); with a ``judge``, its section and every
    verdict as its policy counts it (``judge.policy``). ``results`` are read once, as they stream, unless
    they were ``gathered`` already (as an import writes them; not with a judge)."""
    section, rules = None, dict[tuple[str, str], Outcome]()
    if judge is not None:
        assert gathered is None, "a judged run's results are read here: the judge's section pairs them"
        section, rules, results = _judged(list(results), judge, inputs or Inputs(), prices)
    if gathered is None:
        gathered = Gathered(goldens, worst_n, items_max, total, rules)
        for r in results:
            gathered.add(r)
    items, sampled = gathered.rows.rows()
    return RunReport(
        run_id=run_id,
        status=status,
        inputs=inputs or Inputs(),
        metrics=all_metrics(gathered.outcomes),
        usage=gathered.spending.usage(prices),
        confusion=confusion(gathered.outcomes),
        worst=[_worst(r) for r in gathered.worst.results()],
        items=items,
        sampled=sampled,
        judge=section,
    )


def _worst(r: ItemResult) -> WorstItem:
    return WorstItem(model=r.model, id=r.id, outcome=r.outcome, reason=r.reason, answer=answer_text(r))


def _judged(
    results: list[ItemResult], judge: JudgeConfig, inputs: Inputs, prices: Mapping[str, Price] | None
) -> tuple[JudgeSection, dict[tuple[str, str], Outcome], list[ItemResult]]:
    """The judge's section, the rules' outcomes and the results as the judge's policy counts them (the
    section pairs every ruling with the rules' verdict: a judged run's results are held)."""
    section = judge_section(judge, inputs.prompts, results, prices)
    rules = {(r.model, r.id): r.outcome for r in results}
    return section, rules, [decide(r, judge.policy) for r in results]


def comparable_items(results: Iterable[ItemResult], judge: JudgeConfig | None = None) -> list[ReportItem]:
    """Every result as a report row from the result alone (no golden view, no details), as the judge's policy
    counts it: how a judged run past REPORT_ITEMS results is compared (others pair ``report.lean`` rows)."""
    policy = judge.policy if judge is not None else "rules"
    return [ReportItem.model_construct(**_own_fields(decide(r, policy))) for r in results]


def _own_fields(r: ItemResult) -> dict[str, Any]:
    """The fields of a result's row that come from the result alone (no golden, no judge)."""
    return {
        "model": r.model,
        "prompt": r.prompt_ref,
        "id": r.id,
        "seed": r.seed,
        "task": r.task,
        "tags": list(r.tags),
        "outcome": r.outcome,
        "reason": r.reason,
        "score": item_score(r),
        "answer": answer_text(r),
        "checks": task(r.task).checks(r.details),
    }


def run_inputs(manifest: Manifest) -> Inputs:
    """What makes a run comparable, from its manifest: the inputs' sha256, and the judge's setup."""
    j = manifest.config.judge
    judge = {}
    if j is not None:
        judge = {"model": j.model, "policy": j.policy}
        judge.update({ref: sha for ref, sha in manifest.prompts.items() if ref.startswith("judge/")})
    return Inputs(seeds=manifest.seeds, goldens=manifest.goldens, prompts=manifest.prompts, judge=judge)


def answer_text(r: ItemResult) -> str | None:
    answer = task(r.task).answer_text(r.parsed) if r.parsed is not None else None
    return r.raw if answer is None else answer


def _evidence_text(r: ItemResult) -> str | None:
    return task(r.task).evidence_text(r.parsed) if r.parsed is not None else None


def _item(r: ItemResult, goldens: Mapping[str, Golden], rules: Mapping[tuple[str, str], Outcome]) -> ReportItem:
    golden = goldens.get(r.seed)
    view = task(r.task).view(golden, r.item) if golden is not None else None
    return ReportItem(
        **_own_fields(r),
        question=view.question if view else None,
        expected=view.expected if view else None,
        golden_evidence=view.evidence if view else None,
        evidence=_evidence_text(r),
        grounded=r.grounded,
        details=r.details,
        judge=r.judge,
        rules=rules.get((r.model, r.id)) if rules.get((r.model, r.id), r.outcome) != r.outcome else None,
    )
