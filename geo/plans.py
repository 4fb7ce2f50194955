"""A neighbourhood plan: stages, analysis, implementation agenda, evaluation.

Every write takes the acting :class:`~geo.access.Actor` and checks it first
(``plan.edit``, ``activity.edit``, ``evaluation.edit``). Activities are
validated beyond :meth:`geo.model.Activity.validate` by :func:`check_activity`
(links, quick-win budget, status against dates); an agenda saved from a table
is checked row by row by :func:`save_agenda`, which writes nothing unless
every row passes and then writes all rows in one transaction.

Drawn shapes arrive from the browser as GeoJSON in EPSG:4326
(:func:`drawn_to_rd`); they are stored in RD New and the activity's buurt is
derived from where the shape lies (:class:`geo.spatial.AreaIndex`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from . import model as m
from .access import Actor, check
from .crs import RD_BOUNDS, to_store
from .errors import GeometryError, ValidationError, WijkatlasError
from .spatial import AreaIndex

# A quick win (*kleiner punt*) is cheap and quick: at most this estimate…
QUICK_WIN_MAX_EUR = 25_000
# …and done within this many quarters from start to end (inclusive).
QUICK_WIN_MAX_QUARTERS = 4
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Dutch field names for messages about activities.
FIELD_NAMES = {
    "title": "titel",
    "domain": "domein",
    "description": "omschrijving",
    "lead_partner": "trekker",
    "partners": "partners",
    "start": "begin",
    "end": "einde",
    "status": "status",
    "cost_estimate_eur": "raming",
    "cost_actual_eur": "werkelijke kosten",
    "quick_win": "quick win",
    "geometry": "plek",
    "quarter": "kwartaal",
    "meeting_place_id": "ontmoetingsplaats",
    "real_estate_id": "gebouw",
    "suggestion_id": "suggestie",
    "analysis_item_id": "analysepunt",
    "buurt_code": "buurt",
}


# --- quarters -----------------------------------------------------------------------
def quarter_label(index: int) -> str:
    """The inverse of :func:`geo.model.quarter_index`."""
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_of(year: int, month: int) -> str:
    return f"{year}-Q{(month - 1) // 3 + 1}"


# --- plans and stages ---------------------------------------------------------------
def plan_for(store, area_code: str) -> m.Plan | None:
    found = store.list(m.Plan, area_code=area_code)
    return found[0] if found else None


def default_title(area: m.Area) -> str:
    return f"Wijkontwikkelingsplan {area.name}"


def create_plan(store, actor: Actor, area_code: str, title: str = "", year: int | None = None) -> m.Plan:
    """A new plan (stage *not started*) for a buurt or wijk; refused if one exists."""
    check(actor, "plan.edit")
    area = store.get(m.Area, area_code)
    if area.level not in ("buurt", "wijk"):
        raise ValidationError("een plan hoort bij een buurt of een wijk", where="area_code")
    if plan_for(store, area_code) is not None:
        raise ValidationError(f"{area.name} heeft al een plan", where="area_code")
    return store.add(m.Plan(area_code=area_code, title=title.strip() or default_title(area), year=year))


def update_plan(
    store,
    actor: Actor,
    plan_id: int,
    *,
    title: str | None = None,
    year: Any = ...,
    summary: str | None = None,
    intended_effects: str | None = None,
) -> m.Plan:
    """Change a plan's texts or year (not its stage: see :func:`set_stage`)."""
    check(actor, "plan.edit")
    plan = store.get(m.Plan, plan_id)
    if title is not None:
        plan.title = title.strip()
    if year is not ...:
        plan.year = int(year) if year not in (None, "") else None
    if summary is not None:
        plan.summary = summary.strip()
    if intended_effects is not None:
        plan.intended_effects = intended_effects.strip()
    plan.validate()
    return store.update(plan)


