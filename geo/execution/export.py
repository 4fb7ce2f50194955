"""The programme as an XLSX workbook, for the council's planning and control cycle.

One summary sheet ("Programma": one row per plan) and one sheet per plan with
its activities: partners, period, status, the latest update (date, share
done, note, next step), money estimated and spent, and whether it lacks
recent progress. Text cells pass through
:func:`geo.io.cells.neutralise_formula`, so a note such as ``=HYPERLINK(…)``
stays text when the file is opened in a spreadsheet program.
"""

from __future__ import annotations

import datetime as _dt
import io
import re

from .. import model as m
from ..access import Actor, check
from ..i18n import label, t
from ..io.cells import neutralise_formula
from ..progress import current_quarter, is_overdue, rollup
from .updates import latest_by_activity, load_config, stale_activities, update_date

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'") or "Plan"
    base = base.removeprefix("Wijkontwikkelingsplan ").strip() or base
    name, n = base[:31], 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _cell(value):
    return neutralise_formula(value)


def programme_xlsx(store, actor: Actor, today: _dt.date, lang: str = "nl", plan_ids=None) -> bytes:
    """The workbook as bytes (for a download button or a file); ``plan_ids``
    limits it to some plans (the page passes the plans of its gemeente)."""
    from openpyxl import Workbook

    check(actor, "programme.export")
    after_weeks = load_config().stale_after_weeks
    quarter = current_quarter(today)
    areas = {a.code: a.name for a in store.list(m.Area)}
    wanted = None if plan_ids is None else set(plan_ids)
    plans = sorted((p for p in store.list(m.Plan) if wanted is None or p.id in wanted),
                   key=lambda p: (p.year or 9999, p.title))
    acts_all = store.list(m.Activity)
    updates = store.list(m.ActivityUpdate)
    latest = latest_by_activity(updates)
    stale_ids = {s.activity.id for s in stale_activities(acts_all, updates, today, after_weeks)}

    wb = Workbook()
    summary = wb.active
    summary.title = t("exec.xlsx.summary", lang)[:31]
    head = [t("exec.xlsx.plan", lang), t("programme.col.buurt", lang), t("programme.col.year", lang),
            t("programme.col.stage", lang), t("progress.col.total", lang), t("progress.col.running", lang),
            t("progress.col.done", lang), t("progress.col.overdue", lang), t("exec.stale", lang),
            t("progress.col.estimate", lang), t("progress.col.actual", lang)]
    summary.append([_cell(h) for h in head])
    used = {summary.title.lower()}
    money_cols = (10, 11)

    for plan in plans:
        acts = sorted((a for a in acts_all if a.plan_id == plan.id), key=lambda a: (a.start or "9999", a.title))
        r = rollup(acts, quarter)
        summary.append([_cell(plan.title), _cell(areas.get(plan.area_code, plan.area_code)), plan.year,
                        _cell(label(plan.stage, lang)), r.total, r.running, r.done, r.overdue,
                        sum(1 for a in acts if a.id in stale_ids), round(r.estimate_eur, 2), round(r.actual_eur, 2)])
        ws = wb.create_sheet(_sheet_title(plan.title, used))
        cols = [t("report.col.activity", lang), t("report.col.domain", lang), t("report.col.lead", lang),
                t("exec.xlsx.partners", lang), t("exec.xlsx.start", lang), t("exec.xlsx.end", lang),
                t("report.col.status", lang), t("progress.col.overdue", lang), t("exec.stale", lang),
                t("exec.col.date", lang), t("exec.col.percent", lang), t("exec.col.note", lang),
                t("exec.col.next", lang), t("progress.col.estimate", lang), t("progress.col.actual", lang)]
        ws.append([_cell(c) for c in cols])
        for a in acts:
            u = latest.get(a.id)
            ws.append([
                _cell(a.title), _cell(label(a.domain, lang)), _cell(a.lead_partner), _cell(", ".join(a.partners)),
                _cell(a.start), _cell(a.end), _cell(label(a.status, lang)),
                _cell(t("exec.xlsx.yes", lang) if is_overdue(a, quarter) else ""),
                _cell(t("exec.xlsx.yes", lang) if a.id in stale_ids else ""),
                update_date(u) if u else None, u.percent_done if u else None,
                _cell(u.note) if u else None, _cell(u.next_step) if u else None,
                a.cost_estimate_eur, a.cost_actual_eur,
            ])
        _style(ws, money_cols=(14, 15), date_col=10)
    _style(summary, money_cols=money_cols)
    summary.append([])
    summary.append([_cell(t("exec.xlsx.as_of", lang, date=today.strftime("%d-%m-%Y"), quarter=quarter))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _style(ws, money_cols: tuple[int, ...] = (), date_col: int | None = None) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for idx, column in enumerate(ws.iter_cols(min_row=1, max_row=ws.max_row), 1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 8), 60)
        for c in column[1:]:
            if idx in money_cols:
                c.number_format = '€ #,##0'
            elif idx == date_col:
                c.number_format = "DD-MM-YYYY"
