"""A plan's implementation agenda: activities, quick wins and the agenda table.

Every write takes the acting :class:`~geo.access.Actor` and checks it first
(``activity.edit``). Activities are validated beyond
:meth:`geo.model.Activity.validate` by :func:`check_activity` (links,
quick-win budget, status against dates); an agenda saved from a table is
checked row by row by :func:`save_agenda`, which writes nothing unless every
row passes and then writes all rows in one transaction.

An activity's buurt is derived from where its shape lies, asked of the
store (:class:`geo.spatial.StoreAreas`); shapes drawn in the browser become RD New
geometries in :mod:`geo.drawing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from shapely.geometry.base import BaseGeometry

from . import model as m
from .access import Actor, check
from .drawing import clean_geometry
from .errors import Conflict, ValidationError, WijkatlasError
from .plans import FIRST_YEAR, LAST_YEAR
from .spatial import Locator, locator

# A quick win (*kleiner punt*) is cheap and quick: at most this estimate…
QUICK_WIN_MAX_EUR = 25_000
# …and done within this many quarters from start to end (inclusive).
QUICK_WIN_MAX_QUARTERS = 4

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


def _place_buurt(store, act: m.Activity, index: Locator | None) -> None:
    """Give the activity its buurt: from its shape, else from what it is linked to, else the plan's buurt."""
    if act.geometry is not None:
        act.geometry = clean_geometry(act.geometry)
        code = locator(store, index).code_at(act.geometry)
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


def save_activity(store, actor: Actor, act: m.Activity, index: Locator | None = None) -> m.Activity:
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
            from .notify import suggestion_changed

            suggestion_changed(store, sug)
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
                          index: Locator | None = None) -> m.Activity:
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


def activity_numbers(activities: Iterable[m.Activity]) -> dict[int, int]:
    """The public number of each activity within its plan (id → 1, 2, …).

    One number per activity everywhere — agenda table and form, map labels
    and pickers, quick wins, the plan document: activities are counted in the
    order they were added to the plan (their id), so re-sorting, editing or
    adding never changes a number; only deleting one closes the gap."""
    return {a.id: n for n, a in enumerate(sorted((a for a in activities if a.id is not None), key=lambda a: a.id),
                                          start=1)}


def numbered(activity: m.Activity, numbers: dict[int, int]) -> str:
    """'3. Title' with the activity's public number (just the title when it has none yet)."""
    n = numbers.get(activity.id)
    return f"{n}. {activity.title}" if n else activity.title


def plan_activities(store, plan: m.Plan) -> list[m.Activity]:
    return sorted(store.list(m.Activity, plan_id=plan.id), key=lambda a: (a.start or "9999", a.title))


def quick_wins(store, plan: m.Plan) -> list[m.Activity]:
    """The plan's small points (*kleinere punten*), open ones first."""
    acts = [a for a in plan_activities(store, plan) if a.quick_win]
    return sorted(acts, key=lambda a: (a.status in ("done", "stopped"), a.start or "9999", a.title))