def set_plan_years(store, actor: Actor, years: dict[str, int | None]) -> list[m.Plan]:
    """The multi-year planning: give buurten (or wijken) their plan year.

    A buurt without a plan gets one (stage *not started*) when it is given a
    year; all changes land together.
    """
    check(actor, "plan.edit")
    out = []
    with store.transaction():
        for code, year in years.items():
            if year is not None and (isinstance(year, float) and math.isnan(year)):
                year = None
            if year is not None:
                year = int(year)
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    raise ValidationError(f"planjaar {year} voor {code} moet tussen {FIRST_YEAR} en {LAST_YEAR} liggen",
                                          where="year")
            plan = plan_for(store, code)
            if plan is None:
                if year is None:
                    continue
                plan = create_plan(store, actor, code, year=year)
            elif plan.year != year:
                plan.year = year
                store.update(plan)
            out.append(plan)
    return out


def planning_rows(store) -> list[dict[str, Any]]:
    """The multi-year planning: every buurt with its plan's stage and year."""
    by_area = {p.area_code: p for p in store.list(m.Plan)}
    rows = []
    for area in sorted(store.list(m.Area, level="buurt"), key=lambda a: a.name):
        plan = by_area.get(area.code)
        rows.append({"code": area.code, "name": area.name, "stage": plan.stage if plan else "not_started",
                     "year": plan.year if plan else None})
    return rows


