"""report.html: one self-contained page (no network) for one run or several side by side.

Leaderboard, a chart per headline metric with its interval (inline SVG), and a per-item
drill-down (question, golden answer, each model's answer, evidence, verdict, why) with
filters by task, tag, outcome and model. Everything that came from a model, a seed or a
golden goes through ``html.escape``; the only script is ours, and the page's Content
Security Policy allows that script alone (by hash), so even markup that slipped through
could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import random
from collections.abc import Sequence
from html import escape

from harness.metrics import metric_info
from harness.report.judge import JUDGE_NOTE, judge_tables, policy_line
from harness.report.model import ReportItem, RunReport
from harness.report.rows import HTML_ITEM_ROWS
from harness.report.tables import LEADERBOARD, LEADERBOARD_NOTE, fact_lines, fmt, runs_leaderboard_rows, shown
from harness.stats import Estimate
from harness.tasks import task_names
from harness.tasks.factcheck import PER_LABEL_METRICS, TASK
from harness.types import CoverageDetails

OUTCOME_COLOURS = {
    "correct": "#1a7f37",
    "incorrect": "#cf222e",
    "abstained": "#9a6700",
    "invalid": "#8250df",
    "error": "#57606a",
}

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1600px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa}
td.text{max-width:360px;white-space:pre-wrap;overflow-wrap:anywhere}
#leaderboard th,#leaderboard td{overflow-wrap:anywhere}
.outcome{font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{border:1px solid #d0d7de;padding:8px}
.filters label{margin-right:14px}
.muted{color:#57606a}
[hidden]{display:none!important}
"""

