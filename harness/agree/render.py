"""`harness agree` on a terminal: the report as tables (pure: report in, rich renderables out)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from harness.agree import AgreeReport, Example
from harness.agree.figures import Agreement
from harness.stats import Estimate


def _pct(est: Estimate) -> str:
    if est.value is None or est.lo is None or est.hi is None:
        return "-"
    return f"{est.value:.1%} [{est.lo:.1%}, {est.hi:.1%}]"


def _kappa(est: Estimate) -> str:
    if est.value is None or est.lo is None or est.hi is None:
        return "-"
    return f"{est.value:.3f} [{est.lo:.2f}, {est.hi:.2f}]"


def _table(title: str, first: str, rows: dict[str, Agreement]) -> Table:
    table = Table(title=Text(title))
    for name in (first, "n", "agreement [95%]", "kappa [95%]", "false accepts", "false rejects"):
        table.add_column(name, justify="left" if name == first else "right", overflow="fold")
    for name, a in rows.items():
        table.add_row(
            Text(name), str(a.n), _pct(a.agreement), _kappa(a.kappa), str(a.false_accepts), str(a.false_rejects)
        )
    return table


def _examples(title: str, examples: list[Example]) -> Table:
    table = Table(title=Text(title), show_lines=True)
    for name in ("line", "question", "gold answers", "candidate", "rule: reason"):
        table.add_column(name, overflow="fold")
    for e in examples:
        answers = " | ".join(e.answers)
        table.add_row(
            str(e.line), Text(e.question), Text(answers), Text(e.candidate[:300]), Text(f"{e.rule}: {e.reason}")
        )
    return table


def _ablation(report: AgreeReport) -> Table:
    table = Table(title=Text("What each rule is worth: the harness with that rule off"))
    for name in ("rule", "agreement without it", "change (points)", "false accepts", "false rejects", "what it does"):
        table.add_column(name, justify="left" if name in ("rule", "what it does") else "right", overflow="fold")
    full = report.harness.agreement.value or 0.0
    for a in report.ablation:
        value = a.without.agreement.value or 0.0
        table.add_row(
            a.rule,
            f"{value:.2%}",
            f"{100 * (full - value):+.2f}",
            f"{a.without.false_accepts - report.harness.false_accepts:+d}",
            f"{a.without.false_rejects - report.harness.false_rejects:+d}",
            Text(a.meaning),
        )
    return table


def agree_tables(report: AgreeReport) -> RenderableType:
    """Everything `harness agree` prints, in reading order."""
    people = "-" if report.people_accept is None else f"{report.people_accept:.1%}"
    off = f"; rules off: {', '.join(report.rules_off)}" if report.rules_off else ""
    head = f"{report.file}: {report.rows} rows ({report.bad_rows} bad rows left out); people accept {people}{off}"
    scorers = {"harness": report.harness} | {b.scorer: b for b in report.baselines}
    parts: list[RenderableType] = [Text(head), _table("Agreement with people", "scorer", scorers)]
    parts.append(_table("The harness by type", "type", report.by_type))
    if report.by:
        parts.append(_table(f"The harness by {report.by}", report.by, report.by_field))
    if report.false_accepts:
        parts.append(_examples("False accepts (harness yes, person no)", report.false_accepts))
    if report.false_rejects:
        parts.append(_examples("False rejects (harness no, person yes)", report.false_rejects))
    if report.ablation:
        parts.append(_ablation(report))
    return Group(*parts)
