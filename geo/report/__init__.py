"""The plan document: one neighbourhood's plan as PDF or HTML.

:func:`gather` reads everything the document shows from the store into a
:class:`ReportData`; :mod:`.staticmap` draws the map without any network
(matplotlib from the RD geometries), :mod:`.pdf` and :mod:`.html` lay it out.
``today`` is passed in (a date), so a document is reproducible.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..errors import NotFound, ValidationError
from ..agenda import plan_activities
from ..evaluation import SharedLesson, shared_lessons
from ..execution.team import team_views
from ..plans import plan_for
from ..progress import Rollup, current_quarter, rollup
from ..timeline import TimelineRow, timeline_rows

__all__ = ["ReportData", "document", "gather", "render", "write_report", "FORMATS"]

FORMATS = ("pdf", "html")


@dataclass
class ReportData:
    area: m.Area
    plan: m.Plan
    municipality: str
    wijk: m.Area | None
    neighbours: list[m.Area]
    analysis: list[m.AnalysisItem]
    activities: list[m.Activity]
    meeting_places: list[m.MeetingPlace]
    evaluation: list[m.EvaluationFactor]
    lessons_from_others: list[SharedLesson]
    timeline: list[TimelineRow]
    totals: Rollup
    today: _dt.date
    lang: str = "nl"
    partners: dict[str, str] = field(default_factory=dict)
    teams: list = field(default_factory=list)  # geo.execution.team.TeamView, by year

    @property
    def quarter(self) -> str:
        return current_quarter(self.today)

    @property
    def quick_wins(self) -> list[m.Activity]:
        return [a for a in self.activities if a.quick_win]

    def number_of(self, act: m.Activity) -> int:
        """An activity's public number, as in the agenda table, on the map and in every picker."""
        from ..agenda import activity_numbers

        return activity_numbers(self.activities)[act.id]


def gather(store, code: str, today: _dt.date, lang: str = "nl") -> ReportData:
    """Everything the plan document of area ``code`` shows."""
    m.level_of_code(code)
    if not store.exists(m.Area, code):
        raise NotFound(f"gebied {code} bestaat niet in de database")
    area = store.get(m.Area, code)
    plan = plan_for(store, code)
    if plan is None:
        raise NotFound(f"{area.name} ({code}) heeft nog geen plan; maak het eerst aan op de planpagina")
    if area.geometry is None:
        raise ValidationError(f"{area.name} ({code}) heeft geen grens om op de kaart te tekenen", where="geometry")
    gm_code = area.municipality_code
    municipality = store.get(m.Area, gm_code).name if store.exists(m.Area, gm_code) else gm_code
    wijk = store.get(m.Area, area.parent_code) if area.parent_code and store.exists(m.Area, area.parent_code) else None
    # Only the neighbours are read (ST_DWithin on PostGIS), not every area of the level.
    neighbours = [a for a in store.within_distance(m.Area, area.geometry, 400, level=area.level)
                  if a.code != code and a.geometry is not None]
    acts = plan_activities(store, plan)
    names = {c: store.get(m.Area, c).name for c in sorted({a.buurt_code for a in acts if a.buurt_code})
             if store.exists(m.Area, c)}  # the activities' buurten, not every buurt
    q = current_quarter(today)
    return ReportData(
        area=area,
        plan=plan,
        municipality=municipality,
        wijk=wijk,
        neighbours=neighbours,
        analysis=sorted(store.list(m.AnalysisItem, plan_id=plan.id), key=lambda i: (i.kind != "strength", i.domain, i.id or 0)),
        activities=acts,
        meeting_places=store.list(m.MeetingPlace, order_by="name", buurt_code=code),
        evaluation=store.list(m.EvaluationFactor, plan_id=plan.id),
        lessons_from_others=shared_lessons(store, plan),
        timeline=timeline_rows(acts, names, q),
        totals=rollup(acts, q),
        today=today,
        lang=lang,
        partners={p.name: p.kind for p in store.list(m.Partner)},
        teams=team_views(store, [plan.id]),
    )


def render(data: ReportData, fmt: str) -> bytes:
    """The document as bytes: ``fmt`` is ``pdf`` or ``html`` (UTF-8)."""
    if fmt not in FORMATS:
        raise ValidationError(f"onbekend formaat '{fmt or '(geen)'}'; gebruik pdf of html", where="formaat")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(data)
    from .html import render_html

    return render_html(data).encode("utf-8")


def document(store, code: str, fmt: str, today: _dt.date, lang: str = "nl") -> bytes:
    """The plan document of area ``code`` as ``pdf`` or ``html`` bytes (for a download button)."""
    return render(gather(store, code, today, lang), fmt)


def write_report(data: ReportData, out: str | Path) -> Path:
    """Write the document; the format follows the file's extension."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(f"onbekend formaat '{out.suffix or '(geen)'}'; gebruik .pdf of .html", where=str(out))
    content = render(data, fmt)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise ValidationError(f"kan niet schrijven: {exc.strerror}", where=str(out)) from None
    return out