def years_overview(rows: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Plan year → the buurten planned for it (from :func:`planning_rows`)."""
    out: dict[int, list[str]] = {}
    for r in rows:
        if r["year"] is not None:
            out.setdefault(int(r["year"]), []).append(r["name"])
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class PlanState:
    """What a plan has, for the stage rules."""

    analysis_items: int
    activities: int
    scheduled_activities: int
    evaluation_factors: int


def plan_state(store, plan: m.Plan) -> PlanState:
    acts = store.list(m.Activity, plan_id=plan.id)
    return PlanState(
        analysis_items=store.count(m.AnalysisItem, plan_id=plan.id),
        activities=len(acts),
        scheduled_activities=sum(1 for a in acts if a.start and a.status != "stopped"),
        evaluation_factors=store.count(m.EvaluationFactor, plan_id=plan.id),
    )


def stage_problem(current: str, target: str, state: PlanState) -> str | None:
    """Why ``current`` → ``target`` is not allowed (None when it is).

    A plan moves one stage at a time; it may always step back one stage (to
    correct a mistake). Moving forward needs what the next stage builds on.
    """
    stages = m.PLAN_STAGES
    if target not in stages:
        return f"'{target}' is geen fase; kies uit {', '.join(stages)}"
    i, j = stages.index(current), stages.index(target)
    if i == j:
        return None
    if j < i:
        return None if j == i - 1 else "een plan gaat maar één fase tegelijk terug"
    if j > i + 1:
        return f"een plan gaat één fase tegelijk vooruit; de volgende fase is '{stages[i + 1]}'"
    if target == "agenda_agreed":
        if state.analysis_items == 0:
            return "de agenda kan pas worden vastgesteld als de analyse minstens één sterk punt of knelpunt heeft"
        if state.activities == 0:
            return "de agenda kan pas worden vastgesteld als er minstens één activiteit op staat"
    if target == "in_execution" and state.scheduled_activities == 0:
        return "uitvoering kan pas beginnen als minstens één activiteit een beginkwartaal heeft"
    if target == "evaluated" and state.evaluation_factors == 0:
        return "een plan is pas geëvalueerd als er minstens één succes- of faalfactor is vastgelegd"
    return None


def next_stages(store, plan: m.Plan) -> list[str]:
    """The stages the plan may move to now (its own stage first)."""
    state = plan_state(store, plan)
    return [s for s in m.PLAN_STAGES if stage_problem(plan.stage, s, state) is None]


def set_stage(store, actor: Actor, plan_id: int, stage: str) -> m.Plan:
    check(actor, "plan.edit")
    plan = store.get(m.Plan, plan_id)
    problem = stage_problem(plan.stage, stage, plan_state(store, plan))
    if problem:
        raise ValidationError(problem, where="fase")
    plan.stage = stage
    return store.update(plan)


# --- analysis -----------------------------------------------------------------------
def save_analysis_item(store, actor: Actor, item: m.AnalysisItem) -> m.AnalysisItem:
    check(actor, "plan.edit")
    store.get(m.Plan, item.plan_id)
    item.text = (item.text or "").strip()
    if item.geometry is not None:
        item.geometry = clean_geometry(item.geometry)
    item.validate()
    return store.save(item)


def set_analysis_geometry(store, actor: Actor, item_id: int, geom: BaseGeometry | None) -> m.AnalysisItem:
    """Put an analysis point on the map (or take it off with ``None``)."""
    check(actor, "plan.edit")
    item = store.get(m.AnalysisItem, item_id)
    item.geometry = geom
    return save_analysis_item(store, actor, item)


def delete_analysis_item(store, actor: Actor, item_id: int) -> None:
    check(actor, "plan.edit")
    with store.transaction():
        for act in store.list(m.Activity, analysis_item_id=item_id):
            act.analysis_item_id = None
            store.update(act)
        store.delete(m.AnalysisItem, item_id)


# --- geometry -----------------------------------------------------------------------
DRAWABLE = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


def clean_geometry(geom: BaseGeometry) -> BaseGeometry:
    """A valid RD geometry, repaired where possible, or :class:`GeometryError`."""
    if geom is None or geom.is_empty:
        raise GeometryError("de vorm is leeg", where="plek")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geom = shapely.union_all(polys) if polys else geom
    if geom.is_empty or geom.geom_type not in DRAWABLE:
        raise GeometryError(f"de vorm ({geom.geom_type}) kan niet worden hersteld; teken hem opnieuw", where="plek")
    x0, y0, x1, y1 = RD_BOUNDS
    minx, miny, maxx, maxy = geom.bounds
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        raise GeometryError("de vorm ligt niet in Nederland (RD New)", where="plek")
    return geom


def drawn_to_rd(drawing: dict[str, Any] | None) -> BaseGeometry:
    """A shape drawn in the browser (GeoJSON Feature or geometry, EPSG:4326)
    as a clean RD New geometry. A drawn circle becomes a polygon."""
    if not drawing:
        raise GeometryError("er is niets getekend", where="plek")
    geometry = drawing.get("geometry", drawing) if isinstance(drawing, dict) else None
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryError("de tekening is geen GeoJSON-vorm", where="plek")
    try:
        geom = shape(geometry)
    except Exception as exc:  # noqa: BLE001 - shapely raises several kinds
        raise GeometryError(f"de tekening is geen geldige vorm ({exc})", where="plek") from None
    if geom.is_empty:
        raise GeometryError("de vorm is leeg", where="plek")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("de tekening heeft geen lengte- en breedtegraden (EPSG:4326)", where="plek")
    rd = to_store(geom)
    radius = (drawing.get("properties") or {}).get("radius") if isinstance(drawing, dict) else None
    if rd.geom_type == "Point" and isinstance(radius, (int, float)) and radius > 0:
        rd = rd.buffer(float(radius), quad_segs=16)
    return clean_geometry(rd)


def last_drawing(event: dict[str, Any] | None) -> dict[str, Any] | None:
    """The shape a streamlit-folium Draw event carries (last drawn first)."""
    if not event:
        return None
    if event.get("last_active_drawing"):
        return event["last_active_drawing"]
    drawings = event.get("all_drawings") or []
    return drawings[-1] if drawings else None


# --- activities ---------------------------------------------------------------------
def field_name(name: str | None) -> str:
    return FIELD_NAMES.get(name or "", name or "")


def check_activity(store, act: m.Activity) -> None:
    """Every rule an activity must meet, with the field named in ``where``."""
    for q, name in ((act.start, "start"), (act.end, "end")):
        if q:
            try:
                m.quarter_index(q)
            except ValidationError as exc:  # name the column, not just "quarter"
                raise ValidationError(exc.message, where=name) from None
    act.validate()
    for q, name in ((act.start, "start"), (act.end, "end")):
        if q and not FIRST_YEAR <= m.quarter_index(q) // 4 <= LAST_YEAR:
            raise ValidationError(f"kwartaal {q} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}", where=name)
    if act.end and not act.start:
        raise ValidationError("vul ook het beginkwartaal in als er een eindkwartaal is", where="start")
    if act.status in ("running", "done") and not act.start:
        raise ValidationError(f"een activiteit met status '{act.status}' heeft een beginkwartaal nodig", where="start")
    if act.status == "done" and not act.end:
        raise ValidationError("een afgeronde activiteit heeft een eindkwartaal nodig", where="end")
    if act.cost_actual_eur not in (None, 0) and act.status == "planned":
        raise ValidationError("een geplande activiteit heeft nog geen werkelijke kosten; zet de status op 'loopt'",
                              where="cost_actual_eur")
    if act.quick_win:
        if act.cost_estimate_eur is not None and act.cost_estimate_eur > QUICK_WIN_MAX_EUR:
            raise ValidationError(
                f"een quick win kost hoogstens € {QUICK_WIN_MAX_EUR:,} (raming € {act.cost_estimate_eur:,.0f})".replace(",", "."),
                where="cost_estimate_eur",
            )
        if act.start and act.end and m.quarter_index(act.end) - m.quarter_index(act.start) + 1 > QUICK_WIN_MAX_QUARTERS:
            raise ValidationError(f"een quick win duurt hoogstens {QUICK_WIN_MAX_QUARTERS} kwartalen", where="end")
    if act.lead_partner and act.lead_partner in act.partners:
        act.partners = [p for p in act.partners if p != act.lead_partner]
    links = (
        ("meeting_place_id", m.MeetingPlace),
        ("real_estate_id", m.RealEstate),
        ("suggestion_id", m.Suggestion),
        ("analysis_item_id", m.AnalysisItem),
    )
    for name, cls in links:
        key = getattr(act, name)
        if key is not None and not store.exists(cls, key):
            raise ValidationError(f"nummer {key} bestaat niet", where=name)
    if act.analysis_item_id is not None and act.plan_id is not None:
        if store.get(m.AnalysisItem, act.analysis_item_id).plan_id != act.plan_id:
            raise ValidationError("het analysepunt hoort bij een ander plan", where="analysis_item_id")
    if act.buurt_code and not store.exists(m.Area, act.buurt_code):
        raise ValidationError(f"buurt {act.buurt_code} bestaat niet", where="buurt_code")


def _place_buurt(store, act: m.Activity, index: AreaIndex | None) -> None:
    """Give the activity its buurt: from its shape, else from what it is linked to, else the plan's buurt."""
    if act.geometry is not None:
        act.geometry = clean_geometry(act.geometry)
        index = index or AreaIndex.from_store(store, level="buurt")
        code = index.code_at(act.geometry)
        if code is None:
            raise ValidationError("de plek ligt buiten de buurten van de gemeente", where="geometry")
        act.buurt_code = code
        return
    for name, cls in (("meeting_place_id", m.MeetingPlace), ("real_estate_id", m.RealEstate)):
        key = getattr(act, name)
        if key is not None and store.exists(cls, key):
            linked = store.get(cls, key)
            if linked.buurt_code:
                act.buurt_code = linked.buurt_code
                return
    if act.plan_id is not None and not act.buurt_code:
        plan = store.get(m.Plan, act.plan_id)
        if m.level_of_code(plan.area_code) == "buurt":
            act.buurt_code = plan.area_code


def save_activity(store, actor: Actor, act: m.Activity, index: AreaIndex | None = None) -> m.Activity:
    """Validate and store one activity (new when ``act.id`` is None)."""
    check(actor, "activity.edit")
    act.title = (act.title or "").strip()
    act.lead_partner = (act.lead_partner or "").strip()
    act.partners = [p.strip() for p in act.partners if p and p.strip()]
    _place_buurt(store, act, index)
    check_activity(store, act)
    with store.transaction():
        previous = store.get(m.Activity, act.id).suggestion_id if act.id and store.exists(m.Activity, act.id) else None
        saved = store.save(act)
        _sync_suggestion_link(store, actor, saved, previous)
    return saved


def _sync_suggestion_link(store, actor: Actor, act: m.Activity, previous: int | None) -> None:
    """Keep the resident's side in step: a suggestion an activity answers is
    'taken into the plan' and points back at it; one no longer answered by
    it goes back to 'published'. Residents follow this on the public page."""
    if previous == act.suggestion_id:
        return  # link unchanged: the moderator's status (e.g. answered) stands
    if previous:
        _release_suggestion(store, actor, previous, act.id)
    if act.suggestion_id:
        sug = store.get(m.Suggestion, act.suggestion_id)
        if sug.activity_id != act.id or sug.status != "in_plan":
            sug.activity_id, sug.status = act.id, "in_plan"
            store.update(sug)
            store.add(m.AuditEntry(at=_now(), user=actor.name, action="suggestion.in_plan",
                                   target=sug.reference or str(sug.id), detail=f"activiteit {act.id}: {act.title}"))


def _release_suggestion(store, actor: Actor, suggestion_id: int, activity_id: int | None) -> None:
    if not store.exists(m.Suggestion, suggestion_id):
        return
    sug = store.get(m.Suggestion, suggestion_id)
    if sug.activity_id == activity_id:
        sug.activity_id = None
        if sug.status == "in_plan":
            sug.status = "published"
        store.update(sug)
        store.add(m.AuditEntry(at=_now(), user=actor.name, action="suggestion.released",
                               target=sug.reference or str(sug.id), detail=f"activiteit {activity_id}"))


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def set_activity_geometry(store, actor: Actor, activity_id: int, geom: BaseGeometry | None,
                          index: AreaIndex | None = None) -> m.Activity:
    """Put an activity on the map (or take it off with ``None``)."""
    check(actor, "activity.edit")
    act = store.get(m.Activity, activity_id)
    act.geometry = geom
    return save_activity(store, actor, act, index)


def delete_activity(store, actor: Actor, activity_id: int) -> None:
    check(actor, "activity.edit")
    with store.transaction():
        _delete_activity(store, actor, activity_id)


def _delete_activity(store, actor: Actor, activity_id: int) -> None:
    for sug in store.list(m.Suggestion, activity_id=activity_id):
        _release_suggestion(store, actor, sug.id, activity_id)
    store.delete(m.Activity, activity_id)


def plan_activities(store, plan: m.Plan) -> list[m.Activity]:
    return sorted(store.list(m.Activity, plan_id=plan.id), key=lambda a: (a.start or "9999", a.title))


def quick_wins(store, plan: m.Plan) -> list[m.Activity]:
    """The plan's small points (*kleinere punten*), open ones first."""
    acts = [a for a in plan_activities(store, plan) if a.quick_win]
    return sorted(acts, key=lambda a: (a.status in ("done", "stopped"), a.start or "9999", a.title))


# --- the agenda as a table ------------------------------------------------------------
AGENDA_COLUMNS = (
    "id", "title", "domain", "lead_partner", "partners", "start", "end", "status",
    "cost_estimate_eur", "cost_actual_eur", "quick_win", "description",
)


@dataclass
class RowError:
    row: int  # 1-based, as the user counts
    field: str
    message: str

    def __str__(self) -> str:
        return f"rij {self.row}, {field_name(self.field)}: {self.message}"


class AgendaError(ValidationError):
    """Some rows of an agenda table were refused; nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        lines = "; ".join(str(e) for e in errors)
        super().__init__(f"niets opgeslagen, {len(errors)} rij(en) geweigerd — {lines}")


def agenda_rows(activities: Iterable[m.Activity], lang: str | None = None) -> list[dict[str, Any]]:
    """Activities as table rows (partners as one comma-separated text;
    with ``lang``, domain and status as labels in that language)."""
    from .i18n import label

    rows = []
    for a in activities:
        row = {c: getattr(a, c) for c in AGENDA_COLUMNS if c != "partners"}
        row["partners"] = ", ".join(a.partners)
        if lang:
            row["domain"], row["status"] = label(a.domain, lang), label(a.status, lang)
        rows.append({c: row[c] for c in AGENDA_COLUMNS})
    return rows


def rows_from_frame(frame) -> list[dict[str, Any]]:
    """A table edited in the browser (a pandas DataFrame) as plain rows, NaN → None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def _number(value: Any, name: str) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValidationError("is geen bedrag", where=name)
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text:  # Dutch: 1.250,50
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"'{value}' is geen bedrag", where=name) from None


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def vocabulary_code(value: Any, codes: tuple[str, ...]) -> str:
    """A vocabulary value as its code: the code itself, or its label in either language."""
    from .i18n import LANGUAGES, label

    text = _text(value)
    if text in codes:
        return text
    for code in codes:
        if any(text.lower() == label(code, lang).lower() for lang in LANGUAGES):
            return code
    return text  # left for validation to refuse, naming the value


