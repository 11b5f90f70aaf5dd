"""Coding throughput: cases per second, against bare jieba on the same texts.

Synthetic cases are built by recombining sentences of the bundled sample (seeded), and
streamed so memory should stay flat in N. Each size runs in its own process so the
peak RSS is that size's alone.

    python benchmarks/coding_throughput.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator

from libinnov.cases import Case, load_sample
from libinnov.text.segment import _fast_segmenter, segmenter, split_sentences


def synthetic_cases(n: int, seed: int = 7) -> Iterator[Case]:
    sample = load_sample()
    sentences = [s for c in sample for s in split_sentences(c.summary)]
    titles = [c.title for c in sample]
    rng = random.Random(seed)
    for i in range(n):
        body = "".join(rng.choice(sentences) for _ in range(rng.randint(4, 9)))
        yield Case(id=f"s{i}", title=rng.choice(titles), summary=body)


def measure(n: int) -> dict[str, float]:
    from libinnov.codebook import default_codebook
    from libinnov.coding import load_default_model
    from libinnov.coding.model import code_stream

    codebook = default_codebook()
    model = load_default_model(codebook)
    tokenizer = segmenter()
    start = time.perf_counter()
    chars = 0
    for case in synthetic_cases(n):
        chars += len(case.text)
        tokenizer.lcut(case.text)
    jieba_s = time.perf_counter() - start
    # the coder segments with rjieba (jieba's algorithm in Rust): its share, shown
    # so the ratio to Python jieba is read for what it is
    fast = _fast_segmenter()
    start = time.perf_counter()
    for case in synthetic_cases(n):
        fast.cut(case.text)
    rjieba_s = time.perf_counter() - start
    start = time.perf_counter()
    coded = sum(1 for _ in code_stream(synthetic_cases(n), model))
    coding_s = time.perf_counter() - start
    return {
        "n": n,
        "chars": chars,
        "jieba_s": round(jieba_s, 2),
        "rjieba_s": round(rjieba_s, 2),
        "coding_s": round(coding_s, 2),
        "cases_per_s": round(coded / coding_s, 1),
        "ratio_to_jieba": round(coding_s / jieba_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    columns = (
        "N",
        "jieba alone (s)",
        "rjieba alone (s)",
        "coding (s)",
        "cases/s",
        "ratio",
        "peak RSS (MB)",
    )
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {r['n']:,} | {r['jieba_s']} | {r['rjieba_s']} | {r['coding_s']} | "
            f"{r['cases_per_s']} | "
            f"{r['ratio_to_jieba']}× | {r['peak_rss_mb']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
