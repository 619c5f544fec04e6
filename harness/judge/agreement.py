"""How far the judge and the rules agree in one run: pure functions from results to the report's judge
section (rendered in report.md and report.html).

Per model under test and task: agreement and Cohen's kappa between the rules' verdict and the judge's
(each with a 95% interval), how often each accepted what the other rejected, and judge errors; for
summaries also per key fact (the rules' "stated" against the judge's). The judge's self-agreement is
the share of the consistency sample on which its two rulings (the blocks in either order) agree. The
disagreements are listed both ways, with both reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from harness.agree.figures import agreement
from harness.config import JudgeConfig
from harness.metrics import GroupUsage, Price
from harness.stats import Estimate, wilson
from harness.types import CoverageDetails, ItemResult, LabelDetails, Outcome

DISAGREEMENTS_SHOWN = 25  # of each kind, per report


class JudgeAgreement(BaseModel):
    """The rules against the judge on one model's items of one task (``measure``: what is compared)."""

    model_config = ConfigDict(frozen=True)

    model: str
    task: str
    measure: str  # "verdict" (the item's), "correction" (a fact check's), "key fact" (each of a summary's)
    n: int
    agreement: Estimate
    kappa: Estimate
    rules_only: int  # the rules accept, the judge rejects
    judge_only: int  # the judge accepts, the rules reject
    judge_errors: int


class Disagreement(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    id: str
    rules: Outcome
    rules_accepts: bool  # the item's verdict, or for a fact check its correction's
    rules_reason: str
    judge_accepts: bool
    judge_reason: str


class JudgeSection(BaseModel):
    """report.json's ``judge``: who judged, under which policy, how far it agrees, what it cost."""

    model_config = ConfigDict(frozen=True)

    model: str
    policy: str
    prompts: dict[str, str]  # judge prompt ref -> sha256
    judged: int  # results with a judge verdict
    errors: int  # of them, the judge failed (the rules' verdict stands)
    agreements: list[JudgeAgreement]
    self_agreement: Estimate  # the consistency sample: the same ruling with the blocks swapped
    usage: GroupUsage
    rules_only: list[Disagreement] = []
    judge_only: list[Disagreement] = []


def _figures(model: str, task: str, measure: str, pairs: Sequence[tuple[bool, bool]], errors: int) -> JudgeAgreement:
    """``pairs`` are (rules, judge): the figures `harness agree` gives a scorer against people."""
    a = agreement("rules", pairs)
    return JudgeAgreement(
        model=model,
        task=task,
        measure=measure,
        n=a.n,
        agreement=a.agreement,
        kappa=a.kappa,
        rules_only=a.false_accepts,
        judge_only=a.false_rejects,
        judge_errors=errors,
    )


def rules_accept(r: ItemResult) -> bool:
    """What the rules said on what the judge ruled on: a fact check's correction, else the item."""
    if isinstance(r.details, LabelDetails):
        return r.details.correction is True
    return r.outcome == "correct"


def _measure(r: ItemResult) -> str:
    return "correction" if isinstance(r.details, LabelDetails) else "verdict"


def _ruled(results: Sequence[ItemResult]) -> list[ItemResult]:
    """Results the rules judged and the judge ruled on without error."""
    return [r for r in results if r.judge is not None and r.judge.accepted is not None]


def _key_facts(r: ItemResult) -> list[tuple[bool, bool]]:
    d, j = r.details, r.judge
    if not isinstance(d, CoverageDetails) or j is None or j.coverage is None:
        return []
    return [(fact in d.covered, fact in j.stated) for fact in (*d.covered, *d.missed)]


def agreements(results: Sequence[ItemResult]) -> list[JudgeAgreement]:
    """The rules against the judge per model and task (and per key fact for summaries)."""
    groups: dict[tuple[str, str], list[ItemResult]] = defaultdict(list)
    for r in results:
        if r.judge is not None:
            groups[(r.model, r.task)].append(r)
    out = []
    for (model, task), group in sorted(groups.items()):
        errors = sum(r.judge is not None and r.judge.accepted is None for r in group)
        ruled = _ruled(group)
        pairs = [(rules_accept(r), bool(r.judge and r.judge.accepted)) for r in ruled]
        out.append(_figures(model, task, _measure(group[0]), pairs, errors))
        facts = [pair for r in ruled for pair in _key_facts(r)]
        if facts:
            out.append(_figures(model, task, "key fact", facts, errors))
    return out


def _disagreement(r: ItemResult) -> Disagreement:
    return Disagreement(
        model=r.model,
        id=r.id,
        rules=r.outcome,
        rules_accepts=rules_accept(r),
        rules_reason=r.reason,
        judge_accepts=bool(r.judge and r.judge.accepted),
        judge_reason=r.judge.reason if r.judge else "",
    )


def judge_usage(name: str, results: Sequence[ItemResult], price: Price | None) -> GroupUsage:
    """The judge's own calls: tokens and cost apart from the models under test's."""
    verdicts = [r.judge for r in results if r.judge is not None]
    spent = [v for v in verdicts if not v.cached]
    prompt = sum(v.usage.prompt_tokens for v in spent)
    cached = sum(v.usage.cached_tokens for v in spent)
    completion = sum(v.usage.completion_tokens for v in spent)
    cost = None if price is None else round(price.cost(prompt, cached, completion), 6)
    return GroupUsage(
        model=name,
        items=sum(v.calls for v in verdicts),
        from_cache=sum(v.calls for v in verdicts if v.cached),
        prompt_tokens=prompt,
        completion_tokens=completion,
        cached_tokens=cached,
        latency_p50_s=None,
        latency_p95_s=None,
        errors=sum(v.error is not None for v in verdicts),
        invalid=0,
        cost_usd=cost,
    )


def judge_section(
    config: JudgeConfig,
    prompts: Mapping[str, str],
    results: Sequence[ItemResult],
    prices: Mapping[str, Price] | None = None,
) -> JudgeSection:
    """The report's judge section over the rules' verdicts in ``results`` (before any policy)."""
    ruled = _ruled(results)
    twice = [(r.judge.accepted, r.judge.swapped) for r in ruled if r.judge and r.judge.swapped is not None]
    differ = [r for r in ruled if rules_accept(r) != bool(r.judge and r.judge.accepted)]
    return JudgeSection(
        model=config.model,
        policy=config.policy,
        prompts={ref: sha for ref, sha in prompts.items() if ref.startswith("judge/")},
        judged=sum(r.judge is not None for r in results),
        errors=sum(r.judge is not None and r.judge.accepted is None for r in results),
        agreements=agreements(results),
        self_agreement=wilson(sum(a == b for a, b in twice), len(twice)),
        usage=judge_usage(f"judge: {config.model}", results, (prices or {}).get(config.model)),
        rules_only=[_disagreement(r) for r in differ if rules_accept(r)][:DISAGREEMENTS_SHOWN],
        judge_only=[_disagreement(r) for r in differ if not rules_accept(r)][:DISAGREEMENTS_SHOWN],
    )