def row_to_activity(row: dict[str, Any], base: m.Activity | None, plan_id: int) -> m.Activity:
    """One table row onto a (copy of an) activity; the place and links stay."""
    act = m.Activity(**base.to_dict()) if base else m.Activity(title="", domain="", plan_id=plan_id)
    act.plan_id = plan_id
    act.title = _text(row.get("title"))
    act.domain = vocabulary_code(row.get("domain"), m.DOMAINS)
    act.description = _text(row.get("description"))
    act.lead_partner = _text(row.get("lead_partner"))
    partners = row.get("partners")
    if isinstance(partners, (list, tuple)):
        act.partners = [str(p).strip() for p in partners if str(p).strip()]
    else:
        act.partners = [p.strip() for p in _text(partners).split(",") if p.strip()]
    act.start = _text(row.get("start")).upper()
    act.end = _text(row.get("end")).upper()
    act.status = vocabulary_code(row.get("status"), m.ACTIVITY_STATUSES) or "planned"
    act.cost_estimate_eur = _number(row.get("cost_estimate_eur"), "cost_estimate_eur")
    act.cost_actual_eur = _number(row.get("cost_actual_eur"), "cost_actual_eur")
    qw = row.get("quick_win")
    act.quick_win = bool(qw) and not _blank(qw)
    return act


