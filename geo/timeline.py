"""The multi-year timeline: activities as bars over quarters (Gantt-style).

:func:`timeline_rows` turns activities into rows (one per scheduled
activity), :func:`filter_rows` narrows them by buurt, domain, partner and
status, :func:`altair_chart` draws them for the app and
:func:`matplotlib_chart` for the plan document.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

from . import model as m
from .i18n import label
from .maps.style import DOMAIN_COLOURS
from .progress import involved_partners, is_overdue


@dataclass(frozen=True)
class TimelineRow:
    activity_id: int | None
    title: str
    buurt_code: str
    buurt: str
    domain: str
    status: str
    lead_partner: str
    partners: tuple[str, ...]
    start: str  # quarter, e.g. 2026-Q1
    end: str
    start_date: _dt.date  # first day of the start quarter
    end_date: _dt.date  # first day after the end quarter
    overdue: bool
    quick_win: bool

    def as_dict(self) -> dict:
        d = asdict(self)
        d["partners"] = ", ".join(self.partners)
        return d


def quarter_start(q: str) -> _dt.date:
    i = m.quarter_index(q)
    return _dt.date(i // 4, (i % 4) * 3 + 1, 1)


def quarter_after(q: str) -> _dt.date:
    i = m.quarter_index(q) + 1
    return _dt.date(i // 4, (i % 4) * 3 + 1, 1)


def timeline_rows(activities: Iterable[m.Activity], buurt_names: dict[str, str], today: str) -> list[TimelineRow]:
    """One row per activity that has a start quarter (no end: one quarter long)."""
    rows = []
    for a in activities:
        if not a.start:
            continue
        end = a.end or a.start
        code = a.buurt_code or ""
        rows.append(TimelineRow(
            activity_id=a.id, title=a.title, buurt_code=code, buurt=buurt_names.get(code, code or "—"),
            domain=a.domain, status=a.status, lead_partner=a.lead_partner,
            partners=tuple(involved_partners(a)), start=a.start, end=end,
            start_date=quarter_start(a.start), end_date=quarter_after(end),
            overdue=is_overdue(a, today), quick_win=a.quick_win,
        ))
    return sorted(rows, key=lambda r: (r.buurt, r.start_date, r.title))


def filter_rows(rows: Sequence[TimelineRow], *, buurten: Iterable[str] = (), domains: Iterable[str] = (),
                partners: Iterable[str] = (), statuses: Iterable[str] = ()) -> list[TimelineRow]:
    """Rows matching every filter given (an empty filter lets everything through)."""
    b, d, p, s = set(buurten), set(domains), set(partners), set(statuses)
    return [
        r for r in rows
        if (not b or r.buurt_code in b)
        and (not d or r.domain in d)
        and (not p or p.intersection(r.partners))
        and (not s or r.status in s)
    ]


def filter_options(rows: Sequence[TimelineRow]) -> dict[str, list[str]]:
    return {
        "buurten": sorted({r.buurt_code for r in rows if r.buurt_code}),
        "domains": [d for d in m.DOMAINS if any(r.domain == d for r in rows)],
        "partners": sorted({p for r in rows for p in r.partners}),
        "statuses": [s for s in m.ACTIVITY_STATUSES if any(r.status == s for r in rows)],
    }


def altair_chart(rows: Sequence[TimelineRow], lang: str = "nl", today: _dt.date | None = None):
    """A Gantt chart: one bar per activity, coloured by domain, grouped by buurt."""
    import altair as alt
    import pandas as pd

    from .i18n import t

    data = pd.DataFrame([
        {
            **r.as_dict(),
            "label": f"{r.buurt} · {r.title}",
            "domain_label": label(r.domain, lang),
            "status_label": label(r.status, lang) + (f" ({t('progress.col.overdue', lang).lower()})" if r.overdue else ""),
            "period": f"{r.start} – {r.end}",
        }
        for r in rows
    ])
    if data.empty:
        data = pd.DataFrame(columns=["label", "start_date", "end_date", "domain_label", "status_label", "period",
                                     "lead_partner", "partners", "overdue"])
    domains = [label(d, lang) for d in m.DOMAINS]
    colours = [DOMAIN_COLOURS[d] for d in m.DOMAINS]
    order = list(dict.fromkeys(data["label"])) if not data.empty else []
    bars = alt.Chart(data).mark_bar(cornerRadius=2, height=14).encode(
        x=alt.X("start_date:T", title=t("timeline.axis_time", lang), axis=alt.Axis(format="%Y", tickCount="year")),
        x2="end_date:T",
        y=alt.Y("label:N", sort=order, title=None,  # a label for every bar: none dropped or cut short
                axis=alt.Axis(labelLimit=480, labelOverlap=False, labelFontSize=11)),
        color=alt.Color("domain_label:N", title=t("timeline.legend_domain", lang),
                        scale=alt.Scale(domain=domains, range=colours)),
        opacity=alt.condition("datum.status === 'stopped'", alt.value(0.3), alt.value(0.9)),
        stroke=alt.condition("datum.overdue", alt.value("#cb181d"), alt.value(None)),
        strokeWidth=alt.condition("datum.overdue", alt.value(2), alt.value(0)),
        tooltip=[
            alt.Tooltip("title:N", title=t("timeline.col.title", lang)),
            alt.Tooltip("buurt:N", title=t("timeline.col.buurt", lang)),
            alt.Tooltip("period:N", title=t("timeline.col.period", lang)),
            alt.Tooltip("status_label:N", title=t("timeline.col.status", lang)),
            alt.Tooltip("lead_partner:N", title=t("timeline.col.lead", lang)),
            alt.Tooltip("partners:N", title=t("timeline.col.partners", lang)),
        ],
    )
    layers = [bars]
    if today is not None:
        rule = alt.Chart(pd.DataFrame({"today": [today]})).mark_rule(color="#cb181d", strokeDash=[4, 3]).encode(
            x="today:T")
        layers.append(rule)
    return alt.layer(*layers).properties(height=max(120, 22 * len(order) + 40))


def matplotlib_chart(rows: Sequence[TimelineRow], lang: str = "nl", today: _dt.date | None = None,
                     width_in: float = 7.2):
    """The same timeline as a matplotlib Figure (for the PDF and HTML report)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    n = max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(width_in, 0.9 + 0.32 * n), dpi=150)
    for i, r in enumerate(rows):
        colour = DOMAIN_COLOURS.get(r.domain, "#888888")
        start = mdates.date2num(r.start_date)
        width = mdates.date2num(r.end_date) - start
        ax.barh(i, width, left=start, height=0.6, color=colour, alpha=0.3 if r.status == "stopped" else 0.9,
                edgecolor="#cb181d" if r.overdue else colour, linewidth=1.6 if r.overdue else 0.5,
                hatch="//" if r.status == "planned" else None)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(r.title, 42) for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", which="major", color="#cccccc", linewidth=0.6)
    if today is not None:
        ax.axvline(mdates.date2num(today), color="#cb181d", linestyle="--", linewidth=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=DOMAIN_COLOURS[d], label=label(d, lang)) for d in m.DOMAINS]
    handles.append(Patch(facecolor="white", edgecolor="#555", hatch="//", label=label("planned", lang)))
    ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12 if n > 3 else -0.3),
              ncol=4, frameon=False)
    if not rows:
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