SCRIPT = """
(function () {
  var ids = ["f-task", "f-tag", "f-outcome", "f-model"];
  function value(id) { return document.getElementById(id).value; }
  function apply() {
    var task = value("f-task"), tag = value("f-tag"), outcome = value("f-outcome"), model = value("f-model");
    document.querySelectorAll("[data-col]").forEach(function (cell) {
      cell.hidden = model !== "" && cell.getAttribute("data-col") !== model;
    });
    var rows = document.querySelectorAll("#items tbody tr"), shown = 0;
    rows.forEach(function (row) {
      var ok = (task === "" || row.getAttribute("data-task") === task) &&
        (tag === "" || row.getAttribute("data-tags").split(" ").indexOf(tag) >= 0);
      if (ok && outcome !== "") {
        ok = Array.prototype.some.call(row.querySelectorAll("td[data-outcome]"), function (cell) {
          return !cell.hidden && cell.getAttribute("data-outcome") === outcome;
        });
      }
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " items shown";
  }
  ids.forEach(function (id) { document.getElementById(id).addEventListener("change", apply); });
  apply();
})();
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(rows: Sequence[Sequence[str]], attrs: str = "") -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _columns(reports: Sequence[RunReport]) -> list[tuple[RunReport, str]]:
    """One column per (run, model), in the order given."""
    return [(r, u.model) for r in reports for u in r.usage]


def _col_name(report: RunReport, model: str, several: bool) -> str:
    return f"{shown(model)} @ {report.run_id}" if several else shown(model)


def leaderboard_html(reports: Sequence[RunReport]) -> str:
    return _table(runs_leaderboard_rows(reports), ' id="leaderboard"') + f'<p class="muted">{_e(LEADERBOARD_NOTE)}</p>'


def _estimate(report: RunReport, model: str, task: str, metric: str) -> Estimate | None:
    for m in report.metrics:
        if (m.model, m.task, m.metric, m.tag) == (model, task, metric, None):
            return m.estimate
    return None


def chart_svg(title: str, bars: Sequence[tuple[str, Estimate | None]]) -> str:
    """Horizontal bars on a 0..1 scale with the 95% interval as a whisker; labels are escaped."""
    label_w, plot_w, bar_h, gap = 330, 300, 16, 8
    height = 28 + len(bars) * (bar_h + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 200}" height="{height}" '
        f'role="img" aria-label="{_e(title)}">',
        f'<text x="0" y="14" font-weight="600">{_e(title)}</text>',
    ]
    for index, (label, est) in enumerate(bars):
        y = 24 + index * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 12}" font-size="12">{_e(label[:48])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f6f8fa"/>')
        if est is None or est.value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 12}" font-size="12">no data</text>')
            continue
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * est.value:.1f}" height="{bar_h}" fill="#0969da"/>')
        if est.lo is not None and est.hi is not None:
            lo, hi, mid = label_w + plot_w * est.lo, label_w + plot_w * est.hi, y + bar_h / 2
            parts.append(
                f'<path d="M{lo:.1f} {mid}H{hi:.1f}M{lo:.1f} {y + 3}V{y + bar_h - 3}M{hi:.1f} {y + 3}V{y + bar_h - 3}" '
                'stroke="#1f2328" stroke-width="1.5"/>'
            )
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 12}" font-size="12">{_e(fmt(est))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts_html(reports: Sequence[RunReport]) -> str:
    columns = _columns(reports)
    several = len(reports) > 1
    present = {(m.task, m.metric) for r in reports for m in r.metrics if m.tag is None}
    present -= {(TASK.name, name) for name in PER_LABEL_METRICS}
    info, tasks = metric_info(), task_names()
    order = {name: i for i, name in enumerate([*tasks, *info])}
    rest = sorted(present - set(LEADERBOARD), key=lambda tm: (order.get(tm[0], len(order)), order.get(tm[1], 0), tm))
    charts = []
    for task, metric in [*(tm for tm in LEADERBOARD if tm in present), *rest]:
        meaning, higher = info.get(metric, ("", True))
        title = f"{task}: {metric} ({'higher' if higher else 'lower'} is better)"
        bars = [(_col_name(r, m, several), _estimate(r, m, task, metric)) for r, m in columns]
        charts.append(f'<div class="chart">{chart_svg(title, bars)}<div class="muted">{_e(meaning)}</div></div>')
    return '<div class="charts">' + "".join(charts) + "</div>"


def _cell(item: ReportItem | None, col: int) -> str:
    if item is None:
        return f'<td data-col="{col}" class="muted">not run</td>'
    colour = OUTCOME_COLOURS.get(item.outcome, "#1f2328")
    evidence = f"\nevidence: {item.evidence}" if item.evidence else ""
    if isinstance(item.details, CoverageDetails):
        evidence += "".join(f"\n{fact}: {verdict}" for fact, verdict in fact_lines(item.details))
    return (
        f'<td data-col="{col}" data-outcome="{_e(item.outcome)}" class="text">'
        f'<span class="outcome" style="color:{colour}">{_e(item.outcome)}</span>\n'
        f'{_e(item.answer or "")}<span class="muted">{_e(evidence)}\nwhy: {_e(item.reason)}</span></td>'
    )


def shown_items(order: dict[str, ReportItem], failed: set[str], limit: int = HTML_ITEM_ROWS) -> tuple[list[str], str]:
    # Above HTML_ITEM_ROWS items (a report that lists every result: report/rows.py samples bigger runs) the
    # page shows the failures first and a sample of the correct items, stratified by task.
    """The item ids the page shows, in run order, and a note saying what was left out ("" for none):
    every failure (up to ``limit``), then a seeded sample of the correct items, by task in proportion."""
    if len(order) <= limit:
        return list(order), ""
    failures = [i for i in order if i in failed][:limit]
    passed = [i for i in order if i not in failed]
    room = limit - len(failures)
    by_task: dict[str, list[str]] = {}
    for item_id in passed:
        by_task.setdefault(order[item_id].task, []).append(item_id)
    rng = random.Random(0)
    chosen = set(failures)
    for _task, ids in sorted(by_task.items()):
        chosen.update(rng.sample(ids, min(len(ids), round(room * len(ids) / len(passed)))))
    shown = [i for i in order if i in chosen]
    note = (
        f"This run has {len(order)} items, too many for one page: shown are {len(failures)} of its "
        f"{len(failed & set(order))} failures and a sample of {len(shown) - len(failures)} of its {len(passed)} "
        "correct items, in proportion per task. Every item is in results.jsonl."
    )
    return shown, note


def items_html(reports: Sequence[RunReport]) -> str:
    columns = _columns(reports)
    several = len(reports) > 1
    lookup = {(id(r), m): {i.id: i for i in r.items if i.model == m} for r, m in columns}
    order: dict[str, ReportItem] = {}
    for report in reports:
        for item in report.items:
            order.setdefault(item.id, item)
    failed = {i.id for r in reports for i in r.items if i.outcome != "correct"}
    ids, note = shown_items(order, failed)
    note = " ".join([*(f"{r.run_id}: {r.sampled.note()}" for r in reports if r.sampled), note]).strip()
    head = "<th>item</th><th>question</th><th>golden</th>" + "".join(
        f'<th data-col="{k}">{_e(_col_name(r, m, several))}</th>' for k, (r, m) in enumerate(columns)
    )
    rows = []
    for item_id in ids:
        first = order[item_id]
        golden = first.expected or ""
        if first.golden_evidence:
            golden += f"\nevidence: {first.golden_evidence}"
        cells = "".join(_cell(lookup[(id(r), m)].get(item_id), k) for k, (r, m) in enumerate(columns))
        tags = " ".join(first.tags)
        rows.append(
            f'<tr data-task="{_e(first.task)}" data-tags="{_e(tags)}">'
            f'<td>{_e(item_id)}<div class="muted">{_e(tags)}</div></td>'
            f'<td class="text">{_e(first.question or "")}</td><td class="text">{_e(golden)}</td>{cells}</tr>'
        )
    table = f'<table id="items"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return (f'<p class="muted" id="sampled">{_e(note)}</p>' if note else "") + table


def _select(name: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    opts = '<option value="">all</option>' + "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in options)
    return f'<label>{_e(label)} <select id="{name}">{opts}</select></label>'


def filters_html(reports: Sequence[RunReport]) -> str:
    items = [i for r in reports for i in r.items]
    tasks = sorted({i.task for i in items})
    tags = sorted({t for i in items for t in i.tags})
    outcomes = [o for o in OUTCOME_COLOURS if any(i.outcome == o for i in items)]
    several = len(reports) > 1
    models = [(str(k), _col_name(r, m, several)) for k, (r, m) in enumerate(_columns(reports))]
    return (
        '<div class="filters">'
        + _select("f-task", "task", [(t, t) for t in tasks])
        + _select("f-tag", "tag", [(t, t) for t in tags])
        + _select("f-outcome", "outcome", [(o, o) for o in outcomes])
        + _select("f-model", "model", models)
        + ' <span id="shown" class="muted"></span></div>'
    )


def judge_html(reports: Sequence[RunReport]) -> str:
    """The judge's section of every report that had one ("" when none had)."""
    parts = []
    for report in reports:
        if report.judge is None:
            continue
        tables = "".join(f"<h3>{_e(title)}</h3>{_table(rows)}" for title, rows in judge_tables(report.judge))
        note = f'<p>{_e(policy_line(report.judge))}</p><p class="muted">{_e(JUDGE_NOTE)}</p>'
        parts.append(f'<h2 id="judge">Judge ({_e(report.run_id)})</h2>{note}{tables}')
    return "".join(parts)


def render_html(reports: Sequence[RunReport], title: str | None = None) -> str:
    """The whole page for one or more reports."""
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    title = title or ("Run " + ", ".join(f"{r.run_id} ({r.status})" for r in reports))
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        '<p class="muted">Estimates with 95% intervals (Wilson for proportions, bootstrap over items otherwise). '
        "Model text is shown as text.</p>"
        f"<h2>Leaderboard</h2>{leaderboard_html(reports)}"
        f"<h2>Metrics</h2>{charts_html(reports)}"
        f"{judge_html(reports)}"
        f"<h2>Items</h2>{filters_html(reports)}{items_html(reports)}"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
