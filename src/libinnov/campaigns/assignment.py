"""Assigning reviewers to entries: never a conflict, as even a load as can be.

Reviewers have no cap on their load, so each entry gets its ``per_entry`` reviewers
or, if fewer are free of conflicts, all of those: which entries end up short is
settled by the conflicts alone. What is left to choose is who takes what, and that
is a minimum-cost flow (entries -> eligible reviewers) solved as a linear programme
by HiGHS through SciPy. A reviewer's k-th entry costs 2k+1, so a load L costs L²,
and the least-squares loads are also the most even ones (max-min <= 1 whenever the
conflicts allow it), which no greedy pass guarantees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

from libinnov.campaigns.conflicts import (
    DEFAULT_RULES,
    ConflictRules,
    Entry,
    Reviewer,
    conflict,
)
from libinnov.exceptions import CampaignError


@dataclass
class Assignment:
    """Who reviews what, what is still missing, and how much each reviewer has.

    ``short`` lists only entries that still lack reviewers. ``dropped`` lists kept
    assignments that were given up because the pair is now a conflict (a reviewer
    declared one after being assigned).
    """

    reviewers: dict[str, list[str]]  # entry id -> reviewer ids, in entry order
    short: dict[str, int]  # entry id -> how many reviewers it still lacks
    load: dict[str, int]  # reviewer id -> entries assigned
    dropped: dict[str, list[str]] = field(default_factory=dict)


def _unique_ids(items: Sequence[Entry] | Sequence[Reviewer], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if not item.id:
            raise CampaignError(f"a {what} without an id", field="id")
        if item.id in seen:
            raise CampaignError(f"{what} id '{item.id}' appears twice", field="id")
        seen.add(item.id)


def _kept(
    existing: Mapping[str, Sequence[str]],
    entries: dict[str, Entry],
    reviewers: dict[str, Reviewer],
    rules: ConflictRules,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Existing pairs that still hold, and those now in conflict."""
    kept: dict[str, list[str]] = {eid: [] for eid in entries}
    dropped: dict[str, list[str]] = {}
    for eid, rids in existing.items():
        if eid not in entries:
            raise CampaignError(f"existing assignment for unknown entry '{eid}'")
        for rid in rids:
            if rid not in reviewers:
                raise CampaignError(
                    f"existing assignment of unknown reviewer '{rid}' to '{eid}'"
                )
            if rid in kept[eid]:
                continue
            if conflict(reviewers[rid], entries[eid], rules) is None:
                kept[eid].append(rid)
            else:
                dropped.setdefault(eid, []).append(rid)
    return kept, dropped


def assign_reviewers(
    entries: Sequence[Entry],
    reviewers: Sequence[Reviewer],
    per_entry: int,
    rules: ConflictRules = DEFAULT_RULES,
    existing: Mapping[str, Sequence[str]] | None = None,
) -> Assignment:
    """Give each entry ``per_entry`` reviewers it has no conflict with.

    Existing assignments are kept (unless now in conflict, see ``dropped``) and count
    towards both the entry's reviewers and the reviewer's load. The result depends
    only on the input, so running it twice gives the same assignment.

    >>> a = assign_reviewers([Entry("e1"), Entry("e2")], [Reviewer("r1")], 1)
    >>> a.reviewers, a.load
    ({'e1': ['r1'], 'e2': ['r1']}, {'r1': 2})
    """
    if per_entry < 0:
        raise CampaignError("reviewers per entry cannot be negative", field="per_entry")
    _unique_ids(entries, "entry")
    _unique_ids(reviewers, "reviewer")
    by_entry = {e.id: e for e in entries}
    by_reviewer = {r.id: r for r in reviewers}
    kept, dropped = _kept(existing or {}, by_entry, by_reviewer, rules)
    need = {e.id: max(per_entry - len(kept[e.id]), 0) for e in entries}
    pairs = [
        (e.id, r.id)
        for e in entries
        if need[e.id]
        for r in reviewers
        if r.id not in kept[e.id] and conflict(r, e, rules) is None
    ]
    load = {r.id: sum(r.id in kept[e.id] for e in entries) for r in reviewers}
    # Pairs come back in entry order, then panel order: kept reviewers stay first.
    for eid, rid in _solve(pairs, need, load) if pairs else []:
        kept[eid].append(rid)
        load[rid] += 1
    short = {eid: per_entry - len(kept[eid]) for eid in kept}
    return Assignment(
        reviewers=kept,
        short={eid: n for eid, n in short.items() if n > 0},
        load=load,
        dropped=dropped,
    )


def _solve(
    pairs: list[tuple[str, str]], need: dict[str, int], load: dict[str, int]
) -> list[tuple[str, str]]:
    """The pairs of an assignment whose loads have the least sum of squares.

    Variables are the candidate pairs, then one per extra entry a reviewer may take
    (the k-th costs 2(L+k)+1 over an existing load L). Constraints: each entry gets
    as many pairs as it needs or can have; each reviewer's pairs equal their extra
    slots. The matrix is a network matrix, so the simplex optimum is whole numbers.
    """
    entry_row = {eid: i for i, eid in enumerate(need)}
    reviewer_row = {rid: len(need) + i for i, rid in enumerate(load)}
    eligible = dict.fromkeys(need, 0)
    capacity = dict.fromkeys(load, 0)
    for eid, rid in pairs:
        eligible[eid] += 1
        capacity[rid] += 1
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    cost: list[float] = []
    for column, (eid, rid) in enumerate(pairs):
        rows += [entry_row[eid], reviewer_row[rid]]
        cols += [column, column]
        vals += [1.0, 1.0]
        cost.append(0.0)
    for rid, extra in capacity.items():
        for k in range(extra):
            rows.append(reviewer_row[rid])
            cols.append(len(cost))
            vals.append(-1.0)
            cost.append(2.0 * (load[rid] + k) + 1)
    matrix = coo_array((vals, (rows, cols)), shape=(len(need) + len(load), len(cost)))
    wanted = [min(n, eligible[eid]) for eid, n in need.items()]
    rhs = np.array(wanted + [0] * len(load), dtype=float)
    result = linprog(
        np.array(cost),
        A_eq=matrix.tocsr(),
        b_eq=rhs,
        bounds=(0, 1),
        method="highs-ds",
    )
    if result.status != 0:  # pragma: no cover - any eligible pairs are a solution
        raise CampaignError(f"the assignment could not be solved ({result.message})")
    return [pair for pair, x in zip(pairs, result.x, strict=False) if x > 0.5]
