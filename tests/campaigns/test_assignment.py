"""Reviewer assignment: never a conflict, even loads, existing work kept."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations, product

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_array

from libinnov.campaigns import (
    Assignment,
    ConflictRules,
    Entry,
    Reviewer,
    assign_reviewers,
    conflict,
)
from libinnov.campaigns import assignment as assignment_module
from libinnov.exceptions import CampaignError

LIBRARIES = [
    "武汉大学图书馆",
    "浙江图书馆",
    "复旦大学图书馆",
    "温州市图书馆",
    "首都图书馆",
]
PROVINCES = ["湖北", "浙江", "上海", "浙江", "北京"]
ENTRIES = [
    Entry(f"A{i:02}", library=LIBRARIES[i % 5], province=PROVINCES[i % 5])
    for i in range(1, 24)
]
PANEL = [
    Reviewer("wang", name="王", institution="武漢大學", province="湖北"),
    Reviewer("li", name="李", institution="浙江图书馆", province="浙江"),
    Reviewer("zhao", name="赵", institution="复旦大学", province="上海"),
    Reviewer("qian", name="钱", institution="国家图书馆", province="北京"),
    Reviewer("sun", name="孙", institution="中山大学图书馆", province="广东"),
    Reviewer("zhou", name="周", institution="温州市图书馆", province="浙江",
             declared=frozenset({"A02", "A07"})),
]  # fmt: skip


def _pairs(result: Assignment) -> list[tuple[str, str]]:
    return [(e, r) for e, rids in result.reviewers.items() for r in rids]


@pytest.mark.parametrize("per_entry", [1, 2, 3, 4])
@pytest.mark.parametrize("same_province", [False, True])
def test_no_reviewer_is_ever_given_an_entry_they_conflict_with(
    per_entry: int, same_province: bool
) -> None:
    rules = ConflictRules(same_province=same_province)
    result = assign_reviewers(ENTRIES, PANEL, per_entry, rules)
    panel = {r.id: r for r in PANEL}
    entries = {e.id: e for e in ENTRIES}
    assert _pairs(result)
    for eid, rid in _pairs(result):
        assert conflict(panel[rid], entries[eid], rules) is None
    for eid, rids in result.reviewers.items():
        assert len(rids) == len(set(rids)) == per_entry - result.short.get(eid, 0)


def test_loads_are_even_when_conflicts_allow() -> None:
    result = assign_reviewers(ENTRIES, PANEL, 3)
    assert not result.short
    assert sum(result.load.values()) == 3 * len(ENTRIES)
    assert max(result.load.values()) - min(result.load.values()) <= 1


def test_without_conflicts_every_reviewer_gets_the_same_share() -> None:
    entries = [Entry(f"e{i}") for i in range(10)]
    panel = [Reviewer(f"r{i}") for i in range(4)]
    result = assign_reviewers(entries, panel, 2)
    assert result.load == {"r0": 5, "r1": 5, "r2": 5, "r3": 5}


def test_a_reviewer_with_few_eligible_entries_gets_all_of_them() -> None:
    # Only "narrow" may take A5 and A6; an even split is impossible, so the most
    # even one gives narrow both of its entries and broad the other four.
    entries = [Entry(f"A{i}", library="武汉大学" if i < 5 else "") for i in range(1, 7)]
    panel = [Reviewer("broad"), Reviewer("narrow", institution="武汉大学图书馆")]
    result = assign_reviewers(entries, panel, 1)
    assert result.load == {"broad": 4, "narrow": 2}
    assert result.reviewers["A5"] == result.reviewers["A6"] == ["narrow"]


def test_an_entry_with_too_few_eligible_reviewers_is_reported_short() -> None:
    entries = [
        Entry("A01", library="武汉大学图书馆", authors=("赵",)),
        Entry("A02", library="浙江图书馆"),
    ]
    panel = [
        Reviewer("wang", institution="武汉大学"),
        Reviewer("zhao", name="赵"),
        Reviewer("qian"),
    ]
    result = assign_reviewers(entries, panel, 2)
    assert result.reviewers["A01"] == ["qian"]
    assert result.short == {"A01": 1}
    assert len(result.reviewers["A02"]) == 2


def test_an_entry_is_short_only_of_the_reviewers_it_cannot_have() -> None:
    # Each entry's own university's reviewer is barred: three asked, two possible.
    entries = [Entry(f"E{i}", library=f"{i}号大学") for i in range(3)]
    panel = [Reviewer(f"R{i}", institution=f"{i}号大学") for i in range(3)]
    result = assign_reviewers(entries, panel, 3)
    assert result.short == {"E0": 1, "E1": 1, "E2": 1}
    assert result.load == {"R0": 2, "R1": 2, "R2": 2}


def test_existing_assignments_are_kept_and_count_towards_the_load() -> None:
    entries = [Entry(f"e{i}") for i in range(4)]
    panel = [Reviewer("a"), Reviewer("b"), Reviewer("c")]
    existing = {"e0": ["c"], "e1": ["c"]}
    result = assign_reviewers(entries, panel, 2, existing=existing)
    assert result.reviewers["e0"][0] == "c"
    assert result.reviewers["e1"][0] == "c"
    assert not result.short
    assert max(result.load.values()) - min(result.load.values()) <= 1
    assert result.dropped == {}


def test_an_existing_pair_now_in_conflict_is_dropped_and_replaced() -> None:
    entries = [Entry("e0"), Entry("e1")]
    panel = [Reviewer("a", declared=frozenset({"e0"})), Reviewer("b")]
    result = assign_reviewers(entries, panel, 1, existing={"e0": ["a"]})
    assert result.reviewers["e0"] == ["b"]
    assert result.dropped == {"e0": ["a"]}


def test_the_same_input_gives_the_same_assignment() -> None:
    first = assign_reviewers(ENTRIES, PANEL, 3, ConflictRules(same_province=True))
    again = assign_reviewers(ENTRIES, PANEL, 3, ConflictRules(same_province=True))
    assert first == again


def test_more_reviewers_asked_than_exist_leaves_every_entry_short() -> None:
    result = assign_reviewers([Entry("e0"), Entry("e1")], [Reviewer("a")], 3)
    assert result.reviewers == {"e0": ["a"], "e1": ["a"]}
    assert result.short == {"e0": 2, "e1": 2}


@pytest.mark.parametrize(
    ("entries", "panel", "per_entry", "existing", "message"),
    [
        (
            [Entry("e"), Entry("e")],
            [Reviewer("a")],
            1,
            None,
            "entry id 'e' appears twice",
        ),
        (
            [Entry("e")],
            [Reviewer("a"), Reviewer("a")],
            1,
            None,
            "reviewer id 'a' appears twice",
        ),
        ([Entry("")], [Reviewer("a")], 1, None, "without an id"),
        ([Entry("e")], [Reviewer("a")], -1, None, "cannot be negative"),
        ([Entry("e")], [Reviewer("a")], 1, {"x": ["a"]}, "unknown entry 'x'"),
        ([Entry("e")], [Reviewer("a")], 1, {"e": ["z"]}, "unknown reviewer 'z'"),
    ],
)
def test_inconsistent_input_is_an_error(
    entries: list[Entry],
    panel: list[Reviewer],
    per_entry: int,
    existing: dict[str, list[str]] | None,
    message: str,
) -> None:
    with pytest.raises(CampaignError, match=message):
        assign_reviewers(entries, panel, per_entry, existing=existing)


def _best_by_brute_force(
    entries: list[Entry], panel: list[Reviewer], per_entry: int
) -> tuple[int, int]:
    """The least sum of squared loads and the least max-min over every assignment."""
    options = []
    for entry in entries:
        free = [r.id for r in panel if conflict(r, entry) is None]
        options.append(list(combinations(free, min(per_entry, len(free)))))
    best_squares, best_gap = 10**9, 10**9
    for choice in product(*options):
        loads = Counter(rid for chosen in choice for rid in chosen)
        values = [loads[r.id] for r in panel]
        best_squares = min(best_squares, sum(v * v for v in values))
        best_gap = min(best_gap, max(values) - min(values))
    return best_squares, best_gap


@pytest.mark.parametrize("seed", range(12))
def test_the_loads_are_as_even_as_an_exhaustive_search_finds(seed: int) -> None:
    rng = random.Random(seed)
    places = ["甲大学", "乙大学", "丙大学"]
    panel = [Reviewer(f"r{i}", institution=rng.choice(places)) for i in range(4)]
    entries = [Entry(f"e{i}", library=rng.choice(places)) for i in range(5)]
    per_entry = rng.choice([1, 2])
    result = assign_reviewers(entries, panel, per_entry)
    values = [result.load[r.id] for r in panel]
    squares, gap = _best_by_brute_force(entries, panel, per_entry)
    assert sum(v * v for v in values) == squares
    assert max(values) - min(values) == gap


def test_an_existing_pair_given_twice_is_kept_once() -> None:
    result = assign_reviewers(
        [Entry("e0")], [Reviewer("a")], 1, existing={"e0": ["a", "a"]}
    )
    assert result.reviewers == {"e0": ["a"]} and result.load == {"a": 1}


def _loads_by_programme(
    entries: list[Entry],
    panel: list[Reviewer],
    per_entry: int,
    rules: ConflictRules,
    existing: dict[str, list[str]],
) -> list[int]:
    """The least-squares loads as the first version found them: a linear programme
    with a variable per eligible (entry, reviewer) pair, solved by HiGHS."""
    load = Counter(rid for rids in existing.values() for rid in rids)
    pairs = [
        (i, j)
        for i, e in enumerate(entries)
        for j, r in enumerate(panel)
        if r.id not in existing.get(e.id, []) and conflict(r, e, rules) is None
    ]
    slots = [(j, k) for j, r in enumerate(panel) for k in range(len(entries))]
    rows = [i for i, _ in pairs] + [len(entries) + j for _, j in pairs]
    rows += [len(entries) + j for j, _ in slots]
    cols = [*range(len(pairs)), *range(len(pairs))]
    cols += range(len(pairs), len(pairs) + len(slots))
    values = [1.0] * 2 * len(pairs) + [-1.0] * len(slots)
    cost = [0.0] * len(pairs)
    cost += [2.0 * (load[panel[j].id] + k) + 1 for j, k in slots]
    free = Counter(i for i, _ in pairs)
    wanted = [
        min(per_entry - len(existing.get(e.id, [])), free[i])
        for i, e in enumerate(entries)
    ]
    shape = (len(entries) + len(panel), len(cost))
    result = linprog(
        np.array(cost),
        A_eq=coo_array((values, (rows, cols)), shape=shape).tocsr(),
        b_eq=np.array([max(w, 0) for w in wanted] + [0] * len(panel), dtype=float),
        bounds=(0, 1),
        method="highs-ds",
    )
    assert result.status == 0
    for (_, j), x in zip(pairs, result.x, strict=False):
        load[panel[j].id] += round(x)
    return sorted(load[r.id] for r in panel)


def _crowded_call(
    seed: int,
) -> tuple[list[Entry], list[Reviewer], int, ConflictRules, dict[str, list[str]]]:
    """A small call where conflicts leave loads uneven: few institutions and
    provinces, declared conflicts, and reviews already assigned."""
    rng = random.Random(seed)
    places = ["甲大学", "乙大学", "丙大学图书馆", "丙大学", "丁市图书馆", ""]
    provinces = ["浙江", "江苏", "湖北"]
    entries = [
        Entry(
            f"e{i}",
            library=rng.choice(places),
            province=rng.choice(provinces),
            authors=("王",) if rng.random() < 0.1 else (),
        )
        for i in range(rng.randint(5, 40))
    ]
    panel = [
        Reviewer(
            f"r{j}",
            name=rng.choice(["王", "李", ""]),
            institution=rng.choice(places),
            province=rng.choice(provinces),
            declared=frozenset(e.id for e in entries if rng.random() < 0.1),
        )
        for j in range(rng.randint(2, 10))
    ]
    rules = ConflictRules(same_province=rng.random() < 0.5)
    existing: dict[str, list[str]] = {}
    for entry in entries:
        reviewer = rng.choice(panel)
        if rng.random() < 0.3 and conflict(reviewer, entry, rules) is None:
            existing[entry.id] = [reviewer.id]
    return entries, panel, rng.randint(1, 4), rules, existing


@pytest.mark.parametrize("seed", range(40))
def test_the_loads_are_those_of_a_programme_over_every_pair(seed: int) -> None:
    entries, panel, per_entry, rules, existing = _crowded_call(seed)
    result = assign_reviewers(entries, panel, per_entry, rules, existing=existing)
    assert sorted(result.load.values()) == _loads_by_programme(
        entries, panel, per_entry, rules, existing
    )
    by_id = {r.id: r for r in panel}
    for entry in entries:
        rids = result.reviewers[entry.id]
        assert rids[: len(existing.get(entry.id, []))] == existing.get(entry.id, [])
        assert len(rids) == len(set(rids))
        assert all(conflict(by_id[rid], entry, rules) is None for rid in rids)
        free = sum(conflict(r, entry, rules) is None for r in panel)
        assert len(rids) == min(per_entry, free)
        assert result.short.get(entry.id, 0) == per_entry - len(rids)
    assert result == assign_reviewers(
        entries, panel, per_entry, rules, existing=existing
    )


def _deal_badly(
    groups: list[assignment_module._Group], load: list[int]
) -> NDArray[np.int64]:
    """Every group to its first free reviewers, as many entries as each can take."""
    flow = np.zeros((len(groups), len(load)), dtype=np.int64)
    for i, group in enumerate(groups):
        left = len(group.entries) * group.wanted
        for r in group.free:
            flow[i, r] = min(left, len(group.entries))
            left -= flow[i, r]
    return flow


@pytest.mark.parametrize("seed", range(40))
def test_transfers_reach_the_even_loads_from_any_first_deal(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries, panel, per_entry, rules, existing = _crowded_call(seed)
    expected = _loads_by_programme(entries, panel, per_entry, rules, existing)
    monkeypatch.setattr(assignment_module, "_deal", _deal_badly)
    result = assign_reviewers(entries, panel, per_entry, rules, existing=existing)
    assert sorted(result.load.values()) == expected
    by_id = {r.id: r for r in panel}
    for entry in entries:
        rids = result.reviewers[entry.id]
        assert len(rids) == len(set(rids))
        assert all(conflict(by_id[rid], entry, rules) is None for rid in rids)


def test_a_call_without_reviewers_leaves_every_entry_short() -> None:
    result = assign_reviewers([Entry("e0"), Entry("e1")], [], 2)
    assert result.reviewers == {"e0": [], "e1": []}
    assert result.short == {"e0": 2, "e1": 2}
    assert result.load == {}


def test_a_national_call_is_assigned_evenly_without_conflicts() -> None:
    # 5,000 entries and 200 reviewers, the size that took 77 s as one programme
    # over every pair; shaped like benchmarks/campaign_assignment.py.
    rng = random.Random(1)
    provinces = ["浙江", "江苏", "湖北", "广东", "四川", "北京", "上海", "山东"]
    entries = [
        Entry(f"E{i}", library=f"图书馆{i % 400}", province=rng.choice(provinces))
        for i in range(5000)
    ]
    panel = [
        Reviewer(
            f"R{j}", institution=f"图书馆{j * 7 % 400}", province=rng.choice(provinces)
        )
        for j in range(200)
    ]
    rules = ConflictRules(same_province=True)
    result = assign_reviewers(entries, panel, 3, rules)
    assert not result.short
    assert set(result.load.values()) == {75}
    by_id = {r.id: r for r in panel}
    assert all(
        conflict(by_id[rid], entry, rules) is None
        for entry in entries
        for rid in result.reviewers[entry.id]
    )
