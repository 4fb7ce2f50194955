"""A neighbourhood plan: the plan itself, its stages, its analysis and the
multi-year planning.

A plan belongs to a buurt (or wijk) and moves one stage at a time
(:func:`stage_problem` says why a move is refused). Its implementation agenda
lives in :mod:`geo.agenda`, drawn shapes in :mod:`geo.drawing`, and its
evaluation (with lessons and the environment-plan export) in
:mod:`geo.evaluation`.

Every write takes the acting :class:`~geo.access.Actor` and checks it first
(``plan.edit``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from . import model as m
from .access import Actor, check
from .drawing import clean_geometry
from .errors import ValidationError

# Plan years and activity quarters lie between these years (inclusive).
FIRST_YEAR, LAST_YEAR = 2000, 2100


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
    costs_public: bool | None = None,
    version: int | None = None,
) -> m.Plan:
    """Change a plan's texts, year or whether its costs are public (not its
    stage: see :func:`set_stage`).

    ``version`` is the plan's version as the editor's form showed it: when
    someone else saved the plan since, :class:`~geo.errors.Conflict` is raised
    and nothing is written.
    """
    check(actor, "plan.edit")
    plan = store.get(m.Plan, plan_id)
    if version is not None:
        plan.version = int(version)
    if title is not None:
        plan.title = title.strip()
    if year is not ...:
        plan.year = int(year) if year not in (None, "") else None
    if summary is not None:
        plan.summary = summary.strip()
    if intended_effects is not None:
        plan.intended_effects = intended_effects.strip()
    if costs_public is not None:
        plan.costs_public = bool(costs_public)
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


def planning_rows(store, scope=None) -> list[dict[str, Any]]:
    """The multi-year planning: every buurt (in ``scope``, a
    :class:`geo.scope.Scope`, when given) with its plan's stage and year."""
    by_area = {p.area_code: p for p in store.list(m.Plan)}
    rows = []
    names = area_names(store, ("buurt",), scope)
    for code, name in sorted(names.items(), key=lambda pair: pair[1]):
        plan = by_area.get(code)
        rows.append({"code": code, "name": name, "stage": plan.stage if plan else "not_started",
                     "year": plan.year if plan else None})
    return rows


def area_names(store, levels: tuple[str, ...], scope=None) -> dict[str, str]:
    """Code → name of the stored areas of ``levels`` (in ``scope`` when given),
    in the order of the levels, then by code: codes and names only, never a
    boundary (a national database holds 18,000 buurten and wijken)."""
    out: dict[str, str] = {}
    for level in levels:
        cols = store.read_columns(m.Area, ["code", "name"], level=level)
        out.update((c, n) for c, n in zip(cols["code"].tolist(), cols["name"].tolist())
                   if scope is None or scope.contains(c))
    return out


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


# --- for the plan page --------------------------------------------------------------
@dataclass(frozen=True)
class AreaChoices:
    """The areas a plan page offers: planned ones first, then buurten, then wijken."""

    codes: list[str]
    names: dict[str, str]
    stages: dict[str, str]


def area_choices(store, scope=None) -> AreaChoices:
    """The buurten and wijken a plan can be for (in ``scope`` when given):
    those with a plan first, buurten before wijken, then by name."""
    names = area_names(store, ("buurt", "wijk"), scope)
    stages = {p.area_code: p.stage for p in store.list(m.Plan) if p.area_code in names}
    codes = sorted(names, key=lambda c: (c not in stages, c[:2] != "BU", names[c], c))
    return AreaChoices(codes, names, stages)


def next_stage_problem(store, plan: m.Plan) -> str | None:
    """Why the plan cannot move on to the next stage (None when it can, or is at the last)."""
    i = m.PLAN_STAGES.index(plan.stage)
    if i + 1 >= len(m.PLAN_STAGES):
        return None
    return stage_problem(plan.stage, m.PLAN_STAGES[i + 1], plan_state(store, plan))


def analysis_rows(items: list[m.AnalysisItem], kind: str, lang: str = "nl") -> list[dict[str, Any]]:
    """The analysis items of one kind as table rows with headers in ``lang``."""
    from .i18n import label, t

    return [{t("agenda.col.id", lang): a.id, t("agenda.col.domain", lang): label(a.domain, lang),
             t("plan.analysis.text", lang): a.text, t("plan.analysis.source", lang): label(a.source, lang),
             t("agenda.col.place", lang): "✓" if a.geometry is not None else ""}
            for a in items if a.kind == kind]
