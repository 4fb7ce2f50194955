"""Run all benchmarks and print the table (``--write`` updates BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import importlib
import platform
import pkgutil
import sys
from datetime import date
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parent.parent


def table(results) -> str:
    lines = ["| benchmark | variant | median (ms) | runs | vs baseline | note |", "|---|---|---:|---:|---|---|"]
    for r in results:
        ms = f"{r.median_ms:,.3f}" if r.median_ms < 1 else f"{r.median_ms:,.1f}"
        lines.append(f"| {r.benchmark} | {r.variant} | {ms} | {r.runs} | {r.ratio} | {r.note} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--write", action="store_true", help="replace the table in BENCHMARKS.md")
    parser.add_argument("names", nargs="*", help="only these bench modules (e.g. bench_map)")
    args = parser.parse_args(argv)
    results = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_") or (args.names and info.name not in args.names):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {info.name} …", file=sys.stderr)
        results.extend(module.run())
    text = table(results)
    print(text)
    if args.write:
        header = (
            "# Benchmarks\n\nMeasured with `python -m bench --write` on "
            f"{date.today().isoformat()}, Python {platform.python_version()}, {platform.machine()}, "
            "on the shared 2-core development machine. Medians of repeated runs; every variant is compared "
            "with a baseline built and timed in the same run. Ratios matter more than absolute times.\n\n"
        )
        (ROOT / "BENCHMARKS.md").write_text(header + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
