"""How long ``analyze`` takes on N synthetic coded cases, to HTML + XLSX (and PDF).

Cases are the bundled sample's, duplicated with new ids and shuffled provinces and
years (seeded), so every table has realistic shapes.

    python benchmarks/analyze_speed.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import tempfile
import time

from libinnov.analysis import analyze
from libinnov.cases import Case, load_sample
from libinnov.codebook import default_codebook
from libinnov.reports import write_report


def synthetic(n: int, seed: int = 11) -> list[Case]:
    sample = load_sample()
    provinces = [c.province for c in sample]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = sample[i % len(sample)]
        out.append(
            dataclasses.replace(
                base,
                id=f"b{i}",
                province=rng.choice(provinces),
                year=rng.choice(range(2014, 2025)),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--pdf", action="store_true", help="include the PDF")
    args = parser.parse_args()
    codebook = default_codebook()
    print(
        "| N | analyse (s) | HTML + XLSX + JSON (s) | total (s) | PDF + figures (s) |"
    )
    print("|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        cases = synthetic(n)
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            analysis = analyze(cases, codebook)
            analysed = time.perf_counter() - start
            write_report(analysis, out, formats=("html", "xlsx", "json"))
            total = time.perf_counter() - start
            pdf = "-"
            if args.pdf:
                begin = time.perf_counter()
                write_report(analysis, out, formats=("pdf",))
                pdf = f"{time.perf_counter() - begin:.1f}"
        cells = (f"{n:,}", f"{analysed:.1f}", f"{total - analysed:.1f}", f"{total:.1f}")
        print("| " + " | ".join((*cells, pdf)) + " |", flush=True)


if __name__ == "__main__":
    main()
