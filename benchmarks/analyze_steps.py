"""Seconds per step of ``analyze`` on N synthetic cases, in-process.

The steps are the names ``analyze`` reports through its ``progress`` callback; each
one's time runs until the next step starts. The best of ``--repeat`` runs is shown,
as the machine is shared and the slowest runs measure the neighbours.

    python benchmarks/analyze_steps.py --n 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import time

from analyze_speed import synthetic

from libinnov.analysis import analyze
from libinnov.cases import Case
from libinnov.codebook import Codebook, default_codebook


def step_times(cases: list[Case], codebook: Codebook) -> dict[str, float]:
    """One ``analyze`` run, timed between its progress callbacks."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    analyze(
        cases, codebook, progress=lambda name: marks.append((name, time.perf_counter()))
    )
    marks.append(("end", time.perf_counter()))
    times = {name: marks[i + 1][1] - t for i, (name, t) in enumerate(marks[:-1])}
    times["total"] = marks[-1][1] - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codebook = default_codebook()
    cases = synthetic(args.n)
    runs = [step_times(cases, codebook) for _ in range(args.repeat)]
    best = {name: min(run[name] for run in runs) for name in runs[0]}
    print(f"analyze() on {args.n:,} cases, best of {args.repeat} (s)")
    for name, seconds in best.items():
        print(f"  {name:<24} {seconds:6.2f}")


if __name__ == "__main__":
    main()