# --- the agenda as a table ------------------------------------------------------------
AGENDA_COLUMNS = (
    "number", "id", "title", "domain", "lead_partner", "partners", "start", "end", "status",
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


class AgendaConflict(Conflict):
    """Someone else changed the plan's agenda after the table was opened
    (optimistic locking); nothing was saved.

    ``changed``: activities saved by someone else since (as stored now);
    ``added``: activities someone else added; ``removed``: ids of activities
    someone else deleted. Saving again with :func:`agenda_versions` of what is
    stored now keeps the table's version (a row whose activity was deleted
    meanwhile is added again)."""

    def __init__(self, changed: list[m.Activity], added: list[m.Activity], removed: list[int]):
        self.changed, self.added, self.removed = changed, added, removed
        n = len(changed) + len(added) + len(removed)
        super().__init__(f"de agenda is intussen door iemand anders gewijzigd ({n} activiteit(en)); "
                         "uw wijzigingen zijn niet opgeslagen", table="activities")


def agenda_versions(activities: Iterable[m.Activity]) -> dict[int, int]:
    """What an agenda table shows, for :func:`save_agenda`'s ``seen``: activity id → version."""
    return {a.id: int(a.version or 0) for a in activities if a.id is not None}


def _agenda_changes(stored: dict[int, m.Activity], seen: dict[int, int]) -> AgendaConflict | None:
    changed = [a for aid, a in stored.items() if aid in seen and int(a.version or 0) != seen[aid]]
    added = [a for aid, a in stored.items() if aid not in seen]
    removed = sorted(aid for aid in seen if aid not in stored)
    return AgendaConflict(changed, added, removed) if changed or added or removed else None


def agenda_rows(activities: Iterable[m.Activity], lang: str | None = None) -> list[dict[str, Any]]:
    """Activities as table rows (partners as one comma-separated text;
    with ``lang``, domain and status as labels in that language)."""
    from .i18n import label

    activities = list(activities)
    numbers = activity_numbers(activities)
    rows = []
    for a in activities:
        row = {c: getattr(a, c) for c in AGENDA_COLUMNS if c not in ("partners", "number")}
        row["partners"] = ", ".join(a.partners)
        row["number"] = numbers.get(a.id)
        if lang:
            row["domain"], row["status"] = label(a.domain, lang), label(a.status, lang)
        rows.append({c: row[c] for c in AGENDA_COLUMNS})
    return rows


def editor_has_edits(state: Any) -> bool:
    """Whether a table editor's state (Streamlit's ``{"edited_rows", "added_rows",
    "deleted_rows"}``) holds any edit of the user's."""
    if not isinstance(state, dict):
        return False
    return any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


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
                index: Locator | None = None, seen: dict[int, int] | None = None) -> list[m.Activity]:
    """Save a plan's agenda as edited in a table: all rows, or none.

    Rows with an ``id`` update that activity (its place and links are kept);
    rows without one are new; the plan's activities missing from ``rows``
    are deleted. Every refused row is reported in one :class:`AgendaError`.

    ``seen`` (:func:`agenda_versions` of what the table showed) makes the
    save optimistic: when anyone changed, added or deleted an activity of the
    plan since, :class:`AgendaConflict` is raised and nothing is written (not
    last-writer-wins). Without ``seen`` only a change between this call's own
    read and its write is refused.
    """
    check(actor, "activity.edit")
    plan = store.get(m.Plan, plan_id)
    existing = {a.id: a for a in store.list(m.Activity, plan_id=plan.id)}
    if seen is not None:
        seen = {int(k): int(v) for k, v in seen.items()}
        conflict = _agenda_changes(existing, seen)
        if conflict is not None:
            raise conflict
    # A plan's agenda is tens of rows: one store question per located row is
    # cheaper than loading every buurt (of the country, on a shared database).
    index = locator(store, index)
    errors: list[RowError] = []
    prepared: list[m.Activity] = []
    for n, row in enumerate(rows, start=1):
        if all(_blank(row.get(c)) or row.get(c) is False for c in AGENDA_COLUMNS):
            continue  # an empty row added and left blank
        try:
            rid = _row_id(row)
            if rid is not None and rid not in existing:
                if seen is None or store.exists(m.Activity, rid):
                    raise ValidationError(f"activiteit {rid} hoort niet bij dit plan", where="id")
                rid = None  # deleted by someone else; saving the table again keeps it: added anew
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
        # Writes are serialised: what is read here stays until the commit.
        now = {a.id: a for a in store.list(m.Activity, plan_id=plan.id)}
        conflict = _agenda_changes(now, agenda_versions(existing.values()))
        if conflict is not None:
            raise conflict  # someone saved between the check above and this write
        for aid in existing:
            if aid not in kept:
                _delete_activity(store, actor, aid)
        saved = []
        for act in prepared:
            previous = existing[act.id].suggestion_id if act.id in existing else None
            saved.append(store.save(act))
            _sync_suggestion_link(store, actor, saved[-1], previous)
        return saved


# --- for the plan page --------------------------------------------------------------
def refusal(err: WijkatlasError) -> str:
    """A refused save as 'field: message', the field in Dutch."""
    return f"{field_name(err.where)}: {err.message}" if err.where else str(err)


