"""Campaign files for the CLI: reviews, reviewers and entries in; standings out.

Every reader is all-or-nothing: a bad row raises an error naming the file, the row
(or line) and the column, and nothing is returned. Headers may be Chinese or
English (评审专家 / reviewer); criteria columns may use the key or either label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from libinnov.campaigns._tables import Column, Table, Where, read_table, write_table
from libinnov.campaigns._values import identifier, is_blank, items
from libinnov.campaigns.assignment import Assignment
from libinnov.campaigns.conflicts import Entry, Reviewer
from libinnov.campaigns.rubric import Rubric
from libinnov.campaigns.scoring import (
    DEFAULT_AWARD_TIERS,
    FLAG_LABELS,
    Review,
    Standing,
)
from libinnov.exceptions import CampaignError
from libinnov.text.normalise import clean_whitespace, match_key

_REVIEW_COLUMNS = {
    "entry": ("entry", "entry_id", "案例编号", "申报编号", "编号", "case_id"),
    "reviewer": ("reviewer", "reviewer_id", "评审专家", "专家", "评委", "expert"),
    "comment": ("comment", "comments", "评语", "意见", "评审意见"),
}
_REVIEWER_COLUMNS = {
    "id": ("id", "reviewer_id", "编号", "专家编号", "账号", "用户名", "username"),
    "name": ("name", "姓名", "专家", "评审专家", "专家姓名", "reviewer"),
    "institution": ("institution", "单位", "工作单位", "所在单位", "机构"),
    "province": ("province", "省份", "省", "所在省份"),
    "declared": ("declared", "conflicts", "回避", "声明回避", "回避案例", "申报回避"),
}
_AUTHOR_FIELDS = ("authors", "author", "作者", "案例作者", "申报人", "主要完成人")


def _text(value: Any) -> str:
    return "" if is_blank(value) else clean_whitespace(str(value))


def _criteria_columns(table: Table, rubric: Rubric, taken: set[str]) -> dict[str, str]:
    """Criterion key -> its column; every criterion needs one in a sheet."""
    found: dict[str, str] = {}
    for column in table.header:
        if column in taken:
            continue
        try:
            key = rubric.criterion(column).key
        except CampaignError:
            continue  # title, total, reviewer name...: not ours to read
        if key in found:
            raise table.error(
                "columns '%(first)s' and '%(second)s' both give %(name)s",
                field=column,
                first=found[key],
                second=column,
                name=key,
            )
        found[key] = column
    if table.header_where:
        for criterion in rubric.criteria:
            if criterion.key not in found:
                raise table.error(
                    "no column for %(label)s (%(key)s)",
                    field=criterion.key,
                    label=criterion.label_zh,
                    key=criterion.key,
                )
    return found


def _required(columns: dict[str, str], table: Table, field: str) -> str:
    if field in columns:
        return columns[field]
    if field == "entry":
        raise table.error("no entry column (案例编号/entry)")
    raise table.error("no reviewer column (评审专家/reviewer)")


def read_reviews(path: str | Path, rubric: Rubric) -> list[Review]:
    """Reviews from CSV (UTF-8, BOM or GBK), XLSX or JSON Lines, validated.

    One row per (entry, reviewer) with one column per criterion. A row whose scores
    and comment are all blank is an assignment not yet scored and is skipped (its
    entry is flagged ``too_few_reviews`` when ranked); a row scored in part is an
    error. JSON records may instead hold ``"scores": {criterion: score}``.
    """
    table = read_table(path, sheets=("reviews", "评审", "评分", "评分表"))
    columns = table.columns(_REVIEW_COLUMNS)
    _required(columns, table, "entry")
    reviewer_col = _required(columns, table, "reviewer")
    criteria = _criteria_columns(table, rubric, set(columns.values()))
    reviews: list[Review] = []
    first: dict[tuple[str, str], Where] = {}
    for where, row in table.rows:
        review = _review(row, where, table, rubric, criteria, columns)
        if review is None:
            continue
        pair = (review.entry_id, review.reviewer_id)
        if pair in first:
            earlier = first[pair]
            if "row" in earlier:
                raise table.error(
                    "'%(reviewer)s' already scored '%(entry)s' in row %(earlier)s",
                    where,
                    field=reviewer_col,
                    reviewer=pair[1],
                    entry=pair[0],
                    earlier=earlier["row"],
                )
            raise table.error(
                "'%(reviewer)s' already scored '%(entry)s' in line %(earlier)s",
                where,
                field=reviewer_col,
                reviewer=pair[1],
                entry=pair[0],
                earlier=earlier["line"],
            )
        first[pair] = where
        reviews.append(review)
    if not reviews:
        raise CampaignError("the file holds no scored reviews", file=table.path)
    return reviews


def _review(
    row: Mapping[str, Any],
    where: Where,
    table: Table,
    rubric: Rubric,
    criteria: Mapping[str, str],
    columns: Mapping[str, str],
) -> Review | None:
    # Blank cells are left out: a missing score is then one error, whether its
    # column is empty or absent (JSON records need not all have the same keys).
    given = ((key, row.get(column)) for key, column in criteria.items())
    scores: dict[str, Any] = {k: v for k, v in given if not is_blank(v)}
    nested = row.get("scores")
    if isinstance(nested, Mapping):
        scores.update({str(k): v for k, v in nested.items() if not is_blank(v)})
    comment = _text(row.get(columns["comment"])) if "comment" in columns else ""
    if not scores and not comment:
        return None
    ids = {
        field: identifier(row.get(columns[field])) for field in ("entry", "reviewer")
    }
    if not ids["entry"]:
        raise table.error("no entry id", where, field=columns["entry"])
    if not ids["reviewer"]:
        raise table.error("no reviewer id", where, field=columns["reviewer"])
    try:
        valid = rubric.validate_scores(scores)
    except CampaignError as exc:
        # name the column as the sheet heads it, not the criterion's key
        column = criteria.get(exc.field or "", exc.field)
        raise table.error(exc.template, where, field=column, **exc.params) from None
    return Review(ids["entry"], ids["reviewer"], valid, comment)


def read_reviewers(path: str | Path) -> list[Reviewer]:
    """The review panel: id (or name), institution, province, declared conflicts.

    Without an id column a reviewer's name is their id, as review sheets usually
    name the expert. Declared conflicts are entry ids separated by ；、, or ;.
    """
    table = read_table(path, sheets=("reviewers", "专家", "评审专家"))
    columns = table.columns(_REVIEWER_COLUMNS)
    if "id" not in columns and "name" not in columns:
        raise table.error("no id or name column (编号/id, 姓名/name)")
    reviewers: list[Reviewer] = []
    seen: set[str] = set()
    id_column = columns.get("id", columns.get("name"))
    for where, row in table.rows:
        value = {f: row.get(c) for f, c in columns.items()}
        name = _text(value.get("name"))
        rid = identifier(value.get("id")) or identifier(name)
        if not rid:
            raise table.error("no reviewer id or name", where, field=id_column)
        if rid in seen:
            raise table.error(
                "reviewer '%(id)s' appears twice", where, field=id_column, id=rid
            )
        seen.add(rid)
        reviewers.append(
            Reviewer(
                id=rid,
                name=name,
                institution=_text(value.get("institution")),
                province=_text(value.get("province")),
                declared=frozenset(items(value.get("declared"))),
            )
        )
    if not reviewers:
        raise CampaignError("the file lists no reviewers", file=table.path)
    return reviewers


def read_entries(path: str | Path) -> list[Entry]:
    """Entries from any case file libinnov reads (id, title, library, province).

    Authors, for the conflict rules, come from a column named 作者, 申报人,
    主要完成人 or authors (names separated by ；、,).
    """
    from libinnov.cases.io import read_cases

    wanted = {match_key(name) for name in _AUTHOR_FIELDS}
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for case in read_cases(path):
        authors = [
            name
            for key, value in case.extra.items()
            if match_key(key) in wanted
            for name in items(value)
        ]
        entry = Entry(
            id=identifier(case.id),
            title=case.title,
            library=case.library,
            province=case.province or "",
            authors=tuple(authors),
        )
        if entry.id in seen:
            raise CampaignError(
                "entry ids '%(first)s' and '%(second)s' are the same id",
                file=path,
                field="id",
                first=seen[entry.id],
                second=case.id,
            )
        seen[entry.id] = case.id
        entries.append(entry)
    return entries


# -- writing ---------------------------------------------------------------------

_ENTRY_COLUMNS = (
    Column("title", "标题", "title"),
    Column("library", "单位", "library"),
)
_TIER_LABELS = {t.key: (t.label_zh, t.label_en) for t in DEFAULT_AWARD_TIERS}
#: the rank cell of an entry no one reviewed: in sheets, where JSON has null
UNRANKED = "—"


def _label(labels: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = labels.get(key, (key, key))
    return en if lang == "en" else zh


def _round(value: float, places: int) -> float | None:
    return None if value != value else round(value, places)


def _criteria_heads(
    standings: Sequence[Standing], rubric: Rubric | None
) -> list[Column]:
    if rubric is not None:
        return [Column(f"c:{c.key}", c.label_zh, c.label_en) for c in rubric.criteria]
    keys = next((list(s.criteria) for s in standings if s.criteria), [])
    return [Column(f"c:{k}", k, k) for k in keys]


def write_standings(
    standings: Sequence[Standing],
    path: str | Path,
    *,
    awards: Mapping[str, str] | None = None,
    shortlisted: Iterable[str | Standing] | None = None,
    rubric: Rubric | None = None,
    lang: str = "zh",
    entries: Iterable[Entry] | None = None,
) -> None:
    """Write the standings: .xlsx or .csv (UTF-8 BOM) for people, .json/.jsonl for
    programs. ``shortlisted`` takes entry ids or the list :func:`shortlist` returns;
    ``entries`` adds each entry's title and library. An entry no one reviewed has
    no rank: ``null`` in JSON, "—" in sheets. Written atomically.
    """
    awards = awards or {}
    chosen = {s if isinstance(s, str) else s.entry_id for s in shortlisted or ()}
    about = {e.id: e for e in entries or ()}
    heads = _criteria_heads(standings, rubric)
    columns = [
        Column("rank", "名次", "rank"),
        Column("entry_id", "案例编号", "entry_id"),
        *(_ENTRY_COLUMNS if about else ()),
        Column("score", "得分", "score"),
        Column("raw", "原始得分", "raw"),
        Column("n_reviews", "评审数", "n_reviews"),
        Column("spread", "分歧（标准差）", "spread"),
        *heads,
        Column("shortlisted", "入围", "shortlisted"),
        Column("award", "奖项", "award"),
        Column("flags", "提示", "flags"),
    ]
    records: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    for s in standings:
        entry = about.get(s.entry_id)
        record: dict[str, Any] = {"rank": s.rank, "entry_id": s.entry_id}
        if about:
            record["title"] = entry.title if entry else ""
            record["library"] = entry.library if entry else ""
        record |= {
            "score": _round(s.score, 6),
            "raw": _round(s.raw, 6),
            "n_reviews": s.n_reviews,
            "spread": _round(s.spread, 6),
            "criteria": {k: _round(v, 6) for k, v in s.criteria.items()},
            "shortlisted": s.entry_id in chosen,
            "award": awards.get(s.entry_id),
            "flags": list(s.flags),
        }
        records.append(record)
        cells.append(_cells(record, s, lang))
    write_table(path, columns, cells, records, lang=lang, sheet="standings")


def _cells(record: dict[str, Any], standing: Standing, lang: str) -> dict[str, Any]:
    """The record as people read it in a sheet: rounded, labelled."""
    cells = dict(record)
    if standing.rank is None:
        cells["rank"] = UNRANKED  # not a blank a reader might take for a lost number
    for key in ("score", "raw", "spread"):
        cells[key] = _round(getattr(standing, key), 3)
    for key, value in standing.criteria.items():
        cells[f"c:{key}"] = _round(value, 3)
    yes = "yes" if lang == "en" else "是"
    cells["shortlisted"] = yes if record["shortlisted"] else ""
    award = record["award"]
    cells["award"] = _label(_TIER_LABELS, award, lang) if award else ""
    cells["flags"] = [_label(FLAG_LABELS, f, lang) for f in standing.flags]
    return cells


def write_assignments(
    assignment: Assignment,
    path: str | Path,
    *,
    entries: Iterable[Entry] = (),
    reviewers: Iterable[Reviewer] = (),
    rubric: Rubric | None = None,
    lang: str = "zh",
) -> None:
    """One row per (entry, reviewer), with empty score columns for the reviewer.

    The sheet is a review form: filled in and handed back, :func:`read_reviews`
    reads it as it is (rows not yet scored are skipped).
    """
    rubric = rubric or Rubric.default()
    titles = {e.id: e.title for e in entries}
    names = {r.id: r.name for r in reviewers}
    columns = [
        Column("entry_id", "案例编号", "entry_id"),
        Column("title", "标题", "title"),
        Column("reviewer_id", "评审专家", "reviewer_id"),
        Column("reviewer_name", "专家姓名", "reviewer_name"),
        *(Column(c.key, c.label_zh, c.label_en) for c in rubric.criteria),
        Column("comment", "评语", "comment"),
    ]
    records = [
        {
            "entry_id": eid,
            "title": titles.get(eid, ""),
            "reviewer_id": rid,
            "reviewer_name": names.get(rid, ""),
        }
        for eid, rids in assignment.reviewers.items()
        for rid in rids
    ]
    write_table(path, columns, records, records, lang=lang, sheet="reviews")
