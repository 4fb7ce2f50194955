"""The plan in public: "Wat gebeurt er in mijn buurt?" for one buurt.

:func:`public_buurt` gathers what a resident may see of a buurt's plan: its
stage, goals and intended effects, the agenda with each activity's status
and progress, and "jullie zeiden, wij deden" — the residents' suggestions
and initiatives that were taken up, with the activity they became. It is a
view built for the public: no contact details, no partner contacts, pins of
residents snapped to the public grid, and an activity's cost only where the
plan marks costs public (:attr:`geo.model.Plan.costs_public`).

:func:`buurt_from_query` reads the shareable ``?buurt=BU17710005``
parameter (also used by the explorer) without trusting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from . import model as m
from .errors import NotFound
from .participation import coarsen

PAGE_URL_PATH = "mijn-buurt"


@dataclass(frozen=True)
class PublicActivity:
    id: int
    title: str
    description: str
    domain: str
    status: str
    start: str
    end: str
    quick_win: bool
    lead_partner: str
    percent_done: float | None  # from the latest progress update, when there is one
    last_update: str | None  # date of the latest public progress update
    cost_estimate_eur: float | None  # only when the plan marks costs public
    geometry: BaseGeometry | None
    from_residents: bool  # a resident's suggestion or initiative became this activity


@dataclass(frozen=True)
class TakenUp:
    """One line of "jullie zeiden, wij deden"."""

    kind: str  # suggestion | initiative
    reference: str
    said: str  # what residents said (their text, shown as text)
    activity_id: int
    activity_title: str
    activity_status: str
    geometry: BaseGeometry | None  # the resident's pin, coarsened
    quick_win: bool = False


@dataclass
class PublicBuurt:
    area: m.Area
    plan: m.Plan | None
    activities: list[PublicActivity] = field(default_factory=list)
    taken_up: list[TakenUp] = field(default_factory=list)

    @property
    def costs_public(self) -> bool:
        return bool(self.plan and self.plan.costs_public)


class KnownBuurten:
    """The buurt codes a link may name: those shown (``shown``), else any buurt
    stored, asked of the store by its code (one key lookup, not every buurt of
    the database read)."""

    def __init__(self, store, shown: set[str] | dict):
        self.store, self.shown = store, shown

    def __contains__(self, code: object) -> bool:
        if code in self.shown:
            return True
        if not isinstance(code, str) or not self.store.exists(m.Area, code):
            return False
        return self.store.get(m.Area, code).level == "buurt"


def buurt_from_query(value: object, known: "set[str] | dict | KnownBuurten") -> str | None:
    """A buurt code from a URL parameter, or None when it is not one we know."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    code = str(value or "").strip().upper()[:12]
    return code if code.startswith("BU") and code in known else None


def progress(activity: m.Activity, latest: m.ActivityUpdate | None) -> tuple[float | None, str | None]:
    """An activity's percentage done and the date of its last progress update.

    From the latest update (:mod:`geo.execution.updates`: partners and
    planners post them); its note, money and photo stay internal. A finished
    activity is 100 % done; without an update the page shows the status only.
    """
    percent = None if latest is None or latest.percent_done is None else float(latest.percent_done)
    if activity.status == "done":
        percent = 100.0
    return percent, (latest.at[:10] if latest is not None and latest.at else None)


def public_buurt(store, code: str, grid_m: float = 0.0) -> PublicBuurt:
    """What the public may see of buurt ``code``; NotFound for an unknown code."""
    if not str(code or "").startswith("BU") or not store.exists(m.Area, code):
        raise NotFound(f"buurt {str(code)[:12]} bestaat niet", where="buurt")
    area = store.get(m.Area, code)
    plans = store.list(m.Plan, area_code=code)
    plan = plans[0] if plans else None
    acts = {a.id: a for a in store.list(m.Activity, buurt_code=code)}
    if plan is not None:
        acts.update({a.id: a for a in store.list(m.Activity, plan_id=plan.id)})
    taken: list[TakenUp] = []
    suggestions = store.list(m.Suggestion, status="in_plan", activity_id=list(acts) or [-1])
    initiatives = store.list(m.Initiative, status="approved", activity_id=list(acts) or [-1])
    from_residents = {s.activity_id for s in suggestions} | {i.activity_id for i in initiatives}
    costs_public = bool(plan and plan.costs_public)
    from .execution.updates import latest_by_activity

    latest = latest_by_activity(store.list(m.ActivityUpdate, activity_id=list(acts) or [-1]))
    activities = []
    for a in sorted(acts.values(), key=lambda a: (a.status in ("done", "stopped"), a.start or "9999", a.title)):
        percent, updated = progress(a, latest.get(a.id))
        activities.append(PublicActivity(
            id=a.id, title=a.title, description=a.description, domain=a.domain, status=a.status, start=a.start,
            end=a.end, quick_win=a.quick_win, lead_partner=a.lead_partner, percent_done=percent,
            last_update=updated, cost_estimate_eur=a.cost_estimate_eur if costs_public else None,
            geometry=a.geometry, from_residents=a.id in from_residents))
    for s in suggestions:
        a = acts[s.activity_id]
        taken.append(TakenUp("suggestion", s.reference, s.text, a.id, a.title, a.status,
                             coarsen(s.geometry, grid_m) if s.geometry is not None else None, a.quick_win))
    for i in initiatives:
        a = acts[i.activity_id]
        taken.append(TakenUp("initiative", i.reference, f"{i.title}: {i.text}", a.id, a.title, a.status,
                             coarsen(i.geometry, grid_m) if i.geometry is not None else None, a.quick_win))
    taken.sort(key=lambda x: x.reference)
    return PublicBuurt(area=area, plan=plan, activities=activities, taken_up=taken)


