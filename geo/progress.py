"""Progress across plans: counts and money per buurt, domain and partner.

Everything here is a pure function of the activities and a *today* quarter
that the caller passes in (``"2026-Q4"``), so results never depend on the
clock: the page passes the current quarter, tests pass a fixed one.

An activity is **overdue** when it is not done or stopped and its end
quarter lies before today's quarter, or when it is still *planned* while
its start quarter has passed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import model as m


def current_quarter(today: _dt.date) -> str:
    """The quarter a date falls in, e.g. 2026-11-26 → ``2026-Q4``."""
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def is_overdue(act: m.Activity, today: str) -> bool:
    """Late against ``today`` (a quarter such as ``2026-Q4``); see the module doc."""
    if act.status in ("done", "stopped"):
        return False
    now = m.quarter_index(today)
    if act.end and m.quarter_index(act.end) < now:
        return True
    if act.status == "planned" and act.start and m.quarter_index(act.start) < now:
        return True
    return False


@dataclass
class Rollup:
    """Counts and money of a group of activities."""

    planned: int = 0
    running: int = 0
    done: int = 0
    stopped: int = 0
    overdue: int = 0
    quick_wins: int = 0
    estimate_eur: float = 0.0
    actual_eur: float = 0.0
    activity_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.planned + self.running + self.done + self.stopped

    @property
    def progress(self) -> float | None:
        """Share done of the activities that go ahead (stopped ones left out)."""
        active = self.total - self.stopped
        return self.done / active if active else None

    def add(self, act: m.Activity, today: str) -> None:
        setattr(self, act.status, getattr(self, act.status) + 1)
        if is_overdue(act, today):
            self.overdue += 1
        if act.quick_win:
            self.quick_wins += 1
        self.estimate_eur += act.cost_estimate_eur or 0.0
        self.actual_eur += act.cost_actual_eur or 0.0
        if act.id is not None:
            self.activity_ids.append(act.id)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "planned": self.planned, "running": self.running, "done": self.done, "stopped": self.stopped,
            "overdue": self.overdue, "total": self.total, "quick_wins": self.quick_wins,
            "estimate_eur": round(self.estimate_eur, 2), "actual_eur": round(self.actual_eur, 2),
            "progress": None if self.progress is None else round(self.progress, 3),
        }


def rollup(activities: Iterable[m.Activity], today: str) -> Rollup:
    out = Rollup()
    for act in activities:
        out.add(act, today)
    return out


def rollup_by(activities: Iterable[m.Activity], key: Callable[[m.Activity], Iterable[str] | str | None],
              today: str) -> dict[str, Rollup]:
    """Group activities by ``key`` (which may give several groups, e.g. partners)."""
    out: dict[str, Rollup] = {}
    for act in activities:
        groups = key(act)
        if groups is None:
            groups = ["—"]
        elif isinstance(groups, str):
            groups = [groups]
        for g in dict.fromkeys(groups):
            out.setdefault(g, Rollup()).add(act, today)
    return dict(sorted(out.items()))


def by_buurt(activities: Iterable[m.Activity], today: str) -> dict[str, Rollup]:
    return rollup_by(activities, lambda a: a.buurt_code, today)


def by_domain(activities: Iterable[m.Activity], today: str) -> dict[str, Rollup]:
    acts = list(activities)
    found = rollup_by(acts, lambda a: a.domain, today)
    return {d: found.get(d, Rollup()) for d in m.DOMAINS} | {k: v for k, v in found.items() if k not in m.DOMAINS}


def involved_partners(act: m.Activity) -> list[str]:
    """The lead partner and the other partners, each once."""
    names = [act.lead_partner] if act.lead_partner else []
    return list(dict.fromkeys(names + [p for p in act.partners if p]))


def by_partner(activities: Iterable[m.Activity], today: str) -> dict[str, Rollup]:
    """Per partner, every activity it is involved in (as lead or partner)."""
    return rollup_by(activities, lambda a: involved_partners(a) or None, today)


@dataclass
class PartnerLoad:
    partner: str
    lead: int = 0  # activities it leads
    involved: int = 0  # activities it takes part in, lead included
    open: int = 0  # of those: planned or running
    overdue: int = 0
    lead_estimate_eur: float = 0.0  # money of the activities it leads
    buurten: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"partner": self.partner, "lead": self.lead, "involved": self.involved, "open": self.open,
                "overdue": self.overdue, "lead_estimate_eur": round(self.lead_estimate_eur, 2),
                "buurten": len(self.buurten)}


def partner_load(activities: Iterable[m.Activity], today: str) -> list[PartnerLoad]:
    """How much each partner carries, busiest (most open activities) first."""
    loads: dict[str, PartnerLoad] = {}
    for act in activities:
        for name in involved_partners(act):
            load = loads.setdefault(name, PartnerLoad(name))
            load.involved += 1
            if name == act.lead_partner:
                load.lead += 1
                load.lead_estimate_eur += act.cost_estimate_eur or 0.0
            if act.status in ("planned", "running"):
                load.open += 1
            if is_overdue(act, today):
                load.overdue += 1
            if act.buurt_code:
                load.buurten.add(act.buurt_code)
    return sorted(loads.values(), key=lambda p: (-p.open, -p.involved, p.partner))


def overdue_activities(activities: Iterable[m.Activity], today: str) -> list[m.Activity]:
    return [a for a in activities if is_overdue(a, today)]


# --- the progress map ---------------------------------------------------------------
PROGRESS_CLASSES = (
    # (upper bound of done share, colour, nl, en)
    (0.0, "#fee5d9", "niets afgerond", "nothing done"),
    (0.34, "#fcae91", "tot een derde afgerond", "up to a third done"),
    (0.67, "#a1d99b", "tot twee derde afgerond", "up to two thirds done"),
    (1.0, "#31a354", "meer dan twee derde afgerond", "over two thirds done"),
)
NO_ACTIVITIES_COLOUR = "#f0f0f0"
OVERDUE_OUTLINE = "#cb181d"


def progress_colour(r: Rollup | None) -> str:
    if r is None or r.progress is None:
        return NO_ACTIVITIES_COLOUR
    for bound, colour, _, _ in PROGRESS_CLASSES:
        if r.progress <= bound:
            return colour
    return PROGRESS_CLASSES[-1][1]


def progress_map(buurten: list[m.Area], rollups: dict[str, Rollup], lang: str = "nl", basemap: str = "none",
                 height: int = 520):
    """A folium map of the buurten coloured by the share of activities done;
    buurten with overdue activities get a red outline."""
    import folium

    from .i18n import t
    from .maps import BASEMAPS, FeatureLayer, Legend, OfflineMap, feature, html_table

    fmap = OfflineMap(
        lang=lang, location=(51.43, 5.59), zoom_start=13, tiles=None, control_scale=True, height=height,
                      zoom_snap=0.25, zoom_delta=0.5)  # a fractional zoom lets fit_bounds fill the map
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"], max_zoom=base["max_zoom"], control=False).add_to(fmap)
    feats = []
    for area in sorted(buurten, key=lambda a: a.code):
        if area.geometry is None:
            continue
        r = rollups.get(area.code)
        late = bool(r and r.overdue)
        rows = [("CBS", area.code)]
        if r:
            rows += [
                (t("progress.col.planned", lang), r.planned), (t("progress.col.running", lang), r.running),
                (t("progress.col.done", lang), r.done), (t("progress.col.overdue", lang), r.overdue),
            ]
        else:
            rows.append(("", t("progress.no_activities", lang)))
        feats.append(feature(
            area.geometry, fid=area.code,
            style={"color": OVERDUE_OUTLINE if late else "#333333", "weight": 3 if late else 1,
                   "fillColor": progress_colour(r), "fillOpacity": 0.75},
            tooltip=html_table(rows, title=area.name),
            props={"code": area.code, "_label": area.name},
        ))
    layer = FeatureLayer(feats, name="progress")
    layer.add_to(fmap)
    entries = [(nl if lang == "nl" else en, {"fillColor": c}) for _, c, nl, en in PROGRESS_CLASSES]
    entries.append((t("progress.no_activities", lang), {"fillColor": NO_ACTIVITIES_COLOUR}))
    entries.append((t("progress.legend_overdue", lang), {"fillColor": "#fff", "color": OVERDUE_OUTLINE}))
    Legend([(t("progress.legend", lang), entries)]).add_to(fmap)
    bounds = layer.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


# --- tables for the dashboard and the document ---------------------------------------
def rollup_table(rollups: dict[str, Rollup], first: str, name_of: Callable[[str], str], lang: str = "nl",
                 extra: Callable[[str], dict] | None = None) -> list[dict]:
    """One row per group: counts, money and share done, with translated column names."""
    from .i18n import t

    rows = []
    for key, r in rollups.items():
        row = {first: name_of(key)}
        if extra:
            row.update(extra(key))
        row.update({
            t("progress.col.planned", lang): r.planned,
            t("progress.col.running", lang): r.running,
            t("progress.col.done", lang): r.done,
            t("progress.col.stopped", lang): r.stopped,
            t("progress.col.overdue", lang): r.overdue,
            t("progress.col.estimate", lang): round(r.estimate_eur),
            t("progress.col.actual", lang): round(r.actual_eur),
            t("programme.col.progress", lang): None if r.progress is None else round(100 * r.progress),
        })
        rows.append(row)
    return rows


def partner_table(loads: list[PartnerLoad], lang: str = "nl") -> list[dict]:
    from .i18n import t

    return [{
        t("programme.col.partner", lang): p.partner,
        t("progress.col.lead", lang): p.lead,
        t("progress.col.involved", lang): p.involved,
        t("progress.col.open", lang): p.open,
        t("progress.col.overdue", lang): p.overdue,
        t("progress.col.estimate", lang): round(p.lead_estimate_eur),
        t("progress.col.buurten", lang): len(p.buurten),
    } for p in loads]
