"""How long a campaign's reviewer assignment and ranking take, by campaign size.

Entries and reviewers are synthetic: libraries drawn from a pool of 400 names (so
some reviewers share an institution with some entries) and provinces from eight,
with the same-province rule on or off. Scores are random on the default rubric.

    python benchmarks/campaign_assignment.py --sizes 300x30,2000x100
"""

from __future__ import annotations

import argparse
import random
import time

from libinnov.campaigns import (
    ConflictRules,
    Entry,
    Review,
    Reviewer,
    Rubric,
    assign_reviewers,
    rank_entries,
)

PROVINCES = ("浙江", "江苏", "湖北", "广东", "四川", "北京", "上海", "山东")


def panel(
    n_entries: int, n_reviewers: int, seed: int
) -> tuple[list[Entry], list[Reviewer]]:
    rng = random.Random(seed)
    entries = [
        Entry(f"E{i}", title=f"案例{i}", library=f"图书馆{i % 400}",
              province=rng.choice(PROVINCES))
        for i in range(n_entries)
    ]  # fmt: skip
    reviewers = [
        Reviewer(f"R{j}", name=f"专家{j}", institution=f"图书馆{j * 7 % 400}",
                 province=rng.choice(PROVINCES))
        for j in range(n_reviewers)
    ]  # fmt: skip
    return entries, reviewers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300x30,1000x60,2000x100")
    parser.add_argument("--per-entry", type=int, default=3)
    parser.add_argument("--same-province", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rubric = Rubric.default()
    rules = ConflictRules(same_province=args.same_province)
    print("| entries | reviewers | assign (s) | loads | short | reviews | rank (s) |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n_entries, n_reviewers = (int(x) for x in size.split("x"))
        entries, reviewers = panel(n_entries, n_reviewers, args.seed)
        start = time.perf_counter()
        assignment = assign_reviewers(entries, reviewers, args.per_entry, rules)
        assign_s = time.perf_counter() - start
        rng = random.Random(args.seed)
        reviews = [
            Review(eid, rid, {k: rng.randint(3, 10) for k in rubric.keys})
            for eid, rids in assignment.reviewers.items()
            for rid in rids
        ]
        start = time.perf_counter()
        rank_entries(reviews, rubric, required_reviews=args.per_entry)
        rank_s = time.perf_counter() - start
        loads = assignment.load.values()
        print(
            f"| {n_entries} | {n_reviewers} | {assign_s:.2f} | "
            f"{min(loads)}-{max(loads)} | {len(assignment.short)} | "
            f"{len(reviews)} | {rank_s:.2f} |"
        )


if __name__ == "__main__":
    main()