def _row_id(row: dict[str, Any]) -> int | None:
    value = row.get("id")
    if _blank(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"'{value}' is geen activiteitnummer", where="id") from None


def save_agenda(store, actor: Actor, plan_id: int, rows: list[dict[str, Any]],
                index: AreaIndex | None = None) -> list[m.Activity]:
    """Save a plan's agenda as edited in a table: all rows, or none.

    Rows with an ``id`` update that activity (its place and links are kept);
    rows without one are new; the plan's activities missing from ``rows``
    are deleted. Every refused row is reported in one :class:`AgendaError`.
    """
    check(actor, "activity.edit")
    plan = store.get(m.Plan, plan_id)
    existing = {a.id: a for a in store.list(m.Activity, plan_id=plan.id)}
    index = index or AreaIndex.from_store(store, level="buurt")
    errors: list[RowError] = []
    prepared: list[m.Activity] = []
    for n, row in enumerate(rows, start=1):
        if all(_blank(row.get(c)) or row.get(c) is False for c in AGENDA_COLUMNS):
            continue  # an empty row added and left blank
        try:
            rid = _row_id(row)
            if rid is not None and rid not in existing:
                raise ValidationError(f"activiteit {rid} hoort niet bij dit plan", where="id")
            act = row_to_activity(row, existing.get(rid), plan.id)
            act.title = act.title.strip()
            _place_buurt(store, act, index)
            check_activity(store, act)
        except WijkatlasError as exc:
            errors.append(RowError(n, exc.where or "", exc.message))
            continue
        prepared.append(act)
    if errors:
        raise AgendaError(errors)
    kept = {a.id for a in prepared if a.id is not None}
    with store.transaction():
        for aid in existing:
            if aid not in kept:
                _delete_activity(store, actor, aid)
        saved = []
        for act in prepared:
            previous = existing[act.id].suggestion_id if act.id in existing else None
            saved.append(store.save(act))
            _sync_suggestion_link(store, actor, saved[-1], previous)
        return saved


