"""The accommodation policy as rules, and a verdict per candidate meeting place.

The policy lives in ``data/policy.toml``: a ``[coverage]`` table (walking
distance, detour factor, kinds, target share) and one ``[rules.<name>]``
table per rule, each switchable (``enabled``) with its parameters.

Rules form a registry: a rule is one function decorated with
:func:`rule`, which names it and gives its default parameters. Each enabled
rule returns one :class:`Finding` per candidate — its level (aligned,
attention, conflict) and one line saying what it found. The candidate's
:class:`Verdict` is the most serious level among its findings.

Adding a rule = one decorated function here (plus its texts in
``geo/i18n/places.py`` and, optionally, a table in ``policy.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import shapely

from . import model as m
from .config import read_toml
from .costs import Estimate, UnitCosts, estimate, load_unit_costs, renovation_estimate
from .errors import ConfigError
from .meeting import CoverageSettings, PlacesData, Scenario

POLICY_FILE = Path(__file__).resolve().parent.parent / "data" / "policy.toml"
LEVELS = ("aligned", "attention", "conflict")
SEVERITIES = ("attention", "conflict")


# --- findings and verdicts ------------------------------------------------------


def fmt_number(value: float, lang: str = "nl") -> str:
    text = f"{round(value):,}"
    return text.replace(",", ".") if lang == "nl" else text


def fmt_eur(value: float | None, lang: str = "nl") -> str:
    """The one money format of the interface: € 5.272.500 (nl), €5,272,500 (en); — when unknown."""
    if value is None or value != value:  # None or NaN
        return "—"
    return f"€ {fmt_number(value, lang)}" if lang == "nl" else f"€{fmt_number(value, lang)}"


def fmt_eur_range(low: float | None, high: float | None, lang: str = "nl") -> str:
    """A cost range as a range: € 120.000 – € 180.000 (one amount when both ends agree)."""
    if low is None or high is None or round(low) == round(high):
        return fmt_eur(low if low is not None else high, lang)
    return f"{fmt_eur(low, lang)} – {fmt_eur(high, lang)}"


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # one of LEVELS
    key: str  # i18n key of the line
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "nl") -> str:
        from .i18n import label, t

        vals = {}
        for k, v in self.values.items():
            if k in ("policy", "kind"):
                vals[k] = label(v, lang)
            elif k.endswith("_eur") and isinstance(v, (int, float)):
                vals[k] = fmt_eur(v, lang)
            elif isinstance(v, float):
                vals[k] = fmt_number(v, lang)
            else:
                vals[k] = v
        return t(self.key, lang, **vals)

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {"rule": self.rule, "level": self.level, "text": self.text(lang)}


@dataclass
class Verdict:
    place: m.MeetingPlace
    findings: list[Finding]
    estimate: Estimate

    @property
    def level(self) -> str:
        return max((f.level for f in self.findings), key=LEVELS.index, default="aligned")

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        p = self.place
        return {"id": p.id, "name": p.name, "kind": p.kind, "status": p.status, "buurt_code": p.buurt_code,
                "real_estate_id": p.real_estate_id, "verdict": self.level,
                "findings": [f.to_dict(lang) for f in self.findings], "cost": self.estimate.to_dict(lang)}


# --- the registry -----------------------------------------------------------------


@dataclass
class Context:
    """What a rule may look at when judging one candidate."""

    data: PlacesData
    scenario: Scenario
    costs: UnitCosts
    estimate: Estimate
    shared: dict[Any, Any] = field(default_factory=dict)  # what rules work out once per evaluation

    def building_of(self, place: m.MeetingPlace) -> m.RealEstate | None:
        return self.data.building(place.real_estate_id)


RuleFunc = Callable[[m.MeetingPlace, Context, dict[str, Any]], Finding]


@dataclass(frozen=True)
class Rule:
    name: str
    check: RuleFunc
    defaults: dict[str, Any]


RULES: dict[str, Rule] = {}


def rule(name: str, **defaults: Any) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule under ``name`` with its default parameters."""

    def wrap(func: RuleFunc) -> RuleFunc:
        RULES[name] = Rule(name, func, {"enabled": True, **defaults})
        return func

    return wrap


