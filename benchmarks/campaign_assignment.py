"""How long a campaign's reviewer assignment and ranking take, by campaign size.

Entries and reviewers are synthetic: libraries drawn from a pool of 400 names (so
some reviewers share an institution with some entries) and provinces from eight,
with the same-province rule on or off. Scores are random on the default rubric.
``--web`` also times the organiser's "Assign reviewers" button end to end on a
fresh SQLite database (the assignment, saving it, e-mailing each reviewer through
Django's in-memory mail backend) and the progress page it leads to.

    python benchmarks/campaign_assignment.py --sizes 300x30,2000x100,5000x200 --web
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

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


def web_timings(
    entries: list[Entry], reviewers: list[Reviewer], per_entry: int, same_province: bool
) -> tuple[float, float]:
    """Seconds for the Assign button's request and for the progress page after it."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from libinnov.web.accounts.roles import grant_role
    from libinnov.web.campaigns.models import Campaign, CampaignReviewer, Submission

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    users = get_user_model().objects
    slug = f"call-{len(entries)}x{len(reviewers)}-{Campaign.objects.count()}"
    campaign = Campaign.objects.create(
        slug=slug,
        title=slug,
        status="open",
        reviewers_per_entry=per_entry,
        same_province=same_province,
    )
    Submission.objects.bulk_create(
        Submission(campaign=campaign, ref=e.id, title=e.title, library=e.library,
                   province=e.province, contact_name="联系人",
                   contact_email="contact@example.org")
        for e in entries
    )  # fmt: skip
    made = users.bulk_create(
        users.model(username=f"{slug}-{r.id}", email=f"{r.id}@example.org")
        for r in reviewers
    )
    CampaignReviewer.objects.bulk_create(
        CampaignReviewer(campaign=campaign, user=user, institution=r.institution,
                         province=r.province)
        for user, r in zip(made, reviewers, strict=True)
    )  # fmt: skip
    organiser = users.create_user(f"{slug}-organiser")
    grant_role(organiser, "admin")
    client = Client()
    client.force_login(organiser)
    # The first request of a process loads templates, URLs and catalogues: not timed.
    assert client.get(f"/campaigns/{slug}/progress/").status_code == 200
    start = time.perf_counter()
    response = client.post(f"/campaigns/{slug}/assign/")
    assign_s = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    start = time.perf_counter()
    assert client.get(response["Location"]).status_code == 200
    return assign_s, time.perf_counter() - start


def configure_web() -> None:
    """A migrated SQLite database in a temporary folder, as ``libinnov serve`` has."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _synthetic import configure_django

    folder = Path(tempfile.mkdtemp(prefix="libinnov-assign-"))
    os.environ["LIBINNOV_DATA_DIR"] = str(folder)
    configure_django(folder / "db.sqlite3")
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300x30,1000x60,2000x100,5000x200")
    parser.add_argument("--per-entry", type=int, default=3)
    parser.add_argument("--same-province", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--web", action="store_true", help="also time the web app's Assign button"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="report the best of this many runs"
    )
    args = parser.parse_args()
    rubric = Rubric.default()
    rules = ConflictRules(same_province=args.same_province)
    if args.web:
        configure_web()
    web_heads = " web assign (s) | progress page (s) |" if args.web else ""
    print(
        "| entries | reviewers | assign (s) | loads | short | reviews | rank (s) |"
        + web_heads
    )
    print("|---|---|---|---|---|---|---|" + "---|---|" * args.web)
    for size in args.sizes.split(","):
        n_entries, n_reviewers = (int(x) for x in size.split("x"))
        entries, reviewers = panel(n_entries, n_reviewers, args.seed)
        assign_s = math.inf
        for _ in range(args.repeat):
            start = time.perf_counter()
            assignment = assign_reviewers(entries, reviewers, args.per_entry, rules)
            assign_s = min(assign_s, time.perf_counter() - start)
        rng = random.Random(args.seed)
        reviews = [
            Review(eid, rid, {k: rng.randint(3, 10) for k in rubric.keys})
            for eid, rids in assignment.reviewers.items()
            for rid in rids
        ]
        rank_s = math.inf
        for _ in range(args.repeat):
            start = time.perf_counter()
            rank_entries(reviews, rubric, required_reviews=args.per_entry)
            rank_s = min(rank_s, time.perf_counter() - start)
        loads = assignment.load.values()
        web = ""
        if args.web:
            runs = [
                web_timings(entries, reviewers, args.per_entry, args.same_province)
                for _ in range(args.repeat)
            ]
            web = f" {min(a for a, _ in runs):.2f} | {min(p for _, p in runs):.2f} |"
        print(
            f"| {n_entries} | {n_reviewers} | {assign_s:.2f} | "
            f"{min(loads)}-{max(loads)} | {len(assignment.short)} | "
            f"{len(reviews)} | {rank_s:.2f} |{web}",
            flush=True,
        )


if __name__ == "__main__":
    main()
