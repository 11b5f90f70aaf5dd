"""Conflicts of interest decided on names as people type them."""

from __future__ import annotations

import random
from itertools import chain

import pytest

from libinnov.campaigns import (
    CONFLICT_REASONS,
    ConflictRules,
    Entry,
    Reviewer,
    call_conflicts,
    conflict,
    entry_conflicts,
    same_institution,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("武汉大学图书馆", "武汉大学"),
        ("武漢大學圖書館", "武汉大学"),
        ("武漢大學", "武汉大学图书馆"),
        ("武汉大学　图书馆", "武汉 大学"),
        ("武汉大学图书馆（总馆）", "武汉大学"),
        ("清华大学图书馆", "清華大學"),
        ("厦门大学图书与信息中心", "厦门大学图书馆"),
        ("中国科学院文献情报中心", "中国科学院"),
        ("北京大学医学图书馆", "北京大学"),
        ("北京大学", "北京大学信息管理系"),
        ("Wuhan University Library", "wuhan university library"),
        ("浙江省图书馆", "浙江图书馆"),
        ("广州市图书馆", "广州图书馆"),
        ("内蒙古自治区图书馆", "内蒙古图书馆"),
        ("中国国家图书馆", "国家图书馆"),
    ],
)
def test_one_institution_however_its_name_is_typed(a: str, b: str) -> None:
    assert same_institution(a, b)
    assert same_institution(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("武汉大学", "武汉市图书馆"),
        ("浙江大学图书馆", "浙江图书馆"),
        ("上海图书馆", "上海大学图书馆"),
        ("南京图书馆", "南京大学"),
        ("", ""),
        ("", "武汉大学"),
        ("图书馆", "武汉大学图书馆"),
        ("吉林省图书馆", "吉林市图书馆"),  # 吉林 is a province and a city
        ("温州市图书馆", "温州大学图书馆"),
        ("中国科学院文献情报中心", "国家图书馆"),
    ],
)
def test_different_or_empty_names_never_conflict(a: str, b: str) -> None:
    assert not same_institution(a, b)


ENTRY = Entry(
    "A01",
    title="城市书房",
    library="武漢大學圖書館",
    province="湖北",
    authors=("张三", "李 四"),
)


@pytest.mark.parametrize(
    ("reviewer", "reason"),
    [
        (
            Reviewer("r1", institution="武汉大学", declared=frozenset({"A01"})),
            "declared",
        ),
        (Reviewer("r2", name="李四", institution="浙江图书馆"), "author"),
        (Reviewer("r3", name="王五", institution="武汉大学"), "same_institution"),
        (
            Reviewer("r4", name="王五", institution="华中科技大学", province="湖北省"),
            None,
        ),
        (Reviewer("r5", declared=frozenset({"A02"})), None),
        (Reviewer("r6"), None),
    ],
)
def test_the_first_reason_that_applies_is_given(
    reviewer: Reviewer, reason: str | None
) -> None:
    assert conflict(reviewer, ENTRY) == reason
    assert reason is None or reason in CONFLICT_REASONS


def test_same_province_only_when_the_rule_is_on() -> None:
    reviewer = Reviewer("r4", institution="华中科技大学", province="湖北省")
    rules = ConflictRules(same_province=True)
    assert conflict(reviewer, ENTRY) is None
    assert conflict(reviewer, ENTRY, rules) == "same_province"
    assert conflict(Reviewer("r5", province=""), ENTRY, rules) is None
    assert conflict(reviewer, Entry("B", province=""), rules) is None


def test_the_institution_rule_can_be_turned_off() -> None:
    reviewer = Reviewer("r3", institution="武汉大学")
    assert conflict(reviewer, ENTRY, ConflictRules(same_institution=False)) is None


def test_an_empty_name_is_no_author() -> None:
    assert conflict(Reviewer("r", name=""), Entry("A", authors=("",))) is None


def test_entry_conflicts_lists_each_barred_reviewer_with_why() -> None:
    panel = [
        Reviewer("wang", institution="武汉大学"),
        Reviewer("li", name="张三"),
        Reviewer("zhao", institution="上海图书馆"),
    ]
    assert entry_conflicts(ENTRY, panel) == {
        "wang": "same_institution",
        "li": "author",
    }
    assert all(zh and en for zh, en in CONFLICT_REASONS.values())


# Every spelling of one body above, each pair of different bodies, and a few more.
NAMES = sorted(
    set(
        chain.from_iterable(
            [
                ("武汉大学图书馆", "武漢大學", "武汉大学　图书馆", "清华大学图书馆"),
                ("清華大學", "厦门大学图书与信息中心", "厦门大学图书馆"),
                ("中国科学院文献情报中心", "中国科学院", "北京大学医学图书馆"),
                ("北京大学", "北京大学信息管理系", "浙江省图书馆", "浙江图书馆"),
                ("广州市图书馆", "广州图书馆", "中国国家图书馆", "国家图书馆"),
                ("武汉市图书馆", "浙江大学图书馆", "上海图书馆", "上海大学图书馆"),
                ("南京图书馆", "南京大学", "图书馆", "吉林省图书馆", "吉林市图书馆"),
                ("温州市图书馆", "温州大学图书馆", "温州大学", "北京大学医学部"),
                ("", " "),
            ]
        )
    )
)
PROVINCES = ["湖北", "湖北省", "浙江", "浙江省", "广西壮族自治区", "广西", "", " "]
PEOPLE = ["张三", "李 四", "李四", "王五", ""]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "rules",
    [
        ConflictRules(),
        ConflictRules(same_province=True),
        ConflictRules(same_institution=False, same_province=True),
    ],
    ids=["default", "province", "province-only"],
)
def test_a_whole_call_gets_the_same_conflicts_as_pair_by_pair(
    seed: int, rules: ConflictRules
) -> None:
    rng = random.Random(seed)
    entries = [
        Entry(
            f"A{i}",
            library=rng.choice(NAMES),
            province=rng.choice(PROVINCES),
            authors=tuple(rng.sample(PEOPLE, rng.randint(0, 2))),
        )
        for i in range(60)
    ]
    panel = [
        Reviewer(
            f"r{j}",
            name=rng.choice(PEOPLE),
            institution=rng.choice(NAMES),
            province=rng.choice(PROVINCES),
            declared=frozenset(f"A{rng.randrange(60)}" for _ in range(3)),
        )
        for j in range(25)
    ]
    found = call_conflicts(entries, panel, rules)
    expected = [entry_conflicts(entry, panel, rules) for entry in entries]
    assert found == expected
    assert [list(f) for f in found] == [list(e) for e in expected]  # panel order
    assert any(found)


def test_a_call_without_entries_or_reviewers_has_no_conflicts() -> None:
    assert call_conflicts([], [Reviewer("r")]) == []
    assert call_conflicts([ENTRY], []) == [{}]