@rule("reuse_first", severity="conflict", distance_m=500, max_occupancy_pct=70, ignore_policies=["dispose"])
def reuse_first(place: m.MeetingPlace, ctx: Context, cfg: dict[str, Any]) -> Finding:
    name = "reuse_first"
    if place.kind != "building":
        return Finding(name, "aligned", "places.rule.reuse_first.not_building")
    if place.real_estate_id is not None:
        b = ctx.building_of(place)
        return Finding(name, "aligned", "places.rule.reuse_first.reuses", {"name": b.name if b else place.real_estate_id})
    key = (name, tuple(cfg["ignore_policies"]), cfg["max_occupancy_pct"])
    if key not in ctx.shared:  # the underused buildings, once for all candidates
        fit = [b for b in ctx.data.buildings
               if b.geometry is not None and b.policy not in cfg["ignore_policies"]
               and b.occupancy_pct is not None and b.occupancy_pct < cfg["max_occupancy_pct"]]
        ctx.shared[key] = (fit, np.asarray([b.geometry for b in fit], dtype=object))
    fit, geoms = ctx.shared[key]
    dist = shapely.distance(place.geometry, geoms) if len(fit) else np.empty(0)
    near = [(float(dist[i]), fit[i]) for i in np.flatnonzero(dist <= cfg["distance_m"])]
    if not near:
        return Finding(name, "aligned", "places.rule.reuse_first.none",
                       {"distance": cfg["distance_m"], "pct": cfg["max_occupancy_pct"]})
    near.sort(key=lambda pair: (pair[0], pair[1].name))
    d, b = near[0]
    more = len(near) - 1
    return Finding(name, cfg["severity"], "places.rule.reuse_first.found" + (".more" if more else ""),
                   {"name": b.name, "distance": round(d), "pct": round(b.occupancy_pct), "more": more})


@rule("policy_category", dispose_severity="conflict", redevelop_severity="attention")
def policy_category(place: m.MeetingPlace, ctx: Context, cfg: dict[str, Any]) -> Finding:
    name = "policy_category"
    b = ctx.building_of(place)
    if b is None:
        return Finding(name, "aligned", "places.rule.policy_category.no_building")
    if b.policy == "dispose":
        return Finding(name, cfg["dispose_severity"], "places.rule.policy_category.dispose", {"name": b.name})
    if b.policy == "redevelop":
        return Finding(name, cfg["redevelop_severity"], "places.rule.policy_category.redevelop", {"name": b.name})
    return Finding(name, "aligned", "places.rule.policy_category.ok", {"name": b.name, "policy": b.policy})


@rule("condition", severity="attention", worst_acceptable=4)
def condition(place: m.MeetingPlace, ctx: Context, cfg: dict[str, Any]) -> Finding:
    name = "condition"
    b = ctx.building_of(place)
    if b is None:
        return Finding(name, "aligned", "places.rule.condition.no_building")
    if b.condition is None:
        return Finding(name, "attention", "places.rule.condition.unknown", {"name": b.name})
    if b.condition > cfg["worst_acceptable"]:
        reno = renovation_estimate(b, ctx.costs)
        if reno is None:
            return Finding(name, cfg["severity"], "places.rule.condition.poor",
                           {"name": b.name, "condition": b.condition, "limit": cfg["worst_acceptable"]})
        return Finding(name, cfg["severity"], "places.rule.condition.poor_estimate",
                       {"name": b.name, "condition": b.condition, "limit": cfg["worst_acceptable"],
                        "low_eur": reno.low, "high_eur": reno.high})
    return Finding(name, "aligned", "places.rule.condition.ok", {"name": b.name, "condition": b.condition})


@rule("raise_coverage", severity="attention", min_gain_inhabitants=1)
def raise_coverage(place: m.MeetingPlace, ctx: Context, cfg: dict[str, Any]) -> Finding:
    name = "raise_coverage"
    sc = ctx.scenario
    target = sc.settings.target_share
    # the buurten below target that gain enough; the best is the one gaining most (then the highest code)
    gains = sc.gains([place.id], below=target, min_gain=cfg["min_gain_inhabitants"])
    best = gains.best
    if best is None:
        return Finding(name, cfg["severity"], "places.rule.raise_coverage.none", {"target": round(target * 100)})
    return Finding(name, "aligned", "places.rule.raise_coverage.raises",
                   {"buurt": best.name, "before": round(best.share_before * 100),
                    "after": round((best.share_after or 0) * 100), "gain": best.gain,
                    "target": round(target * 100), "others": gains.count - 1})


