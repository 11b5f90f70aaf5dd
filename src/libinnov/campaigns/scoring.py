"""From reviews to a ranking: normalisation, standings, shortlist and awards.

Reviewers differ in leniency: one gives 8 where another gives 5 to the same work.
When each entry is scored by a different few reviewers, raw means reward entries
that drew lenient ones. Normalising each reviewer's totals first removes that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.stats import rankdata

from libinnov.campaigns._values import number, relocated
from libinnov.campaigns.rubric import Rubric
from libinnov.exceptions import CampaignError
from libinnov.text.normalise import match_key, to_halfwidth

NORMALISATIONS = ("zscore", "rank", "none")
#: Reviewers disagree when the sd of an entry's normalised totals exceeds this share
#: of the scale's range (1.8 points on a 1-10 rubric; 0.2 for percentile ranks).
DISAGREE_SPREAD = 0.2
#: flag key -> (zh, en) label
FLAG_LABELS: dict[str, tuple[str, str]] = {
    "too_few_reviews": ("评审数不足", "too few reviews"),
    "reviewers_disagree": ("评审意见分歧大", "reviewers disagree"),
}
# Totals equal in arithmetic can differ in the last bits of a float; compare them
# at this many decimals so such ties stay ties.
_DECIMALS = 9


@dataclass(frozen=True)
class Review:
    """One reviewer's scores for one entry, by criterion key (or label)."""

    entry_id: str
    reviewer_id: str
    scores: Mapping[str, float]
    comment: str = ""


@dataclass(frozen=True)
class _Scored:
    review: Review
    scores: dict[str, float]
    total: float


def _scored(reviews: Sequence[Review], rubric: Rubric) -> list[_Scored]:
    """Validated reviews with their weighted totals; one review per pair."""
    seen: set[tuple[str, str]] = set()
    scored: list[_Scored] = []
    for review in reviews:
        pair = (review.entry_id, review.reviewer_id)
        where = f"review of '{review.entry_id}' by '{review.reviewer_id}'"
        if pair in seen:
            raise CampaignError("the reviewer scored this entry twice", file=where)
        seen.add(pair)
        scores = rubric.validate_scores(review.scores, where=where)
        scored.append(_Scored(review, scores, rubric.total(scores)))
    return scored