def activity_from_form(base: m.Activity, *, title: str, domain: str, description: str, lead_partner: str,
                       partners: str, start: str, end: str, status: str, cost_estimate_eur: float | None,
                       cost_actual_eur: float | None, quick_win: bool, meeting_place_id: int | None,
                       real_estate_id: int | None, suggestion_id: int | None,
                       analysis_item_id: int | None) -> m.Activity:
    """A copy of ``base`` with the activity form's values (partners as one comma-separated text)."""
    act = m.Activity(**base.to_dict())
    act.title, act.domain, act.description = title, domain, description
    act.lead_partner, act.partners = lead_partner, [p for p in (partners or "").split(",")]
    act.start, act.end, act.status = (start or "").strip().upper(), (end or "").strip().upper(), status
    act.cost_estimate_eur, act.cost_actual_eur, act.quick_win = cost_estimate_eur, cost_actual_eur, quick_win
    act.meeting_place_id, act.real_estate_id = meeting_place_id, real_estate_id
    act.suggestion_id, act.analysis_item_id = suggestion_id, analysis_item_id
    return act


@dataclass(frozen=True)
class LinkOptions:
    """What an activity of a plan can be linked to: id → label."""

    meeting_places: dict[int, str]
    buildings: dict[int, str]
    suggestions: dict[int, str]
    analysis_items: dict[int, str]


def link_options(store, area_code: str, analysis: list[m.AnalysisItem], lang: str = "nl") -> LinkOptions:
    """Meeting places and buildings anywhere; the area's suggestions still open to a plan; the plan's analysis."""
    from .i18n import label

    return LinkOptions(
        meeting_places={p.id: p.name for p in store.list(m.MeetingPlace, order_by="name")},
        buildings={b.id: b.name for b in store.list(m.RealEstate, order_by="name")},
        suggestions={s.id: f"{s.reference or s.id}: {s.text[:60]}" for s in store.list(m.Suggestion)
                     if s.buurt_code == area_code and s.status not in ("hidden", "rejected", "merged")},
        analysis_items={a.id: f"{label(a.kind, lang)}: {a.text[:60]}" for a in analysis},
    )


def quick_win_rows(wins: list[m.Activity], lang: str = "nl",
                   numbers_from: list[m.Activity] | None = None) -> list[dict[str, Any]]:
    """The quick-win list as table rows with headers in ``lang`` (numbered
    among ``numbers_from``, all the plan's activities)."""
    from .i18n import label, t
    from .policy import fmt_eur

    def col(name: str) -> str:
        return t(f"agenda.col.{name}", lang)

    numbers = activity_numbers(wins if numbers_from is None else numbers_from)
    return [{col("number"): numbers.get(a.id), col("title"): a.title, col("domain"): label(a.domain, lang),
             col("lead_partner"): a.lead_partner, col("start"): a.start, col("end"): a.end,
             col("status"): label(a.status, lang), col("cost_estimate_eur"): fmt_eur(a.cost_estimate_eur, lang)}
            for a in wins]


def map_targets(activities: list[m.Activity], analysis: list[m.AnalysisItem],
                lang: str = "nl") -> dict[tuple[str, int], str]:
    """What a shape drawn on the plan map can be saved to: (kind, id) → label.
    Activities are numbered as on the map."""
    from .i18n import label

    numbers = activity_numbers(activities)
    targets = {("activity", a.id): numbered(a, numbers) for a in activities}
    targets |= {("analysis", a.id): f"{label(a.kind, lang)}: {a.text[:60]}" for a in analysis}
    return targets


def place_on_map(store, actor: Actor, target: tuple[str, int], geom: BaseGeometry | None,
                 index: Locator | None = None) -> m.Activity | m.AnalysisItem:
    """Save a drawn shape (or ``None``: take it off the map) with an activity or analysis item."""
    from .plans import set_analysis_geometry

    kind, key = target
    if kind == "activity":
        return set_activity_geometry(store, actor, key, geom, index)
    if kind == "analysis":
        return set_analysis_geometry(store, actor, key, geom)
    raise ValidationError(f"'{kind}' kan niet op de kaart", where="plek")
