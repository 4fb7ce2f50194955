"""Straightforward per-row versions of the boundary import and the policy check (benchmark baselines).

What a first version of each does, run beside Wijkatlas in the same benchmark:

- ``boundaries URL FILE LEVEL``: the file read and checked by the same reader,
  then one pandas row at a time (``iterrows``): code, geometry cleaned, every
  figure parsed, and one ``store.save`` per area, all in one transaction;
- ``policy URL FRACTION``: every rule for every candidate, where the coverage
  rule builds the comparison row of every buurt for each candidate and filters
  them in Python (``Scenario.compare``). With FRACTION < 1 only that share of
  the candidates is judged and the time of judging is scaled up.

Each prints the seconds it took (process start-up excluded, as the
coverage baseline does) on its last line.
"""

from __future__ import annotations

import sys
import time


def boundaries(url: str, path: str, level: str) -> float:
    t0 = time.perf_counter()
    import pandas as pd

    from geo import model as m
    from geo.io.boundaries import detect_schema, cbs_value, schema_score
    from geo.io.geometry import clean, is_missing
    from geo.io.readers import read_source
    from geo.store import open_store

    store = open_store(url)
    source = read_source(path, prefer=schema_score)
    frame = source.frame
    schema = detect_schema(source.columns)
    lower = {c.lower(): c for c in source.columns}
    code_col = lower[schema.code[level]]
    name_col = lower.get(schema.name_col[level])
    skip = {c for c in (schema.code | schema.name_col).values()} | schema.skip
    figure_cols = [c for c in source.columns if c.lower() not in skip and c != frame.geometry.name
                   and pd.api.types.is_numeric_dtype(frame[c])]
    with store.transaction():
        for _, row in frame.iterrows():
            code = str(row[code_col] or "").strip().upper()
            if not m.AREA_CODE_RE.match(code) or m.level_of_code(code) != level or is_missing(row.geometry):
                continue
            geom, _ = clean(row.geometry, polygonal=True)
            if geom is None:
                continue
            figures = {c: cbs_value(row[c]) for c in figure_cols}
            store.save(m.Area(code=code, name=str(row[name_col]) if name_col else code, geometry=geom,
                              figures=figures, source=source.name))
    return time.perf_counter() - t0


def policy(url: str, fraction: float) -> float:
    t0 = time.perf_counter()
    from geo.costs import load_unit_costs
    from geo.meeting import Scenario, load_places
    from geo.policy import RULES, Finding, Rule, evaluate, load_policy
    from geo.store import open_store

    def raise_coverage_rows(place, ctx, cfg):
        sc = ctx.scenario
        target = sc.settings.target_share
        rows, _ = sc.compare([place.id])
        gains = [r for r in rows if r.share_before is not None and r.share_before < target
                 and r.gain >= cfg["min_gain_inhabitants"]]
        if not gains:
            return Finding("raise_coverage", cfg["severity"], "places.rule.raise_coverage.none",
                           {"target": round(target * 100)})
        best = max(gains, key=lambda r: (r.gain, r.code))
        return Finding("raise_coverage", "aligned", "places.rule.raise_coverage.raises",
                       {"buurt": best.name, "before": round(best.share_before * 100),
                        "after": round((best.share_after or 0) * 100), "gain": best.gain,
                        "target": round(target * 100), "others": len(gains) - 1})

    RULES["raise_coverage"] = Rule("raise_coverage", raise_coverage_rows, RULES["raise_coverage"].defaults)
    pol, costs = load_policy(), load_unit_costs()
    data = load_places(open_store(url))
    scenario = Scenario(data, pol.coverage)
    everyone = scenario.candidates
    scenario.candidates = everyone[:max(1, round(len(everyone) * fraction))]
    t1 = time.perf_counter()
    evaluate(data, pol, costs, scenario)
    judged = time.perf_counter() - t1
    return (t1 - t0) + judged * len(everyone) / max(1, len(scenario.candidates))


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    seconds = boundaries(*args) if what == "boundaries" else policy(args[0], float(args[1]))
    print(seconds)
