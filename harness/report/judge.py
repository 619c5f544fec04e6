"""The judge's part of report.md and report.html (pure): how far it agrees with the rules, what it cost,
and the items on which the two disagree, listed both ways."""

from __future__ import annotations

from harness.judge.agreement import Disagreement, JudgeSection
from harness.report.tables import clip, fmt, shown

JUDGE_NOTE = (
    "Agreement and Cohen's kappa between the rules' verdict and the judge's, each with a 95% interval. "
    "Kappa corrects agreement for chance: 1 is perfect, 0 is what two coin flips with the same rates reach, "
    "above 0.6 is usually read as substantial. Self-agreement: the consistency sample judged twice, "
    "the compared fields in the other order."
)


def policy_line(section: JudgeSection) -> str:
    """Which verdict the headline metrics count, and how the judge fared."""
    counted = {
        "rules": "the rules' verdicts (the judge's are shown beside them)",
        "judge": "the judge's verdicts where it ruled, the rules' elsewhere",
        "both": "an item as correct only when the rules and the judge both accept it",
    }[section.policy]
    return (
        f"Judge {section.model}, policy {section.policy}: the headline metrics count {counted}. "
        f"{section.judged} results judged, {section.errors} judge errors (their rules' verdict stands); "
        f"self-agreement {fmt(section.self_agreement)}."
    )


def agreement_rows(section: JudgeSection) -> list[list[str]]:
    rows = [["model", "task", "compared", "agreement", "kappa", "rules only", "judge only", "judge errors"]]
    for a in section.agreements:
        rows.append(
            [
                shown(a.model),
                a.task,
                a.measure,
                fmt(a.agreement),
                fmt(a.kappa),
                str(a.rules_only),
                str(a.judge_only),
                str(a.judge_errors),
            ]
        )
    return rows


def cost_row(section: JudgeSection) -> list[list[str]]:
    u = section.usage
    cost = "-" if u.cost_usd is None else f"{u.cost_usd:.4f}"
    header = ["judge", "calls", "from cache", "prompt tokens", "cached prompt tokens", "completion tokens", "USD"]
    calls = [str(u.items), str(u.from_cache), str(u.prompt_tokens), str(u.cached_tokens), str(u.completion_tokens)]
    return [header, [u.model, *calls, cost]]


def disagreement_rows(items: list[Disagreement]) -> list[list[str]]:
    rows = [["model", "item", "rules", "why (rules)", "judge", "why (judge)"]]
    for d in items:
        judge = "accepts" if d.judge_accepts else "rejects"
        rules = f"{d.rules} ({'accepts' if d.rules_accepts else 'rejects'})"
        rows.append([shown(d.model), d.id, rules, clip(d.rules_reason, 120), judge, clip(d.judge_reason, 160)])
    return rows


def judge_tables(section: JudgeSection) -> list[tuple[str, list[list[str]]]]:
    """The judge's tables, titled: agreement, cost, and the disagreements both ways."""
    return [
        ("Judge against the rules", agreement_rows(section)),
        ("Judge calls and cost (apart from the models under test)", cost_row(section)),
        ("The rules accept, the judge rejects", disagreement_rows(section.rules_only)),
        ("The judge accepts, the rules reject", disagreement_rows(section.judge_only)),
    ]
