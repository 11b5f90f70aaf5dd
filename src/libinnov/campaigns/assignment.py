"""Assigning reviewers to entries: never a conflict, as even a load as can be.

Reviewers have no cap on their load, so each entry gets its ``per_entry`` reviewers
or, if fewer are free of conflicts, all of those: which entries end up short is
settled by the conflicts alone. What is left to choose is who takes what, and that
is a minimum-cost flow (entries -> eligible reviewers). A reviewer's k-th entry
costs 2k+1, so a load L costs L², and the least-squares loads are also the most
even ones (max-min <= 1 whenever the conflicts allow it), which no greedy pass
guarantees.

The flow runs from groups of entries rather than from each entry: entries that
need as many reviewers and may have the same ones are interchangeable, so a group
sends each of its reviewers at most one of its entries per entry, and the group's
share is then dealt out round-robin. A call of 5,000 entries has a few hundred
groups. The flow is solved combinatorially (see :func:`_solve`): a greedy deal,
then entries moved along transfer paths until none lowers the cost, which is the
optimality condition of a convex-cost flow, so the loads are the least-squares
ones a linear programme over every (entry, reviewer) pair would give.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from libinnov.campaigns.conflicts import (
    DEFAULT_RULES,
    ConflictRules,
    Entry,
    Reviewer,
    call_conflicts,
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


def _unique_ids(items: Sequence[Entry] | Sequence[Reviewer]) -> None:
    seen: set[str] = set()
    for item in items:
        entry = isinstance(item, Entry)
        if not item.id:
            if entry:
                raise CampaignError("an entry without an id", field="id")
            raise CampaignError("a reviewer without an id", field="id")
        if item.id in seen:
            if entry:
                raise CampaignError(
                    "entry id '%(id)s' appears twice", field="id", id=item.id
                )
            raise CampaignError(
                "reviewer id '%(id)s' appears twice", field="id", id=item.id
            )
        seen.add(item.id)


def _kept(
    existing: Mapping[str, Sequence[str]],
    barred: Mapping[str, Mapping[str, str]],
    reviewers: Mapping[str, Reviewer],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Existing pairs that still hold, and those now in conflict."""
    kept: dict[str, list[str]] = {eid: [] for eid in barred}
    dropped: dict[str, list[str]] = {}
    for eid, rids in existing.items():
        if eid not in barred:
            raise CampaignError(
                "existing assignment for unknown entry '%(entry)s'", entry=eid
            )
        for rid in rids:
            if rid not in reviewers:
                raise CampaignError(
                    "existing assignment of unknown reviewer '%(reviewer)s' to "
                    "'%(entry)s'",
                    reviewer=rid,
                    entry=eid,
                )
            if rid in kept[eid]:
                continue
            if rid in barred[eid]:
                dropped.setdefault(eid, []).append(rid)
            else:
                kept[eid].append(rid)
    return kept, dropped


@dataclass
class _Group:
    """Entries that each want ``wanted`` reviewers from the same ``free`` ones."""

    entries: list[str]
    wanted: int
    free: list[int]  # positions in the panel


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
    _unique_ids(entries)
    _unique_ids(reviewers)
    by_reviewer = {r.id: r for r in reviewers}
    barred = dict(
        zip(
            (e.id for e in entries),
            call_conflicts(entries, reviewers, rules),
            strict=True,
        )
    )
    kept, dropped = _kept(existing or {}, barred, by_reviewer)
    counted = Counter(rid for rids in kept.values() for rid in rids)
    load = {r.id: counted[r.id] for r in reviewers}
    members: dict[tuple[int, frozenset[str]], list[str]] = {}
    for e in entries:
        need = per_entry - len(kept[e.id])
        if need > 0:
            unable = frozenset(barred[e.id]).union(kept[e.id])
            members.setdefault((need, unable), []).append(e.id)
    groups = [
        _Group(ids, min(need, len(free)), free)
        for (need, unable), ids in members.items()
        if (free := [i for i, r in enumerate(reviewers) if r.id not in unable])
    ]
    flows = _solve(groups, [load[r.id] for r in reviewers]) if groups else []
    for group, flow in zip(groups, flows, strict=True):
        # Each reviewer's share is a run of at most one per entry, dealt round the
        # group, so no entry gets a reviewer twice and each gets ``wanted``.
        given: list[list[int]] = [[] for _ in group.entries]
        dealt = 0
        for position, count in zip(group.free, flow, strict=True):
            for _ in range(count):
                given[dealt % len(given)].append(position)
                dealt += 1
        for eid, picks in zip(group.entries, given, strict=True):
            # Kept reviewers stay first, then the new ones in panel order.
            for position in sorted(picks):
                kept[eid].append(reviewers[position].id)
                load[reviewers[position].id] += 1
    short = {eid: per_entry - len(kept[eid]) for eid in kept}
    return Assignment(
        reviewers=kept,
        short={eid: n for eid, n in short.items() if n > 0},
        load=load,
        dropped=dropped,
    )


