"""``wijkatlas check-policy``: every candidate meeting place against the accommodation policy."""

from __future__ import annotations

from ..costs import load_unit_costs, plan_of, sum_by
from ..errors import NotFound
from ..i18n import label
from ..meeting import Scenario, load_places
from ..policy import LEVELS, evaluate, fmt_eur, load_policy
from ..store import open_store
from . import emit


def register(sub) -> None:
    p = sub.add_parser("check-policy", help="toets kandidaat-ontmoetingsplaatsen aan het accommodatiebeleid")
    p.add_argument("--policy", metavar="FILE", help="beleidsbestand (standaard data/policy.toml)")
    p.add_argument("--unit-costs", metavar="FILE", help="eenheidsprijzen (standaard data/unit_costs.toml)")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van de regels (standaard nl)")
    p.add_argument("--json", action="store_true", help="druk één JSON-document af")
    p.set_defaults(func=run)


def run(args) -> int:
    policy = load_policy(args.policy)
    costs = load_unit_costs(args.unit_costs)
    store = open_store(args.db)
    data = load_places(store, suggestions=False)  # no analysis reads them
    if not data.buurten:
        raise NotFound(f"database {store.url} heeft geen buurten; laad ze met 'wijkatlas init --demo' of importeer grenzen")
    verdicts = evaluate(data, policy, costs, Scenario(data, policy.coverage))
    lang = args.lang
    summary = {level: sum(1 for v in verdicts if v.level == level) for level in LEVELS}
    doc = {
        "policy_file": policy.source,
        "unit_costs_file": costs.source,
        "rules": policy.enabled(),
        "summary": summary,
        "candidates": [v.to_dict(lang) for v in verdicts],
        "cost_per_buurt": _totals(sum_by((v.place.buurt_code, v.estimate) for v in verdicts)),
        "cost_per_plan": _totals(sum_by(
            (str(pl.id) if (pl := plan_of(v.place.buurt_code, data.plans)) else None, v.estimate) for v in verdicts)),
    }
    lines = []
    for v in verdicts:
        p = v.place
        lines.append(f"#{p.id} {p.name} ({label(p.kind, lang)}, {p.buurt_code or '—'}): {label(v.level, lang).upper()}")
        lines += [f"  [{label(f.level, lang)}] {f.text(lang)}" for f in v.findings]
        inv, yr = v.estimate.investment, v.estimate.yearly
        lines.append(f"  {fmt_eur(inv.low, lang)} – {fmt_eur(inv.high, lang)} investering, "
                     f"{fmt_eur(yr.low, lang)} – {fmt_eur(yr.high, lang)} per jaar")
    if not verdicts:
        lines.append("geen kandidaten om te toetsen")
    lines.append(", ".join(f"{label(k, lang)}: {n}" for k, n in summary.items()))
    emit(args, doc, "\n".join(lines))
    return 0


def _totals(sums) -> dict:
    return {key: {"investment_eur": inv.to_dict(), "yearly_eur": yearly.to_dict()}
            for key, (inv, yearly) in sorted(sums.items())}
