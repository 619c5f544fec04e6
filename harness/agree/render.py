"""`harness agree` on a terminal: the report as tables (pure: report in, rich renderables out)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from harness.agree import AgreeReport, Example
from harness.agree.figures import Agreement
from harness.report.tables import md_table
from harness.stats import Estimate


def _pct(est: Estimate) -> str:
    if est.value is None or est.lo is None or est.hi is None:
        return "-"
    return f"{100 * est.value:.1f} [{100 * est.lo:.1f}, {100 * est.hi:.1f}]"


def _kappa(est: Estimate) -> str:
    if est.value is None or est.lo is None or est.hi is None:
        return "-"
    return f"{est.value:.2f} [{est.lo:.2f}, {est.hi:.2f}]"


def _table(title: str, first: str, rows: dict[str, Agreement], caption: str | None = None) -> Table:
    table = Table(title=Text(title), caption=caption)
    table.add_column(first, overflow="fold", min_width=12)
    for name in ("n", "agree % [95% CI]", "kappa [95% CI]", "FA", "FR"):
        table.add_column(name, justify="right", no_wrap=True)
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


def _effects(report: AgreeReport) -> list[list[str]]:
    """Per rule: the harness's agreement without it, and what the rule does (with it minus without it)."""
    rows = [["rule", "agreement without it", "its effect: points", "FA", "FR"]]
    full = report.harness.agreement.value or 0.0
    for a in report.ablation:
        value = a.without.agreement.value or 0.0
        rows.append(
            [
                a.rule,
                f"{value:.2%}",
                f"{100 * (full - value):+.2f}",
                f"{report.harness.false_accepts - a.without.false_accepts:+d}",
                f"{report.harness.false_rejects - a.without.false_rejects:+d}",
            ]
        )
    return rows


def _ablation(report: AgreeReport) -> Table:
    table = Table(title=Text("What each rule is worth (docs/scoring.md says what each does)"))
    rows = _effects(report)
    for name in rows[0]:
        table.add_column(name, justify="left" if name == "rule" else "right", no_wrap=True)
    for row in rows[1:]:
        table.add_row(*row)
    return table


def _scorers(report: AgreeReport) -> dict[str, Agreement]:
    """The harness, the baselines and a judge, each against the people."""
    judge = {"judge": report.judge} if report.judge is not None else {}
    return {"harness": report.harness} | {b.scorer: b for b in report.baselines} | judge


def agree_tables(report: AgreeReport) -> RenderableType:
    """Everything `harness agree` prints, in reading order."""
    people = "-" if report.people_accept is None else f"{report.people_accept:.1%}"
    off = f"; rules off: {', '.join(report.rules_off)}" if report.rules_off else ""
    head = f"{report.file}: {report.rows} rows ({report.bad_rows} bad rows left out); people accept {people}{off}"
    scorers = _scorers(report)
    legend = "FA: false accepts (yes where the person said no); FR: false rejects (the other way)"
    if report.judge is not None:
        legend += f"; the judge failed on {report.judge_errors} rows, left out of its n"
    parts: list[RenderableType] = [Text(head), _table("Agreement with people", "scorer", scorers, legend)]
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


def _rows(first: str, rows: dict[str, Agreement]) -> list[list[str]]:
    head = [first, "n", "agree % [95% CI]", "kappa [95% CI]", "false accepts", "false rejects"]
    body = [
        [name, str(a.n), _pct(a.agreement), _kappa(a.kappa), str(a.false_accepts), str(a.false_rejects)]
        for name, a in rows.items()
    ]
    return [head, *body]


def agreement_markdown(report: AgreeReport) -> str:
    """The agreement of the harness and the baselines, and the harness by type, as markdown tables."""
    scorers = _scorers(report)
    return md_table(_rows("scorer", scorers)) + "\n\n" + md_table(_rows("type", report.by_type))


def agree_markdown(report: AgreeReport, command: str) -> str:
    """The report as markdown tables (for docs/scoring.md), under the command that made them."""
    people = "-" if report.people_accept is None else f"{report.people_accept:.1%}"
    parts = [f"`{command}`: {report.rows} rows, people accept {people}.", "", agreement_markdown(report)]
    if report.ablation:
        parts += ["", md_table(_effects(report))]
    return "\n".join(parts) + "\n"