def _solve(groups: list[_Group], load: list[int]) -> list[list[int]]:
    """How many of each group's entries each of its free reviewers takes.

    A flow of least cost from groups to reviewers, at most one reviewer per entry
    of a group, where a reviewer's k-th entry costs 2k+1. A flow with convex costs
    is optimal exactly when no cycle of its residual network has a negative cost
    (Ahuja, Magnanti and Orlin, *Network Flows*, 14.3). Here such a cycle is a
    *transfer path*: reviewer u hands one entry of a group to reviewer v, who is
    free for that group and lacks some of its entries, v hands an entry of another
    group on, and so on to a reviewer w; moving an entry along it changes the cost
    by 2(load(w) - load(u)) + 2, which is negative when load(w) <= load(u) - 2.

    So entries are dealt greedily first (the most constrained groups first, each
    to its least-loaded free reviewers), then moved along the shortest transfer
    paths from the busiest reviewers until there is none: the loads are then the
    least-squares ones, as if the whole flow had been solved as a programme.
    """
    members = np.array([len(g.entries) for g in groups], dtype=np.int64)
    free = np.zeros((len(groups), len(load)), dtype=bool)
    for i, group in enumerate(groups):
        free[i, group.free] = True
    flow = _deal(groups, load)
    level = np.array(load, dtype=np.int64) + flow.sum(axis=0)
    while (path := _transfer_path(flow, free, members, level)) is not None:
        first, last = path[0][1], path[-1][2]
        amount = (level[first] - level[last]) // 2
        for g, giver, taker in path:
            amount = min(amount, flow[g, giver], members[g] - flow[g, taker])
        for g, giver, taker in path:
            flow[g, giver] -= amount
            flow[g, taker] += amount
        level[first] -= amount
        level[last] += amount
    return [flow[i, group.free].tolist() for i, group in enumerate(groups)]


def _deal(groups: list[_Group], load: list[int]) -> NDArray[np.int64]:
    """A greedy flow: group by group, fewest free reviewers first, each entry to
    the least-loaded reviewers it may have."""
    level = list(load)
    flow = np.zeros((len(groups), len(load)), dtype=np.int64)
    for i in sorted(range(len(groups)), key=lambda i: len(groups[i].free)):
        group = groups[i]
        queue = [(level[r], r) for r in group.free]
        heapq.heapify(queue)
        for _ in range(len(group.entries) * group.wanted):
            taken, r = heapq.heappop(queue)
            flow[i, r] += 1
            level[r] += 1
            if flow[i, r] < len(group.entries):
                heapq.heappush(queue, (taken + 1, r))
    return flow


def _transfer_path(
    flow: NDArray[np.int64],
    free: NDArray[np.bool_],
    members: NDArray[np.int64],
    level: NDArray[np.int64],
) -> list[tuple[int, int, int]] | None:
    """A shortest transfer path from the busiest reviewers that lowers the cost, as
    (group, giving reviewer, taking reviewer) steps, or None if the flow is optimal.
    """
    gives = flow > 0
    takes = free & (flow < members[:, None])
    lowest = int(level.min())
    for top in sorted(set(level.tolist()), reverse=True):
        if top - lowest < 2:
            return None
        path = _search(gives, takes, level >= top, level <= top - 2, level)
        if path is not None:
            return path
    return None  # pragma: no cover - the loop returns at the lowest level


def _search(
    gives: NDArray[np.bool_],
    takes: NDArray[np.bool_],
    sources: NDArray[np.bool_],
    targets: NDArray[np.bool_],
    level: NDArray[np.int64],
) -> list[tuple[int, int, int]] | None:
    """Breadth-first search, a layer at a time, from ``sources`` to ``targets``.

    A layer never revisits a group or a reviewer, so the path found uses each once
    and its steps can be applied together.
    """
    seen_group = np.zeros(gives.shape[0], dtype=bool)
    seen = sources.copy()
    reached_by = np.full(gives.shape[0], -1)  # group -> reviewer handing to it
    via = np.full(gives.shape[1], -1)  # reviewer -> group they take from
    frontier = np.flatnonzero(sources)
    while frontier.size:
        handing = gives[:, frontier]
        new_groups = np.flatnonzero(handing.any(axis=1) & ~seen_group)
        if not new_groups.size:
            return None
        seen_group[new_groups] = True
        reached_by[new_groups] = frontier[handing[new_groups].argmax(axis=1)]
        taking = takes[new_groups] & ~seen
        frontier = np.flatnonzero(taking.any(axis=0))
        seen[frontier] = True
        via[frontier] = new_groups[taking[:, frontier].argmax(axis=0)]
        hits = frontier[targets[frontier]]
        if hits.size:
            taker = int(hits[level[hits].argmin()])
            path = []
            while via[taker] >= 0:
                group = int(via[taker])
                giver = int(reached_by[group])
                path.append((group, giver, taker))
                taker = giver
            return path[::-1]
    return None