# --- evaluation ---------------------------------------------------------------------
def save_evaluation_factor(store, actor: Actor, factor: m.EvaluationFactor) -> m.EvaluationFactor:
    check(actor, "evaluation.edit")
    store.get(m.Plan, factor.plan_id)
    factor.factor = (factor.factor or "").strip()
    factor.lesson = (factor.lesson or "").strip()
    factor.evidence = (factor.evidence or "").strip()
    factor.validate()
    if factor.share_lesson and not factor.lesson:
        raise ValidationError("schrijf eerst een les op voordat u die deelt met andere plannen", where="lesson")
    return store.save(factor)


def delete_evaluation_factor(store, actor: Actor, factor_id: int) -> None:
    check(actor, "evaluation.edit")
    store.delete(m.EvaluationFactor, factor_id)


@dataclass
class SharedLesson:
    plan_title: str
    area_code: str
    factor: m.EvaluationFactor


def shared_lessons(store, for_plan: m.Plan | None = None) -> list[SharedLesson]:
    """Lessons other plans marked for sharing (all when ``for_plan`` is None)."""
    plans = {p.id: p for p in store.list(m.Plan)}
    out = []
    for f in store.list(m.EvaluationFactor, share_lesson=True):
        if for_plan is not None and f.plan_id == for_plan.id:
            continue
        p = plans.get(f.plan_id)
        if p is not None:
            out.append(SharedLesson(p.title, p.area_code, f))
    return out