@rule("cost_cap", severity="attention", cap_eur=250_000)
def cost_cap(place: m.MeetingPlace, ctx: Context, cfg: dict[str, Any]) -> Finding:
    name = "cost_cap"
    high = ctx.estimate.investment.high
    if high > cfg["cap_eur"]:
        return Finding(name, cfg["severity"], "places.rule.cost_cap.above", {"high_eur": high, "cap_eur": cfg["cap_eur"]})
    return Finding(name, "aligned", "places.rule.cost_cap.below", {"high_eur": high, "cap_eur": cfg["cap_eur"]})


# --- configuration ------------------------------------------------------------------


@dataclass
class Policy:
    coverage: CoverageSettings
    rules: dict[str, dict[str, Any]]  # rule name → parameters (defaults merged), in registry order
    source: str = ""

    def enabled(self) -> list[str]:
        return [n for n, cfg in self.rules.items() if cfg["enabled"]]


def _check_value(path: Path, where: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, (int, float)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{path.name}: {where} heeft een ongeldige waarde {value!r} (standaard {default!r})")
    if where.endswith("severity") and value not in SEVERITIES:
        raise ConfigError(f"{path.name}: {where} = {value!r}; kies uit {', '.join(SEVERITIES)}")
    return value


def load_policy(path: Path | str | None = None) -> Policy:
    """Read ``policy.toml``; unknown rules or keys and wrong values raise :class:`ConfigError`."""
    path = Path(path) if path else POLICY_FILE
    data = read_toml(path, "beleidsbestand")
    unknown = set(data) - {"coverage", "rules"}
    if unknown:
        raise ConfigError(f"{path.name}: onbekende tabel [{sorted(unknown)[0]}]; verwacht [coverage] en [rules.…]")
    cov_defaults = CoverageSettings()
    cov_raw = data.get("coverage", {})
    cov: dict[str, Any] = {}
    for key, value in cov_raw.items():
        if not hasattr(cov_defaults, key):
            raise ConfigError(f"{path.name}: onbekende sleutel coverage.{key}")
        default = getattr(cov_defaults, key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or any(k not in m.MEETING_KINDS for k in value):
                raise ConfigError(f"{path.name}: coverage.kinds moet een lijst zijn uit {', '.join(m.MEETING_KINDS)}")
            cov[key] = tuple(value)
        else:
            cov[key] = float(_check_value(path, f"coverage.{key}", value, default))
    settings = CoverageSettings(**cov)
    if settings.distance_m <= 0 or settings.detour_factor < 1 or not 0 <= settings.target_share <= 1:
        raise ConfigError(f"{path.name}: [coverage] vraagt distance_m > 0, detour_factor ≥ 1 en 0 ≤ target_share ≤ 1")
    rules_raw = data.get("rules", {})
    for name in rules_raw:
        if name not in RULES:
            raise ConfigError(f"{path.name}: onbekende regel [rules.{name}]; bekende regels: {', '.join(RULES)}")
    rules: dict[str, dict[str, Any]] = {}
    for name, r in RULES.items():
        cfg = dict(r.defaults)
        for key, value in (rules_raw.get(name) or {}).items():
            if key not in r.defaults:
                raise ConfigError(f"{path.name}: onbekende sleutel rules.{name}.{key}; "
                                  f"bekend: {', '.join(r.defaults)}")
            cfg[key] = _check_value(path, f"rules.{name}.{key}", value, r.defaults[key])
        rules[name] = cfg
    return Policy(settings, rules, path.name)


# --- evaluation ---------------------------------------------------------------------


def evaluate(data: PlacesData, policy: Policy | None = None, costs: UnitCosts | None = None,
             scenario: Scenario | None = None) -> list[Verdict]:
    """A verdict for every candidate (status candidate or proposed), by id."""
    policy = policy or load_policy()
    costs = costs or load_unit_costs()
    scenario = scenario or Scenario(data, policy.coverage)
    verdicts = []
    shared: dict[Any, Any] = {}
    for place in sorted(scenario.candidates, key=lambda p: (p.id is None, p.id)):
        est = estimate(place, data.building(place.real_estate_id), costs)
        ctx = Context(data, scenario, costs, est, shared)
        findings = [RULES[name].check(place, ctx, policy.rules[name]) for name in policy.enabled()]
        verdicts.append(Verdict(place, findings, est))
    return verdicts
