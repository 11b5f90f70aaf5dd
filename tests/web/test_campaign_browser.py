"""A campaign's main path in Chromium: submit with a Word file (and get the e-mail),
review, rank, change an award by hand and reset it, publish (and watch the new case
being coded automatically).

Loaded through ``offline_page`` like the other browser tests, so any request that
leaves the machine fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from campaign_support import add_reviewer, docx_bytes, new_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, username: str, target: str) -> None:
    page.goto(f"{base}/accounts/login/?next={target}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("form.login button")
    page.wait_for_url(f"**{target}")


def _log_out(page: Any) -> None:
    page.click("header form.inline button")
    page.wait_for_url("**/cases/")


def test_a_case_goes_from_the_form_through_review_to_the_library(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    artifacts_dir: Path,
    tmp_path: Path,
    user_factory: Any,
    mailoutbox: list[Any],
    trained: Any,
) -> None:
    from libinnov.web.cases.models import Case

    user_factory("admin_sun", "admin")
    campaign = new_campaign(reviewers_per_entry=1, shortlist_size=1)
    add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆", "北京")
    write_up = tmp_path / "城市书房案例.docx"
    write_up.write_bytes(docx_bytes())
    base, page = live_server.url, offline_page
    slug = campaign.slug

    # a librarian sends the case with its Word write-up, no account needed
    page.goto(f"{base}/campaigns/")
    page.click(f'[data-campaign="{slug}"] h3 a')
    page.fill("#id_title", "城市书房夜读计划")
    page.fill("#id_library", "温州市图书馆")
    page.fill("#id_contact_name", "王芳")
    page.fill("#id_contact_email", "wang@example.org")
    page.set_input_files("#id_attachments", str(write_up))
    page.screenshot(path=str(artifacts_dir / "web-campaign-form.png"), full_page=True)
    page.click("form.submission button[type=submit]")
    ref = page.locator("strong.ref").inner_text()
    assert ref.endswith("-0001")
    assert mailoutbox[-1].to == ["wang@example.org"] and ref in mailoutbox[-1].subject

    # the organiser assigns reviewers
    _log_in(page, base, "admin_sun", f"/campaigns/{slug}/progress/")
    page.click("form.assign button")
    page.wait_for_selector(".messages")
    assert (
        "reviewer_wang"
        in page.locator(f'table.per-entry tr[data-ref="{ref}"]').inner_text()
    )
    _log_out(page)

    # the reviewer reads the submission and scores it
    _log_in(page, base, "reviewer_wang", f"/campaigns/{slug}/review/")
    page.click(f'tr[data-ref="{ref}"] a.score')
    assert "阅读推广活动" in page.locator("article.submission").inner_text()
    for key, value in [
        ("innovation", "9"),
        ("feasibility", "8"),
        ("sustainability", "8"),
        ("results", "7"),
        ("transferability", "９"),
    ]:
        page.fill(f"#id_score_{key}", value)
    page.fill("#id_comment", "模式清晰，值得推广。")
    page.screenshot(path=str(artifacts_dir / "web-campaign-score.png"), full_page=True)
    page.click("form.scores button[type=submit]")
    page.wait_for_selector(f'tr[data-ref="{ref}"][data-status="done"]')
    _log_out(page)

    # the organiser reads the standings, shortlists, awards and publishes
    _log_in(page, base, "admin_sun", f"/campaigns/{slug}/standings/")
    row = page.locator(f'table.standings tr[data-ref="{ref}"]')
    assert row.get_attribute("data-rank") == "1"
    assert row.locator("td.raw").inner_text() == "8.20"
    page.click("#save-results")
    page.wait_for_selector("tr.shortlisted")
    assert page.locator("tr.shortlisted td.award").inner_text() == "一等奖"
    # no award by hand, then back to what the ranking says
    row.locator("select[name=award]").select_option("none")
    row.locator("form.by-hand button").click()
    page.wait_for_selector(f'tr[data-ref="{ref}"] td.by-hand .tag')
    assert row.locator("td.award").inner_text() == ""
    page.click("#reset-results")
    page.wait_for_selector("td.by-hand .tag", state="detached")
    assert page.locator("tr.shortlisted td.award").inner_text() == "一等奖"
    page.click("#publish")
    page.wait_for_selector("text=已将 1 件投稿发布到案例库")
    page.screenshot(
        path=str(artifacts_dir / "web-campaign-standings.png"), full_page=True
    )
    case = Case.objects.get(submission_ref=f"{slug}/{ref}")
    assert case.origin == "submission"
    # publishing started the automatic coder on the new case
    page.click(".messages a[href='/coding/model/#autocode']")
    page.wait_for_selector('.autorun[data-status="done"]', timeout=60_000)
    case.refresh_from_db()
    assert case.codes.get("focus")
    page.goto(f"{base}/campaigns/{slug}/standings/")
    page.click("header a[lang=en]")
    page.wait_for_selector("h1:has-text('Standings and awards')")
    assert page.locator("tr.shortlisted td.award").inner_text() == "First prize"

    # readers find it in the case library
    page.goto(f"{base}/cases/?q=城市书房夜读")
    page.wait_for_selector(f'ol.results a[href^="/cases/{case.id}/"]')
    assert page.blocked == []