# --- environment plan (omgevingsplan) ------------------------------------------------
ENVIRONMENT_LAYER = "wijkplannen_effecten"


def environment_plan_frame(store):
    """Plan areas with their intended effects, as a GeoDataFrame in RD New."""
    import geopandas as gpd

    rows, geoms = [], []
    for plan in store.list(m.Plan, order_by="area_code"):
        if not store.exists(m.Area, plan.area_code):
            continue
        area = store.get(m.Area, plan.area_code)
        if area.geometry is None:
            continue
        acts = store.list(m.Activity, plan_id=plan.id)
        rows.append({
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "plan_title": plan.title,
            "stage": plan.stage,
            "year": plan.year,
            "intended_effects": plan.intended_effects,
            "summary": plan.summary,
            "activities": len(acts),
            "domains": ", ".join(sorted({a.domain for a in acts})),
        })
        geoms.append(area.geometry)
    columns = ["code", "name", "level", "plan_title", "stage", "year", "intended_effects", "summary",
               "activities", "domains"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs=m.STORE_CRS)


def environment_plan_gpkg(store, actor: Actor) -> bytes:
    """The environment-plan layer as a GeoPackage file (bytes)."""
    check(actor, "data.export")
    import os
    import tempfile

    frame = environment_plan_frame(store)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "omgevingsplan.gpkg")
        frame.to_file(path, layer=ENVIRONMENT_LAYER, driver="GPKG", engine="pyogrio")
        with open(path, "rb") as fh:
            return fh.read()


