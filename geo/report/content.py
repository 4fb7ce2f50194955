"""What the plan document says, independent of PDF or HTML layout.

Each function returns plain strings: a heading and a table (header, rows)
or a list of paragraphs, in the document's language.
"""

from __future__ import annotations

from ..i18n import label, t
from ..maps import figure_label, format_number
from ..profile import BuurtProfile


def money(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    # a no-break space keeps the euro sign with its amount when a cell wraps
    return "€\u00a0" + format_number(round(value), lang).replace("\u2009", ".")


def title_lines(data) -> list[tuple[str, str]]:
    lang = data.lang
    p = data.plan
    rows = [
        (t("report.area", lang), f"{data.area.name} ({data.area.code})"),
        (t("report.municipality", lang), data.municipality),
    ]
    if data.wijk:
        rows.append((t("report.wijk", lang), f"{data.wijk.name} ({data.wijk.code})"))
    rows += [
        (t("report.stage", lang), label(p.stage, lang)),
        (t("report.year", lang), str(p.year) if p.year else "—"),
        (t("report.date", lang), data.today.strftime("%d-%m-%Y")),
    ]
    return rows


def key_figures(data) -> list[tuple[str, str]]:
    lang = data.lang
    profile = BuurtProfile(area=data.area, wijk=data.wijk, plan=data.plan)
    return [(figure_label(k, lang), format_number(v, lang)) for k, v in profile.key_figures()]


def totals(data) -> list[tuple[str, str]]:
    lang, r = data.lang, data.totals
    return [
        (t("progress.col.planned", lang), str(r.planned)),
        (t("progress.col.running", lang), str(r.running)),
        (t("progress.col.done", lang), str(r.done)),
        (t("progress.col.stopped", lang), str(r.stopped)),
        (t("progress.col.overdue", lang), str(r.overdue)),
        (t("progress.col.estimate", lang), money(r.estimate_eur, lang)),
        (t("progress.col.actual", lang), money(r.actual_eur, lang)),
    ]


def analysis_table(data, kind: str) -> tuple[list[str], list[list[str]]]:
    lang = data.lang
    header = [t("report.col.domain", lang), t("report.col.text", lang), t("report.col.source", lang)]
    rows = [[label(i.domain, lang), i.text, label(i.source, lang)] for i in data.analysis if i.kind == kind]
    return header, rows


def agenda_table(data, quick_wins_only: bool = False) -> tuple[list[str], list[list[str]]]:
    lang = data.lang
    header = [
        t("report.col.nr", lang), t("report.col.activity", lang), t("report.col.domain", lang),
        t("report.col.lead", lang), t("report.col.period", lang), t("report.col.status", lang),
        t("report.col.estimate", lang),
    ]
    rows = []
    for a in data.activities:
        if quick_wins_only and not a.quick_win:
            continue
        title = a.title + (" (quick win)" if a.quick_win and not quick_wins_only else "")
        if a.partners:
            title += "\n" + t("report.with", lang) + ": " + ", ".join(a.partners)
        period = f"{a.start} – {a.end}" if a.start and a.end and a.end != a.start else (a.start or "—")
        rows.append([str(data.number_of(a)), title, label(a.domain, lang), a.lead_partner or "—", period,
                     label(a.status, lang), money(a.cost_estimate_eur, lang)])
    return header, rows


def evaluation_table(data) -> tuple[list[str], list[list[str]]]:
    lang = data.lang
    header = [t("report.col.factor", lang), t("report.col.outcome", lang), t("report.col.domain", lang),
              t("report.col.evidence", lang), t("report.col.lesson", lang)]
    rows = [[f.factor, label(f.outcome, lang), label(f.domain, lang), f.evidence or "—", f.lesson or "—"]
            for f in sorted(data.evaluation, key=lambda f: (f.outcome, f.domain, f.id or 0))]
    return header, rows


def lessons_table(data) -> tuple[list[str], list[list[str]]]:
    lang = data.lang
    header = [t("report.col.plan", lang), t("report.col.factor", lang), t("report.col.lesson", lang)]
    rows = [[s.plan_title, s.factor.factor, s.factor.lesson] for s in data.lessons_from_others]
    return header, rows


def team_sections(data) -> list[dict]:
    """Per year team: a heading, its members, the points it takes up and its meetings."""
    lang = data.lang
    out = []
    for v in data.teams:
        members = ([t("team.col.name", lang), t("team.col.organisation", lang), t("team.col.role", lang)],
                   [[mb.get("name", ""), mb.get("organisation", "") or "—", mb.get("role", "") or "—"]
                    for mb in v.team.members])
        points = ([t("report.col.activity", lang), t("report.col.status", lang)],
                  [[a.title, label(a.status, lang)] for a in v.activities]
                  + [[i.text, label(i.kind, lang)] for i in v.analysis_items])
        meetings = ([t("team.meeting.date", lang), t("team.meeting.decisions", lang)],
                    [[mt.date, mt.decisions] for mt in v.meetings])
        out.append({"title": t("report.h.team", lang, year=v.team.year), "members": members, "points": points,
                    "meetings": meetings})
    return out
