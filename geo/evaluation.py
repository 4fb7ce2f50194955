"""A plan's evaluation: success and failure factors, lessons shared with
other plans, and the export of plan areas with their intended effects for
the environment plan (*omgevingsplan*).

Writes check ``evaluation.edit``; the export checks ``data.export``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .access import Actor, check
from .errors import ValidationError


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


def environment_plan_frame(store, scope=None):
    """Plan areas with their intended effects, as a GeoDataFrame in RD New
    (only those in ``scope``, a :class:`geo.scope.Scope`, when given)."""
    import geopandas as gpd

    rows, geoms = [], []
    for plan in store.list(m.Plan, order_by="area_code"):
        if scope is not None and not scope.contains(plan.area_code):
            continue
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


ENVIRONMENT_HEADERS = {
    "code": "programme.col.code", "name": "env.col.name", "level": "env.col.level", "plan_title": "env.col.plan",
    "stage": "programme.col.stage", "year": "programme.col.year", "intended_effects": "env.col.effects",
    "summary": "env.col.summary", "activities": "env.col.activities", "domains": "programme.col.domain",
}


def environment_plan_rows(frame, lang: str = "nl") -> list[dict]:
    """The environment-plan layer as table rows for people: headers in
    ``lang`` and labels instead of codes (the GeoPackage keeps the codes)."""
    from .i18n import label, t

    rows = []
    for r in frame.drop(columns="geometry").to_dict("records"):
        r["level"], r["stage"] = label(r["level"], lang), label(r["stage"], lang)
        r["domains"] = ", ".join(label(d.strip(), lang) for d in r["domains"].split(",") if d.strip())
        r["year"] = None if r["year"] is None or r["year"] != r["year"] else int(r["year"])
        rows.append({t(ENVIRONMENT_HEADERS[k], lang): v for k, v in r.items()})
    return rows


def environment_plan_gpkg(store, actor: Actor, scope=None) -> bytes:
    """The environment-plan layer as a GeoPackage file (bytes)."""
    check(actor, "data.export")
    import os
    import tempfile

    frame = environment_plan_frame(store, scope)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "omgevingsplan.gpkg")
        frame.to_file(path, layer=ENVIRONMENT_LAYER, driver="GPKG", engine="pyogrio")
        with open(path, "rb") as fh:
            return fh.read()


# --- for the plan page --------------------------------------------------------------
def factor_rows(factors: list[m.EvaluationFactor], lang: str = "nl") -> list[dict]:
    """A plan's evaluation factors as table rows with headers in ``lang``."""
    from .i18n import label, t

    return [{t("agenda.col.id", lang): f.id, t("plan.eval.factor", lang): f.factor,
             t("plan.eval.outcome", lang): label(f.outcome, lang), t("agenda.col.domain", lang): label(f.domain, lang),
             t("plan.eval.evidence", lang): f.evidence, t("plan.eval.lesson", lang): f.lesson,
             t("plan.eval.share", lang): "✓" if f.share_lesson else ""}
            for f in factors]


def lesson_rows(lessons: list[SharedLesson], lang: str = "nl") -> list[dict]:
    """Lessons from other plans as table rows with headers in ``lang``."""
    from .i18n import label, t

    return [{t("report.col.plan", lang): s.plan_title, t("plan.eval.factor", lang): s.factor.factor,
             t("plan.eval.outcome", lang): label(s.factor.outcome, lang), t("plan.eval.lesson", lang): s.factor.lesson}
            for s in lessons]