# --- the plan page's map ----------------------------------------------------------------
def plan_map(area: m.Area, neighbours: list[m.Area], activities: list[m.Activity],
             analysis: list[m.AnalysisItem], lang: str = "nl", basemap: str = "none", draw: bool = True,
             height: int = 520):
    """The plan area with its activities and analysis points, and (with
    ``draw``) leaflet-draw tools served by the app (:class:`OfflineDraw`)."""
    import folium

    from .i18n import label, t
    from .maps import BASEMAPS, FeatureLayer, OfflineDraw, OfflineMap, esc, feature, html_table
    from .maps import style as S

    fmap = OfflineMap(location=(51.43, 5.59), zoom_start=14, tiles=None, control_scale=True, height=height)
    base = BASEMAPS.get(basemap)
    if base:
        folium.TileLayer(tiles=base["tiles"], attr=base["attr"], max_zoom=base["max_zoom"], control=False).add_to(fmap)
    outlines = [feature(a.geometry, fid=a.code, style={"color": "#999", "weight": 1, "fillColor": "#eee",
                                                       "fillOpacity": 0.3}, tooltip=html_table([], title=a.name))
                for a in sorted(neighbours, key=lambda a: a.code) if a.geometry is not None]
    outlines.append(feature(area.geometry, fid=area.code, style={"color": "#333", "weight": 3, "fillColor": "#fff7d6",
                                                                 "fillOpacity": 0.35}))
    area_layer = FeatureLayer(outlines, name="areas", interactive=False)
    area_layer.add_to(fmap)
    feats = []
    for i, a in enumerate(activities, start=1):
        if a.geometry is None:
            continue
        colour = S.DOMAIN_COLOURS.get(a.domain, "#555")
        style = {"color": colour, "fillColor": colour, "radius": 8, "shape": "circle", **S.STATUS_STYLE[a.status]}
        rows = [(t("agenda.col.domain", lang), label(a.domain, lang)), (t("agenda.col.status", lang), label(a.status, lang)),
                (t("timeline.col.period", lang), f"{a.start} – {a.end}" if a.start else "")]
        feats.append(feature(a.geometry, fid=f"activity-{a.id}", style=style, tooltip=f"<b>{i}. {esc(a.title)}</b>",
                             popup=html_table(rows, title=a.title), props={"_label": a.title}))
    for item in analysis:
        if item.geometry is None:
            continue
        colour = "#1a9641" if item.kind == "strength" else "#d7191c"
        feats.append(feature(item.geometry, fid=f"analysis-{item.id}",
                             style={"color": "#222", "fillColor": colour, "shape": "square", "fillOpacity": 0.9},
                             tooltip=f"{esc(label(item.kind, lang))}: {esc(item.text[:80])}",
                             props={"_label": label(item.kind, lang)}))
    FeatureLayer(feats, name="plan").add_to(fmap)
    if draw:
        OfflineDraw(
            export=False,
            position="topleft",
            draw_options={"circle": False, "circlemarker": False, "rectangle": True, "polygon": True,
                          "polyline": True, "marker": True},
            edit_options={"edit": False, "remove": True},
        ).add_to(fmap)
    bounds = area_layer.bounds()
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def describe_geometry(geom: BaseGeometry, lang: str = "nl") -> str:
    """'vlak van 1,2 ha', 'lijn van 350 m', 'punt' — for a preview before saving."""
    kind = geom.geom_type
    nl = lang == "nl"
    if "Polygon" in kind:
        ha = geom.area / 10_000
        text = f"{ha:.2f} ha".replace(".", ",") if nl else f"{ha:.2f} ha"
        return ("vlak van " if nl else "area of ") + text
    if "LineString" in kind:
        return ("lijn van " if nl else "line of ") + f"{geom.length:.0f} m"
    return "punt" if nl else "point"