def _zscore(totals: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    grand = float(totals.mean())
    spreads = [(len(g) - 1, float(totals[g].var(ddof=1))) for g in groups if len(g) > 1]
    dof = sum(n for n, _ in spreads)
    pooled = math.sqrt(sum(n * v for n, v in spreads) / dof) if dof else 0.0
    out = totals.copy()
    for group in groups:
        values = totals[group]
        if len(group) == 1:
            continue
        mean, sd = float(values.mean()), float(values.std(ddof=1))
        if sd < 10.0**-_DECIMALS:
            out[group] = values - mean + grand
        else:
            out[group] = grand + pooled * (values - mean) / sd
    return out


def _percentiles(totals: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    out = np.full(len(totals), 0.5)
    for group in groups:
        if len(group) > 1:
            ranks = rankdata(np.round(totals[group], _DECIMALS), method="average")
            out[group] = (ranks - 1) / (len(group) - 1)
    return out


def _normalise(scored: list[_Scored], method: str) -> np.ndarray:
    if method not in NORMALISATIONS:
        raise CampaignError(
            "unknown normalisation '%(method)s' (use %(known)s)",
            field="method",
            method=method,
            known=", ".join(NORMALISATIONS),
        )
    totals = np.array([s.total for s in scored], dtype=float)
    if method == "none" or not scored:
        return totals
    members: dict[str, list[int]] = {}
    for index, s in enumerate(scored):
        members.setdefault(s.review.reviewer_id, []).append(index)
    groups = [np.array(m) for m in members.values()]
    return (
        _zscore(totals, groups) if method == "zscore" else _percentiles(totals, groups)
    )


def normalised_totals(
    reviews: Sequence[Review], rubric: Rubric, method: str = "zscore"
) -> dict[tuple[str, str], float]:
    """Each review's total, made comparable across reviewers.

    ``zscore``: a reviewer's totals are standardised (own mean and sd) and put back
    on the pooled scale: the mean of all totals and the pooled within-reviewer sd.
    A harsh and a lenient reviewer then count alike, and the numbers still read on
    the rubric's scale. A reviewer whose totals are all equal ranked nothing, so
    they are only shifted by (pooled mean - own mean): every entry they scored gets
    the pooled mean. A reviewer with a single review is left raw: one total cannot
    tell a harsh reviewer from a weak entry, and shifting it to the pooled mean
    would erase the only thing it says.

    ``rank``: each reviewer's percentile rank of their totals, 0 (their lowest) to 1
    (their highest), ties averaged; 0.5 for a reviewer with one review.

    ``none``: the raw weighted totals.

    Returns (entry id, reviewer id) -> normalised total, in review order.
    """
    scored = _scored(reviews, rubric)
    values = _normalise(scored, method)
    return {
        (s.review.entry_id, s.review.reviewer_id): float(v)
        for s, v in zip(scored, values, strict=True)
    }


@dataclass(frozen=True)
class Standing:
    """Where an entry stands once its reviews are pooled."""

    entry_id: str
    rank: int | None  # competition ranking: 1, 2, 2, 4; None when no one reviewed it
    score: float  # mean normalised total (NaN when no one reviewed it)
    raw: float  # mean raw weighted total (NaN when no one reviewed it)
    n_reviews: int
    spread: float  # sd of the normalised totals (0 for one review)
    criteria: dict[str, float]  # mean raw score per criterion
    flags: tuple[str, ...]  # keys of FLAG_LABELS


def _standing(
    entry_id: str,
    scored: list[_Scored],
    values: list[float],
    rubric: Rubric,
    required: int,
    threshold: float,
) -> Standing:
    n = len(scored)
    spread = float(np.std(values, ddof=1)) if n > 1 else 0.0
    flags: list[str] = []
    if n < required or n == 0:
        flags.append("too_few_reviews")
    if spread > threshold:
        flags.append("reviewers_disagree")
    if not n:
        nan = float("nan")
        return Standing(entry_id, None, nan, nan, 0, 0.0, {}, tuple(flags))
    criteria = {k: float(np.mean([s.scores[k] for s in scored])) for k in rubric.keys}
    return Standing(
        entry_id=entry_id,
        rank=None,  # ranked once every entry stands
        score=float(np.mean(values)),
        raw=float(np.mean([s.total for s in scored])),
        n_reviews=n,
        spread=spread,
        criteria=criteria,
        flags=tuple(flags),
    )


def _entry_order(scored: list[_Scored], entries: Sequence[str] | None) -> list[str]:
    if entries is None:
        return list(dict.fromkeys(s.review.entry_id for s in scored))
    order = list(dict.fromkeys(entries))
    if len(order) != len(entries):
        twice = next(e for e in order if list(entries).count(e) > 1)
        raise CampaignError(
            "entry '%(entry)s' is listed twice", field="entries", entry=twice
        )
    known = set(order)
    for s in scored:
        if s.review.entry_id not in known:
            raise CampaignError(
                "a review of '%(entry)s' (by '%(reviewer)s'), "
                "which is not among the entries",
                field="entry_id",
                entry=s.review.entry_id,
                reviewer=s.review.reviewer_id,
            )
    return order


def rank_entries(
    reviews: Sequence[Review],
    rubric: Rubric,
    *,
    method: str = "zscore",
    required_reviews: int = 0,
    entries: Sequence[str] | None = None,
) -> list[Standing]:
    """Standings, best first, with competition ranks (1, 2, 2, 4) on the mean score.

    An entry listed in ``entries`` that no one reviewed comes last, without a rank
    (``None``), with n_reviews 0 and the flag ``too_few_reviews``: it is never
    silently dropped. A review of an
    entry not in ``entries`` is an error (most often a mistyped id).
    """
    if required_reviews < 0:
        raise CampaignError(
            "required reviews cannot be negative", field="required_reviews"
        )
    scored = _scored(reviews, rubric)
    values = _normalise(scored, method)
    low, high = (0.0, 1.0) if method == "rank" else rubric.scale
    threshold = DISAGREE_SPREAD * (high - low)
    by_entry: dict[str, list[int]] = {e: [] for e in _entry_order(scored, entries)}
    for index, s in enumerate(scored):
        by_entry[s.review.entry_id].append(index)
    standings = [
        _standing(
            eid,
            [scored[i] for i in idx],
            [float(values[i]) for i in idx],
            rubric,
            required_reviews,
            threshold,
        )
        for eid, idx in by_entry.items()
    ]
    return _ranked(standings)


def _ranked(standings: list[Standing]) -> list[Standing]:
    reviewed = [s for s in standings if s.n_reviews]
    keys = np.array([-round(s.score, _DECIMALS) for s in reviewed], dtype=float)
    ranks = rankdata(keys, method="min").astype(int) if reviewed else []
    ranked = [replace(s, rank=int(r)) for s, r in zip(reviewed, ranks, strict=True)]
    ranked.sort(key=_rank)  # stable: ties keep the entries' order
    # unreviewed entries follow, unranked: a shared rank after the last would read
    # as a tie with whoever holds it
    return ranked + [s for s in standings if not s.n_reviews]


def _rank(standing: Standing) -> int:
    """The rank of a reviewed entry (only those are ranked)."""
    if standing.rank is None:
        raise CampaignError(
            "entry '%(entry)s' is reviewed but not ranked", entry=standing.entry_id
        )
    return standing.rank


def _cut(candidates: list[Standing], count: int) -> int:
    """How many of the ranked candidates make the top ``count``, ties included."""
    if count <= 0 or not candidates:
        return 0
    last = _rank(candidates[min(count, len(candidates)) - 1])
    return sum(1 for s in candidates if _rank(s) <= last)


def _reviewed(standings: Iterable[Standing]) -> list[Standing]:
    return sorted((s for s in standings if s.n_reviews), key=_rank)


def shortlist(
    standings: Sequence[Standing],
    *,
    size: int | None = None,
    share: float | None = None,
) -> list[Standing]:
    """The top ``size`` entries (or ``ceil(share * n)``), and any tied with the last.

    Only reviewed entries can be shortlisted; ``n`` counts them.
    """
    candidates = _reviewed(standings)
    if size is not None and share is not None:
        raise CampaignError("give a shortlist size or a share, not both")
    if share is not None:
        if not 0 < share <= 1:
            raise CampaignError(
                "the shortlist share must be above 0 and at most 1, not %(share)s",
                field="share",
                share=share,
            )
        size = math.ceil(share * len(candidates))
    elif size is None:
        raise CampaignError("give a shortlist size or a share")
    if size < 0:
        raise CampaignError("the shortlist size cannot be negative", field="size")
    return candidates[: _cut(candidates, size)]


@dataclass(frozen=True)
class AwardTier:
    """One prize level and how many entries it goes to."""

    key: str
    label_zh: str
    label_en: str
    count: int

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


#: The prize levels of Chinese case contests, best first; counts are set per campaign.
DEFAULT_AWARD_TIERS: tuple[AwardTier, ...] = (
    AwardTier("first", "一等奖", "First prize", 0),
    AwardTier("second", "二等奖", "Second prize", 0),
    AwardTier("third", "三等奖", "Third prize", 0),
    AwardTier("merit", "优秀奖", "Merit award", 0),
)
_TIER_SEPARATORS = re.compile(r"[,;，；、]+")
# "name = count", several to a piece when only spaces part them: "first=3 second=5"
_TIER_ITEM = re.compile(r"([^=:：]+?)\s*[=:：]\s*([^\s=:：]+)\s*")


def _tier_named(name: str) -> AwardTier:
    wanted = match_key(name)
    for tier in DEFAULT_AWARD_TIERS:
        if wanted in {match_key(n) for n in (tier.key, tier.label_zh, tier.label_en)}:
            return tier
    known = "、".join(f"{t.key}/{t.label_zh}" for t in DEFAULT_AWARD_TIERS)
    raise CampaignError(
        "unknown award tier '%(name)s' (known: %(known)s)",
        field="awards",
        name=name,
        known=known,
    )


def parse_tiers(text: str) -> list[AwardTier]:
    """Award tiers from ``first=3,second=5`` or ``一等奖=3，二等奖=5``, best first.

    >>> [(t.key, t.count) for t in parse_tiers("一等奖=1, second=２")]
    [('first', 1), ('second', 2)]
    """
    tiers: list[AwardTier] = []
    for piece in _TIER_SEPARATORS.split(to_halfwidth(text)):
        at = len(piece) - len(piece.lstrip())
        while at < len(piece):
            match = _TIER_ITEM.match(piece, at)
            if match is None:
                raise CampaignError(
                    "'%(value)s' is not tier=count (e.g. first=3 or 一等奖=3)",
                    field="awards",
                    value=piece.strip(),
                )
            tier = _tier(match.group(1), match.group(2))
            if any(t.key == tier.key for t in tiers):
                raise CampaignError(
                    "tier '%(tier)s' is given twice", field="awards", tier=tier.key
                )
            tiers.append(tier)
            at = match.end()
    return tiers


def _tier(name: str, count: str) -> AwardTier:
    tier = _tier_named(name)
    try:
        value = number(count)
    except CampaignError as exc:
        raise relocated(exc, field="awards") from None
    if value < 0 or not value.is_integer():
        raise CampaignError(
            "the count of '%(tier)s' must be a whole number of 0 or more",
            field="awards",
            tier=tier.key,
        )
    return AwardTier(tier.key, tier.label_zh, tier.label_en, int(value))


def award(standings: Sequence[Standing], tiers: Sequence[AwardTier]) -> dict[str, str]:
    """Entry id -> tier key, in rank order, tiers awarded best first.

    The first ``count`` entries of a tier win it, and so does any entry tied with the
    last of them. The tiers' counts add up to fixed places, so ties that widen a tier
    shrink the tiers below it: with first=1, second=2 and ranks 1, 1, 3, 4, first
    goes to both entries ranked 1 and second only to the one ranked 3.
    """
    candidates = _reviewed(standings)
    awards: dict[str, str] = {}
    given, places = 0, 0
    for tier in tiers:
        places += tier.count
        if tier.count == 0:
            continue
        upto = max(_cut(candidates, places), given)
        for standing in candidates[given:upto]:
            awards[standing.entry_id] = tier.key
        given = upto
    return awards


@dataclass(frozen=True)
class Results:
    """What a campaign decides: the shortlist, best first, and the awards."""

    shortlisted: tuple[str, ...]  # entry ids in ranking order
    awards: dict[str, str]  # entry id -> tier key


def _check_choices(
    known: set[str],
    tiers: Sequence[AwardTier],
    include: set[str],
    exclude: set[str],
    by_hand: Mapping[str, str],
) -> None:
    for entry in sorted(include | exclude | set(by_hand)):
        if entry not in known:
            raise CampaignError(
                "entry '%(entry)s' is not in the standings", entry=entry
            )
    both = sorted(include & exclude)
    if both:
        raise CampaignError(
            "entry '%(entry)s' is both included in and excluded from the shortlist",
            field="shortlist",
            entry=both[0],
        )
    keys = {t.key for t in tiers}
    for entry, key in sorted(by_hand.items()):
        if key and key not in keys:
            raise CampaignError(
                "'%(tier)s' is not one of this campaign's award tiers",
                field="award",
                tier=key,
            )
        if key and entry in exclude:
            raise CampaignError(
                "entry '%(entry)s' is excluded from the shortlist, so it cannot win "
                "an award",
                field="award",
                entry=entry,
            )


def decide_results(
    standings: Sequence[Standing],
    tiers: Sequence[AwardTier],
    *,
    size: int | None = None,
    share: float | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    awards_by_hand: Mapping[str, str] | None = None,
) -> Results:
    """The shortlist and awards by the ranking, with the organisers' own choices.

    Choices made by hand win, and the ranking fills the rest:

    * an entry in ``exclude`` is neither shortlisted nor awarded, and its place on
      the shortlist goes to the next entry down the ranking;
    * an entry in ``include`` joins the shortlist (even one not reviewed) without
      taking anyone's place;
    * ``awards_by_hand`` maps an entry to a tier key, which it wins (and so it is
      shortlisted), or to ``""``, no award. Either way its tier is settled: the
      ranking awards the other shortlisted entries, and a tier's places given by
      hand are taken from it. With first=1, first prize given by hand to the entry
      ranked 4 sends the entry ranked 1 to the tiers below.

    An entry both included and excluded, excluded yet awarded, a tier not among
    ``tiers`` or an entry not in the standings is an error.

    >>> standings = rank_entries(
    ...     [Review(e, "r", {"x": t}) for e, t in [("A", 9), ("B", 8), ("C", 7)]],
    ...     Rubric.from_records([{"key": "x"}]),
    ...     method="none",
    ... )
    >>> first = [AwardTier("first", "一等奖", "First prize", 1)]
    >>> decide_results(standings, first, size=1, exclude=["A"])
    Results(shortlisted=('B',), awards={'B': 'first'})
    """
    include, exclude = set(include), set(exclude)
    by_hand = dict(awards_by_hand or {})
    _check_choices({s.entry_id for s in standings}, tiers, include, exclude, by_hand)
    pool = [s for s in standings if s.entry_id not in exclude]
    chosen = {s.entry_id for s in shortlist(pool, size=size, share=share)}
    awarded = {entry: key for entry, key in by_hand.items() if key}
    listed = (chosen | include | set(awarded)) - exclude
    given = {t.key: sum(1 for key in awarded.values() if key == t.key) for t in tiers}
    left = [replace(t, count=max(t.count - given[t.key], 0)) for t in tiers]
    by_ranking = [
        s for s in standings if s.entry_id in listed and s.entry_id not in by_hand
    ]
    awards = award(by_ranking, left) | awarded
    order = [s.entry_id for s in standings if s.entry_id in listed]
    return Results(
        shortlisted=tuple(order),
        awards={entry: awards[entry] for entry in order if entry in awards},
    )
