"""The year team: per plan and year, a multidisciplinary team of internal and
external parties that takes up concrete points in the buurt.

A team (:class:`~geo.model.YearTeam`) has members (name, organisation, role
in the team), the points it takes up that year (activities and analysis
items of the same plan) and meetings with a date and decisions
(:class:`~geo.model.TeamMeeting`). Writes need ``team.edit`` and are audited.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable

from .. import model as m
from ..access import Actor, check
from ..errors import NotFound, ValidationError
from ..participation import now_utc

MAX_MEMBERS = 40


def _blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def clean_members(rows: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Members from an edited table (``name``, ``organisation``, ``role``):
    empty rows dropped, text trimmed; a row without a name is refused."""
    out = []
    for i, row in enumerate(rows, 1):
        values = {k: "" if _blank(row.get(k)) else str(row.get(k)).strip() for k in ("name", "organisation", "role")}
        if not any(values.values()):
            continue
        if not values["name"]:
            raise ValidationError("een teamlid heeft een naam nodig", where=f"lid {i}: naam")
        out.append(values)
    if len(out) > MAX_MEMBERS:
        raise ValidationError(f"een jaarteam heeft hoogstens {MAX_MEMBERS} leden", where="members")
    return out


def team_for(store, plan_id: int, year: int) -> m.YearTeam | None:
    found = store.list(m.YearTeam, plan_id=plan_id, year=year)
    return found[0] if found else None


def teams_of_plan(store, plan_id: int) -> list[m.YearTeam]:
    return store.list(m.YearTeam, order_by="year", plan_id=plan_id)


def save_team(store, actor: Actor, plan_id: int, year: int, members: Iterable[dict[str, Any]],
              activity_ids: Iterable[int] = (), analysis_item_ids: Iterable[int] = ()) -> m.YearTeam:
    """Create or replace the plan's team for ``year``; the points must belong to the plan."""
    check(actor, "team.edit")
    if not isinstance(plan_id, int) or not store.exists(m.Plan, plan_id):
        raise NotFound(f"plan {plan_id} bestaat niet", where="plan")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(f"'{year}' is geen jaar", where="year") from None
    activity_ids = list(dict.fromkeys(int(i) for i in activity_ids))
    analysis_item_ids = list(dict.fromkeys(int(i) for i in analysis_item_ids))
    own_acts = {a.id for a in store.list(m.Activity, plan_id=plan_id)}
    own_items = {i.id for i in store.list(m.AnalysisItem, plan_id=plan_id)}
    if stray := [i for i in activity_ids if i not in own_acts]:
        raise ValidationError(f"activiteit {stray[0]} hoort niet bij dit plan", where="activity_ids")
    if stray := [i for i in analysis_item_ids if i not in own_items]:
        raise ValidationError(f"analysepunt {stray[0]} hoort niet bij dit plan", where="analysis_item_ids")
    team = team_for(store, plan_id, year) or m.YearTeam(plan_id=plan_id, year=year)
    team.members = clean_members(members)
    team.activity_ids, team.analysis_item_ids = activity_ids, analysis_item_ids
    team.validate()
    with store.transaction():
        store.save(team)
        _log(store, actor, "team.save", team, f"{len(team.members)} leden, {len(activity_ids)} activiteiten, "
                                               f"{len(analysis_item_ids)} analysepunten")
    return team


def add_meeting(store, actor: Actor, team_id: int, date: _dt.date | str, decisions: str) -> m.TeamMeeting:
    check(actor, "team.edit")
    if not isinstance(team_id, int) or not store.exists(m.YearTeam, team_id):
        raise NotFound(f"jaarteam {team_id} bestaat niet; sla eerst het team op", where="team")
    meeting = m.TeamMeeting(team_id=team_id, date=date.isoformat() if isinstance(date, _dt.date) else str(date or ""),
                            decisions=(decisions or "").strip())
    meeting.validate()
    with store.transaction():
        store.add(meeting)
        _log(store, actor, "team.meeting", store.get(m.YearTeam, team_id), f"overleg {meeting.date}")
    return meeting


def delete_meeting(store, actor: Actor, meeting_id: int) -> None:
    check(actor, "team.edit")
    if not isinstance(meeting_id, int) or not store.exists(m.TeamMeeting, meeting_id):
        raise NotFound(f"overleg {meeting_id} bestaat niet", where="overleg")
    with store.transaction():
        meeting = store.get(m.TeamMeeting, meeting_id)
        store.delete(m.TeamMeeting, meeting_id)
        _log(store, actor, "team.meeting_deleted", store.get(m.YearTeam, meeting.team_id), f"overleg {meeting.date}")


def meetings(store, team_id: int) -> list[m.TeamMeeting]:
    return store.list(m.TeamMeeting, order_by="date", team_id=team_id)


def _log(store, actor: Actor, action: str, team: m.YearTeam, detail: str) -> None:
    store.add(m.AuditEntry(at=now_utc().isoformat(), user=actor.name, action=action,
                           target=f"plan {team.plan_id} jaar {team.year}", detail=detail))


# --- reading, for the plan page, the plan document and the programme --------------------------
@dataclass
class TeamView:
    """A team with its points and meetings resolved to records."""

    plan: m.Plan
    team: m.YearTeam
    activities: list[m.Activity]
    analysis_items: list[m.AnalysisItem]
    meetings: list[m.TeamMeeting]


def team_views(store, plan_ids: Iterable[int] | None = None, year: int | None = None) -> list[TeamView]:
    """Teams (of some plans, of one year) with what they take up, by plan and year."""
    plans = {p.id: p for p in store.list(m.Plan)}
    acts = {a.id: a for a in store.list(m.Activity)}
    items = {i.id: i for i in store.list(m.AnalysisItem)}
    wanted = None if plan_ids is None else set(plan_ids)
    out = []
    for team in store.list(m.YearTeam, order_by="year"):
        if team.plan_id not in plans or (wanted is not None and team.plan_id not in wanted):
            continue
        if year is not None and team.year != year:
            continue
        out.append(TeamView(
            plan=plans[team.plan_id], team=team,
            activities=[acts[i] for i in team.activity_ids if i in acts],
            analysis_items=[items[i] for i in team.analysis_item_ids if i in items],
            meetings=meetings(store, team.id),
        ))
    return sorted(out, key=lambda v: (v.team.year, v.plan.title))
