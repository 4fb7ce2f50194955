"""Run all benchmarks and print the table (``--write`` updates BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import pkgutil
import sys
from datetime import date
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parent.parent


def table(results) -> str:
    lines = ["| benchmark | variant | median (ms unless said) | runs | vs baseline | note |",
             "|---|---|---:|---:|---|---|"]
    for r in results:
        lines.append(f"| {r.benchmark} | {r.variant} | {r.value} | {r.runs} | {r.ratio} | {r.note} |")
    return "\n".join(lines)


START, END = "<!-- bench:table -->", "<!-- /bench:table -->"


def write_table(path: Path, text: str, args: str = "") -> None:
    """Put the table between the markers in BENCHMARKS.md; the prose around it stays."""
    cmd = " ".join(["python -m bench", *args.split()])
    stamp = (f"Measured with `{cmd}` on {date.today().isoformat()}, Python {platform.python_version()}, "
             f"{platform.machine()}, load average {os.getloadavg()[0]:.1f} on the shared 2-core machine.")
    block = f"{START}\n{stamp}\n\n{text}\n{END}"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--write", action="store_true", help="replace the table in BENCHMARKS.md")
    parser.add_argument("names", nargs="*", help="only these bench modules (e.g. bench_map)")
    parser.add_argument("--scales", help="bench_scales: comma-separated scales (demo,large,national; default all)")
    args = parser.parse_args(argv)
    if args.scales:
        import os

        os.environ["WIJKATLAS_BENCH_SCALES"] = args.scales
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
        write_table(ROOT / "BENCHMARKS.md", text, " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