def activity_rows(view: PublicBuurt, lang: str = "nl") -> list[dict]:
    """The public agenda as table rows (headers in ``lang``); costs only when public."""
    from .i18n import label, t
    from .maps import format_number

    rows = []
    for a in view.activities:
        row = {
            t("col.title", lang): a.title,
            t("col.domain", lang): label(a.domain, lang),
            t("col.status", lang): label(a.status, lang),
            t("pub.col.done", lang): "—" if a.percent_done is None else f"{a.percent_done:.0f} %",
            t("pub.col.updated", lang): a.last_update or "—",
            t("col.period", lang): f"{a.start} – {a.end}" if a.start else "—",
            t("col.lead_partner", lang): a.lead_partner or "—",
            t("col.quick_win", lang): "✓" if a.quick_win else "",
        }
        if view.costs_public:
            row[t("pub.col.cost", lang)] = "—" if a.cost_estimate_eur is None else \
                f"€ {format_number(a.cost_estimate_eur, lang)}"
        rows.append(row)
    return rows


def public_buurt_map(view: PublicBuurt, lang: str = "nl", basemap: str = "brt", height: int = 460):
    """The buurt with its activities (by status) and the residents' pins that were taken up."""
    import folium

    from .i18n import label, t
    from .maps import BASEMAPS, FeatureLayer, Legend, OfflineMap, esc, feature, html_table
    from .maps.style import DOMAIN_COLOURS, STATUS_STYLE

    fmap = OfflineMap(
        lang=lang, location=(51.43, 5.59), zoom_start=14, tiles=None, control_scale=True, height=height)
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr_en"] if lang == "en" else base["attr"], max_zoom=base["max_zoom"], control=False,
                         name=basemap).add_to(fmap)
    area = view.area
    outline = FeatureLayer([feature(area.geometry, fid=area.code, tooltip=esc(area.name),
                                    style={"color": "#333", "weight": 2, "fillColor": "#c6dbef",
                                           "fillOpacity": 0.1, "className": f"wa-area wa-{area.code}"})],
                           name="buurt", interactive=False)
    outline.add_to(fmap)
    feats = []
    for a in view.activities:
        if a.geometry is None:
            continue
        style = {"color": DOMAIN_COLOURS.get(a.domain, "#555"), "fillColor": DOMAIN_COLOURS.get(a.domain, "#555"),
                 **{k: v for k, v in STATUS_STYLE.get(a.status, {}).items() if v is not None}}
        if a.geometry.geom_type == "Point":
            style["shape"] = "circle"
        rows = [(t("col.domain", lang), label(a.domain, lang)), (t("col.status", lang), label(a.status, lang)),
                (t("col.period", lang), f"{a.start} – {a.end}" if a.start else ""),
                (t("pub.col.done", lang), "" if a.percent_done is None else f"{a.percent_done:.0f} %"),
                (t("col.lead_partner", lang), a.lead_partner)]
        feats.append(feature(a.geometry, fid=f"activity-{a.id}", style=style,
                             tooltip=f"{esc(a.title)} ({esc(label(a.status, lang))})",
                             popup=html_table(rows, title=a.title)))
    FeatureLayer(feats, name="activities").add_to(fmap)
    pins = [feature(x.geometry, fid=f"{x.kind}-{x.reference}", style={"shape": "pin", "fillColor": "#e7298a"},
                    tooltip=esc(f"{x.reference}: {x.said[:80]}"),
                    popup=html_table([(t("pub.said", lang), x.said), (t("pub.did", lang), x.activity_title)],
                                     title=x.reference))
            for x in view.taken_up if x.geometry is not None]
    FeatureLayer(pins, name="taken_up").add_to(fmap)
    Legend([(t("pub.legend", lang), [(label(d, lang), {"fillColor": DOMAIN_COLOURS[d]}) for d in m.DOMAINS]
             + [(t("pub.legend.pin", lang), {"fillColor": "#e7298a"})])]).add_to(fmap)
    bounds = outline.bounds()
    if bounds:
        fmap.fit_view(bounds)
    return fmap


__all__ = ["PAGE_URL_PATH", "PublicActivity", "PublicBuurt", "TakenUp", "activity_rows", "buurt_from_query",
           "progress", "public_buurt", "public_buurt_map"]
