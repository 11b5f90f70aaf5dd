"""``libinnov campaign rubric|assign|rank``: a case contest run from files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from libinnov.campaigns import (
    CONFLICT_REASONS,
    DEFAULT_AWARD_TIERS,
    FLAG_LABELS,
    NORMALISATIONS,
    Assignment,
    ConflictRules,
    Entry,
    Reviewer,
    Rubric,
    Standing,
    assign_reviewers,
    award,
    call_conflicts,
    load_rubric,
    parse_tiers,
    rank_entries,
    read_entries,
    read_reviewers,
    read_reviews,
    save_rubric,
    shortlist,
    write_assignments,
    write_standings,
)
from libinnov.commands._shared import console, progress

T = TypeVar("T")
campaign_app = typer.Typer(
    help="Run a case campaign: review rubric, reviewer assignment, ranking, awards.",
    no_args_is_help=True,
)
Lang = Annotated[
    str, typer.Option("--lang", help="Language of labels and headings: zh or en.")
]
RubricOption = Annotated[
    Path | None,
    typer.Option(
        "--rubric",
        help="Rubric file (YAML or JSON, see `campaign rubric -o`); the default "
        "five criteria when omitted.",
        exists=True,
        dir_okay=False,
    ),
]


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    return lang


def _rubric(path: Path | None) -> Rubric:
    return load_rubric(path) if path is not None else Rubric.default()


def _reading(path: Path, read: Callable[[Path], T]) -> T:
    """Read a file under a spinner: large sheets take a while to parse."""
    with progress() as bar:
        bar.add_task(f"reading {path.name}", total=None)
        return read(path)


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@campaign_app.command("rubric")
def rubric(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write the rubric here (.yaml or .json) to edit."
        ),
    ] = None,
    rubric_path: RubricOption = None,
    lang: Lang = "zh",
) -> None:
    """Show the review rubric (or check an edited one); -o writes it to edit."""
    lang = _lang(lang)
    chosen = _rubric(rubric_path)
    table = Table(title=_pick(lang, "评审细则", "review rubric"))
    for heading in ("key", _pick(lang, "指标", "criterion"), "weight", "scale"):
        table.add_column(heading)
    for c in chosen.criteria:
        table.add_row(c.key, c.label(lang), f"{c.weight:g}", f"{c.low}-{c.high}")
    console.print(table)
    low, high = chosen.scale
    console.print(f"total: weighted mean, {low:g}-{high:g}")
    if output is not None:
        save_rubric(chosen, output)
        console.print(f"rubric → {output}")


def _load_table(
    assignment: Assignment, reviewers: Sequence[Reviewer], lang: str
) -> Table:
    table = Table(title=_pick(lang, "评审专家工作量", "reviewer load"))
    # Reviewers listed by name only have their name as id: show it once.
    named = any(r.name and r.name != r.id for r in reviewers)
    headings = [("专家", "reviewer"), *([("姓名", "name")] if named else [])]
    for zh, en in [*headings, ("单位", "institution")]:
        table.add_column(_pick(lang, zh, en))
    table.add_column(_pick(lang, "评审数", "entries"), justify="right")
    for r in reviewers:
        cells = [r.id, *([r.name] if named else []), r.institution]
        table.add_row(*cells, str(assignment.load[r.id]))
    return table


def _why_short(barred: dict[str, str], reviewers: Sequence[Reviewer], lang: str) -> str:
    reasons = Counter(barred.values())
    eligible = len(reviewers) - sum(reasons.values())
    parts = [_pick(lang, f"可评审专家 {eligible} 位", f"{eligible} eligible")]
    for key, count in reasons.most_common():
        zh, en = CONFLICT_REASONS[key]
        parts.append(f"{_pick(lang, zh, en)} {count}")
    return _pick(lang, "；", "; ").join(parts)


def _short_table(
    assignment: Assignment,
    entries: Sequence[Entry],
    reviewers: Sequence[Reviewer],
    rules: ConflictRules,
    lang: str,
) -> Table:
    table = Table(title=_pick(lang, "评审专家不足的案例", "entries left short"))
    for zh, en in (
        ("编号", "entry"),
        ("标题", "title"),
        ("缺", "lacks"),
        ("原因", "why"),
    ):
        table.add_column(_pick(lang, zh, en))
    short = [entry for entry in entries if assignment.short.get(entry.id)]
    for entry, barred in zip(
        short, call_conflicts(short, reviewers, rules), strict=True
    ):
        why = _why_short(barred, reviewers, lang)
        table.add_row(entry.id, entry.title[:30], str(assignment.short[entry.id]), why)
    return table


@campaign_app.command("assign")
def assign(
    entries_path: Annotated[
        Path,
        typer.Argument(
            help="Entries: any case file (id, title, library, province).", exists=True
        ),
    ],
    reviewers_path: Annotated[
        Path,
        typer.Argument(
            help="Reviewers (.csv .xlsx .jsonl): name or id, institution, province, "
            "declared conflicts (entry ids); Chinese headings work too.",
            exists=True,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="Review sheet to write (.csv .xlsx .json .jsonl): one row per "
            "entry and reviewer, score columns to fill in.",
        ),
    ],
    per_entry: Annotated[
        int, typer.Option("--per-entry", min=1, help="Reviewers per entry.")
    ] = 3,
    same_province: Annotated[
        bool,
        typer.Option(
            "--same-province", help="Also bar reviewers from their own province."
        ),
    ] = False,
    rubric_path: RubricOption = None,
    lang: Lang = "zh",
) -> None:
    """Assign reviewers: never a conflict of interest, loads as even as can be."""
    lang = _lang(lang)
    chosen = _rubric(rubric_path)
    entries = _reading(entries_path, read_entries)
    reviewers = _reading(reviewers_path, read_reviewers)
    rules = ConflictRules(same_province=same_province)
    result = assign_reviewers(entries, reviewers, per_entry, rules)
    write_assignments(
        result, output, entries=entries, reviewers=reviewers, rubric=chosen, lang=lang
    )
    console.print(_load_table(result, reviewers, lang))
    if result.short:
        console.print(_short_table(result, entries, reviewers, rules, lang))
    pairs = sum(len(rids) for rids in result.reviewers.values())
    console.print(
        f"{pairs} assignments for {len(entries)} entries, "
        f"{len(result.short)} short → {output}"
    )


def _award_label(key: str | None, lang: str) -> str:
    tiers = {t.key: t for t in DEFAULT_AWARD_TIERS}
    return tiers[key].label(lang) if key in tiers else ""


def _standings_table(
    standings: Sequence[Standing],
    chosen: set[str],
    awards: dict[str, str],
    titles: dict[str, str],
    lang: str,
) -> Table:
    table = Table(title=_pick(lang, "排名", "standings"))
    headings = [("名次", "rank"), ("编号", "entry")]
    headings += [("标题", "title")] if titles else []
    headings += [("得分", "score"), ("原始分", "raw"), ("评审数", "reviews")]
    headings += [("分歧", "spread"), ("入围", "shortlist"), ("奖项", "award")]
    headings += [("提示", "flags")]
    for zh, en in headings:
        table.add_column(_pick(lang, zh, en))
    for s in standings:
        cells = ["-" if s.rank is None else str(s.rank), s.entry_id]
        cells += [titles.get(s.entry_id, "")[:24]] if titles else []
        cells += [f"{s.score:.2f}", f"{s.raw:.2f}"] if s.n_reviews else ["-", "-"]
        cells += [str(s.n_reviews), f"{s.spread:.2f}"]
        cells += ["✓" if s.entry_id in chosen else ""]
        cells += [_award_label(awards.get(s.entry_id), lang)]
        flags = (_pick(lang, *FLAG_LABELS[f]) for f in s.flags)
        cells += [_pick(lang, "、", ", ").join(flags)]
        table.add_row(*cells)
    return table


@campaign_app.command("rank")
def rank(
    reviews_path: Annotated[
        Path,
        typer.Argument(
            help="Reviews (.csv .xlsx .jsonl): entry, reviewer and one column per "
            "criterion (key or label, e.g. 创新性).",
            exists=True,
        ),
    ],
    rubric_path: RubricOption = None,
    entries_path: Annotated[
        Path | None,
        typer.Option(
            "--entries",
            help="Entries file: adds titles and lists entries no one reviewed.",
            exists=True,
        ),
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--normalise",
            help="zscore (each reviewer's leniency removed), rank (each reviewer's "
            "percentile ranks) or none (raw weighted totals).",
        ),
    ] = "zscore",
    required_reviews: Annotated[
        int,
        typer.Option(
            "--required-reviews", min=0, help="Flag entries with fewer reviews."
        ),
    ] = 0,
    shortlist_size: Annotated[
        int | None,
        typer.Option(
            "--shortlist", min=0, help="Shortlist the top N (ties with the N-th too)."
        ),
    ] = None,
    shortlist_share: Annotated[
        float | None,
        typer.Option(
            "--shortlist-share", help="Shortlist the top share, e.g. 0.2 for 20 %."
        ),
    ] = None,
    awards_text: Annotated[
        str | None,
        typer.Option(
            "--awards",
            help="Award tiers, best first, as tier=count: first=3,second=5 or "
            "with Chinese names (一等奖=3). Given among the shortlist when there "
            "is one; ties share a tier.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write standings (.xlsx .csv .json .jsonl)."
        ),
    ] = None,
    lang: Lang = "zh",
) -> None:
    """Rank entries from reviews: normalised scores, flags, shortlist and awards."""
    lang = _lang(lang)
    if method not in NORMALISATIONS:
        raise typer.BadParameter(
            f"--normalise must be one of {', '.join(NORMALISATIONS)}"
        )
    if shortlist_size is not None and shortlist_share is not None:
        raise typer.BadParameter("give --shortlist or --shortlist-share, not both")
    chosen_rubric = _rubric(rubric_path)
    tiers = parse_tiers(awards_text) if awards_text else []
    reviews = _reading(reviews_path, lambda p: read_reviews(p, chosen_rubric))
    entries = _reading(entries_path, read_entries) if entries_path else []
    standings = rank_entries(
        reviews,
        chosen_rubric,
        method=method,
        required_reviews=required_reviews,
        entries=[e.id for e in entries] if entries else None,
    )
    shortlisted: list[Standing] | None = None
    if shortlist_size is not None or shortlist_share is not None:
        shortlisted = shortlist(standings, size=shortlist_size, share=shortlist_share)
    chosen = {s.entry_id for s in shortlisted or ()}
    awards = award(standings if shortlisted is None else shortlisted, tiers)
    titles = {e.id: e.title for e in entries}
    console.print(_standings_table(standings, chosen, awards, titles, lang))
    console.print(
        f"{len(standings)} entries, {len(reviews)} reviews, normalised: {method}; "
        f"{len(chosen)} shortlisted, {len(awards)} awarded"
    )
    if output is not None:
        write_standings(
            standings,
            output,
            awards=awards,
            shortlisted=chosen,
            rubric=chosen_rubric,
            lang=lang,
            entries=entries,
        )
        console.print(f"standings → {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(campaign_app, name="campaign")
