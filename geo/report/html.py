"""The plan document as one self-contained HTML file (images inline).

Every text from the store is escaped: a plan's texts come from people and
are shown as text, never as markup.
"""

from __future__ import annotations

import base64
from html import escape

from ..i18n import t
from ..timeline import matplotlib_chart
from . import content as c
from .staticmap import figure_png, render_map

CSS = """
body{font-family:"DejaVu Sans",Verdana,sans-serif;color:#212529;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{color:#08306b;border-bottom:2px solid #08306b;padding-bottom:.2rem;margin-top:2.2rem}
h2{margin-top:1.4rem}
.title{border-top:14px solid #08306b;padding-top:2rem}
.title h1{font-size:2.1rem;border:none}
.muted{color:#6e6e6e;font-style:italic}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #bebebe;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#deebf7;color:#08306b}
tr:nth-child(even) td{background:#f7f7f7}
table.pairs{width:auto}
table.pairs td:last-child{text-align:right}
table.pairs.text td:last-child{text-align:left}
img{max-width:100%;display:block;margin:.5rem auto}
td{white-space:pre-line}
"""


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pairs(rows: list[tuple[str, str]], numbers: bool = True) -> str:
    body = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in rows)
    return f'<table class="pairs{"" if numbers else " text"}">{body}</table>'


def render_html(data) -> str:
    lang = data.lang
    none = f'<p class="muted">{escape(t("report.none", lang))}</p>'
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(data.plan.title)}</title><style>{CSS}</style></head><body>",
        '<header class="title">',
        f'<p class="muted">{escape(data.municipality)} · {escape(t("report.subtitle", lang))}</p>',
        f"<h1>{escape(data.plan.title)}</h1>",
        _pairs(c.title_lines(data), numbers=False),
    ]
    if data.plan.summary:
        parts.append(f"<p>{escape(data.plan.summary)}</p>")
    parts.append("</header><main>")
    parts.append(f"<h1>1. {escape(t('report.h.area', lang))}</h1>")
    parts.append(_img(render_map(data), t("report.map_alt", lang, name=data.area.name)))
    parts.append(f'<p class="muted">{escape(t("report.map_note", lang))}</p>')
    parts.append(f"<h2>{escape(t('report.h.key_figures', lang))}</h2>")
    figs = c.key_figures(data)
    parts.append(_pairs(figs) if figs else none)
    if data.plan.intended_effects:
        parts.append(f"<h2>{escape(t('report.h.effects', lang))}</h2><p>{escape(data.plan.intended_effects)}</p>")
    parts.append(f"<h1>2. {escape(t('report.h.analysis', lang))}</h1>")
    for kind, key in (("strength", "report.h.strengths"), ("bottleneck", "report.h.bottlenecks")):
        header, rows = c.analysis_table(data, kind)
        parts.append(f"<h2>{escape(t(key, lang))}</h2>" + (_table(header, rows) if rows else none))
    parts.append(f"<h1>3. {escape(t('report.h.agenda', lang))}</h1>")
    parts.append(f"<h2>{escape(t('report.h.totals', lang, quarter=data.quarter))}</h2>" + _pairs(c.totals(data)))
    header, rows = c.agenda_table(data)
    parts.append(f"<h2>{escape(t('report.h.activities', lang))}</h2>" + (_table(header, rows) if rows else none))
    header, rows = c.agenda_table(data, quick_wins_only=True)
    parts.append(f"<h2>{escape(t('report.h.quick_wins', lang))}</h2>" + (_table(header, rows) if rows else none))
    for team in c.team_sections(data):
        parts.append(f"<h2>{escape(team['title'])}</h2>" + (_table(*team["members"]) if team["members"][1] else none))
        if team["points"][1]:
            parts.append(f"<h3>{escape(t('report.team.points', lang))}</h3>" + _table(*team["points"]))
        if team["meetings"][1]:
            parts.append(f"<h3>{escape(t('report.team.meetings', lang))}</h3>" + _table(*team["meetings"]))
    parts.append(f"<h1>4. {escape(t('report.h.timeline', lang))}</h1>")
    if data.timeline:
        fig = matplotlib_chart(data.timeline, lang, today=data.today)
        parts.append(_img(figure_png(fig), t("report.h.timeline", lang)))
        parts.append(f'<p class="muted">{escape(t("report.timeline_note", lang, quarter=data.quarter))}</p>')
    else:
        parts.append(none)
    if data.evaluation or data.lessons_from_others:
        parts.append(f"<h1>5. {escape(t('report.h.evaluation', lang))}</h1>")
        if data.evaluation:
            parts.append(_table(*c.evaluation_table(data)))
        if data.lessons_from_others:
            parts.append(f"<h2>{escape(t('report.h.lessons', lang))}</h2>" + _table(*c.lessons_table(data)))
    parts.append(f'</main><footer><p class="muted">{escape(t("report.made_with", lang))}</p></footer></body></html>')
    return "".join(parts)
