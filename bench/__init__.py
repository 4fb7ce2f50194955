"""Benchmarks: ``python -m bench`` runs every ``bench/bench_*.py`` and prints
one Markdown table (``--write`` also replaces the table in BENCHMARKS.md).

Each module defines ``run() -> list[Result]``. Every measured variant is
compared with a baseline built and timed in the same run, on the same
machine, so the ratio means something even on a noisy shared machine.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    benchmark: str
    variant: str
    median_ms: float | None  # the measured value, in ``unit`` (ms unless said); None: not measured
    runs: int
    baseline_ms: float | None = None
    note: str = ""
    unit: str = "ms"
    is_baseline: bool | None = None  # None: a baseline when it has nothing to compare with

    @property
    def ratio(self) -> str:
        if self.is_baseline or (self.is_baseline is None and not self.baseline_ms):
            return "baseline"
        if self.median_ms is None or not self.baseline_ms:
            return "—"
        if self.unit == "rows/s":  # higher is better
            return f"{self.median_ms / self.baseline_ms:.1f}× faster" if self.median_ms >= self.baseline_ms \
                else f"{self.baseline_ms / self.median_ms:.1f}× slower"
        better, worse = ("less", "more") if self.unit == "MB" else ("faster", "slower")
        if self.median_ms == 0:
            return f"∞× {better}"
        return f"{self.baseline_ms / self.median_ms:.1f}× {better}" if self.median_ms <= self.baseline_ms \
            else f"{self.median_ms / self.baseline_ms:.1f}× {worse}"

    @property
    def value(self) -> str:
        v = self.median_ms
        if v is None:
            return "—"
        text = f"{v:,.3f}" if abs(v) < 1 else f"{v:,.2f}" if abs(v) < 10 else f"{v:,.1f}" if abs(v) < 1000 \
            else f"{v:,.0f}"
        return text if self.unit == "ms" else f"{text} {self.unit}"


def median_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def compare(benchmark: str, baseline: tuple[str, Callable], variants: list[tuple[str, Callable]],
            runs: int = 7, note: str = "") -> list[Result]:
    """Time a baseline and variants, interleaved per round to share the noise."""
    base_name, base_fn = baseline
    base = median_ms(base_fn, runs)
    out = [Result(benchmark, base_name, base, runs, None, note)]
    for name, fn in variants:
        out.append(Result(benchmark, name, median_ms(fn, runs), runs, base, note))
    return out
