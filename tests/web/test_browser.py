"""What a new user does in Chromium: search, filter, code a case, read the dashboard.

Every page is loaded through ``offline_page``, which aborts and records any request
that leaves the machine, so a CDN reference fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from libinnov.cases import load_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(transactional_db: None) -> int:
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    return sample_load(
        codebook=current_codebook(), codebook_version=current_version().version
    )


def test_a_visitor_searches_for_ancient_books_and_opens_a_result(
    library: int, live_server: Any, offline_page: Any, artifacts_dir: Path
) -> None:
    page = offline_page
    page.goto(f"{live_server.url}/cases/")
    page.fill("#q", "古籍")
    page.press("#q", "Enter")
    page.wait_for_url("**q=*")
    expected = sum("古籍" in c.text + c.library for c in load_sample())
    page.wait_for_selector(f"text={expected} 个案例")
    marks = page.locator("ol.results mark")
    assert marks.count() > 0 and marks.first.inner_text() == "古籍"
    page.screenshot(path=str(artifacts_dir / "web-search.png"), full_page=False)
    first = page.locator("ol.results h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("article.case h1")
    assert page.locator("article.case h1").inner_text() == title
    assert page.locator("section.similar li").count() == 5
    page.screenshot(path=str(artifacts_dir / "web-case.png"), full_page=True)
    assert page.blocked == []


def test_a_visitor_filters_by_a_facet(
    library: int, live_server: Any, offline_page: Any, artifacts_dir: Path
) -> None:
    page = offline_page
    page.goto(f"{live_server.url}/cases/")
    west = sum(c.codes.get("region") == "west" for c in load_sample())
    page.click('[data-facet="region"] a[data-value="west"]')
    page.wait_for_url("**region=west*")
    page.wait_for_selector(f"text={west} 个案例")
    provinces = page.locator("p.meta").all_inner_texts()
    assert provinces
    assert page.locator('[data-facet="region"] a.selected').count() == 1
    page.screenshot(path=str(artifacts_dir / "web-facet.png"))
    page.goto(f"{live_server.url}/api/cases/?region=west")
    page.wait_for_selector(f'text="count": {west}')
    assert page.blocked == []


def test_a_coder_codes_a_case_and_sees_it_in_the_log(
    library: int,
    live_server: Any,
    offline_page: Any,
    artifacts_dir: Path,
    user_factory: Any,
) -> None:
    coder = user_factory("coder_li", "coder")
    page = offline_page
    page.goto(f"{live_server.url}/accounts/login/?next=/coding/cases/A-001/")
    page.fill("input[name=username]", "coder_li")
    page.fill("input[name=password]", "pw")
    page.click("form.login button")
    page.wait_for_selector('fieldset[data-dim="focus"]')
    page.check('fieldset[data-dim="focus"] input[value="digital"]')
    assert page.is_checked('input[name="action_focus"][value="change"]')
    page.screenshot(path=str(artifacts_dir / "web-coding.png"), full_page=True)
    page.click("form.coding button[type=submit]")
    page.wait_for_selector(".messages")
    page.goto(f"{live_server.url}/coding/log/?case=A-001")
    row = page.locator("table.log tr", has_text=f"user:{coder.pk}").first
    assert "数字与智慧服务" in row.inner_text()
    page.screenshot(path=str(artifacts_dir / "web-log.png"), full_page=True)
    assert page.blocked == []


def test_the_dashboard_shows_the_analysis_of_the_filter(
    library: int, live_server: Any, offline_page: Any, artifacts_dir: Path
) -> None:
    page = offline_page
    page.goto(f"{live_server.url}/dashboard/?region=east")
    east = sum(c.codes.get("region") == "east" for c in load_sample())
    page.wait_for_selector(f"text={east} 个案例")
    assert page.locator('section[data-dim="focus"]').count() == 1
    tiles = page.locator("svg.tilemap g.tile")
    assert tiles.count() == 34
    jiangsu = sum(
        c.province == "江苏" and c.codes.get("region") == "east" for c in load_sample()
    )
    tile = page.locator('svg.tilemap g.tile[data-province="江苏"]')
    assert tile.get_attribute("data-count") == str(jiangsu)
    assert tile.locator("rect").bounding_box()["width"] > 20  # drawn, not hidden
    page.screenshot(path=str(artifacts_dir / "web-dashboard.png"), full_page=True)
    tile.locator("a").click()
    page.wait_for_url("**province=*")
    page.wait_for_selector(f"text={jiangsu} 个案例")
    assert page.blocked == []


def test_an_admin_imports_a_file_after_a_preview_in_english(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    artifacts_dir: Path,
    tmp_path: Path,
    user_factory: Any,
) -> None:
    import json

    from libinnov.web.cases.models import Case

    user_factory("admin_sun", "admin")
    upload = tmp_path / "cases.jsonl"
    upload.write_text(
        json.dumps({"id": "N-1", "title": "城市书房夜读", "library": "杭州图书馆"})
        + "\n",
        encoding="utf-8",
    )
    page = offline_page
    page.goto(f"{live_server.url}/accounts/login/?next=/cases/import/")
    page.fill("input[name=username]", "admin_sun")
    page.fill("input[name=password]", "pw")
    page.click("form.login button")
    page.click("header a[lang=en]")
    page.wait_for_selector("h1:has-text('Import cases')")
    page.set_input_files("input[type=file]", str(upload))
    page.click("main form button")
    page.wait_for_selector("text=城市书房夜读")
    assert Case.objects.count() == 0
    page.screenshot(path=str(artifacts_dir / "web-import-preview.png"))
    page.click("text=Save all cases")
    page.wait_for_selector("text=Imported 1 case.")  # one, in the singular
    assert list(Case.objects.values_list("id", flat=True)) == ["N-1"]
    page.goto(f"{live_server.url}/codebook/")
    page.screenshot(path=str(artifacts_dir / "web-codebook.png"))
    assert page.blocked == []


def test_an_adjudicator_retrains_the_coder_and_sees_before_and_after(
    library: int,
    live_server: Any,
    offline_page: Any,
    artifacts_dir: Path,
    user_factory: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LIBINNOV_RETRAIN_FOLDS", "2")
    monkeypatch.setenv("LIBINNOV_CACHE_DIR", str(tmp_path))
    user_factory("adjudicator_chen", "adjudicator")
    page = offline_page
    page.goto(f"{live_server.url}/accounts/login/?next=/coding/model/")
    page.fill("input[name=username]", "adjudicator_chen")
    page.fill("input[name=password]", "pw")
    page.click("form.login button")
    assert "默认模型" in page.locator(".model-in-use").inner_text()
    page.click("#retrain")
    page.wait_for_selector("section.run progress")
    page.screenshot(path=str(artifacts_dir / "web-retrain-progress.png"))
    page.wait_for_selector('section.run[data-status="done"]', timeout=180_000)
    rows = page.locator("table.comparison tr")
    assert rows.count() > 5
    assert "重新训练的模型" in page.locator(".model-in-use").inner_text()
    assert page.locator("#retrain").is_enabled()
    page.screenshot(path=str(artifacts_dir / "web-retrain-done.png"), full_page=True)
    assert page.blocked == []


def test_an_adjudicator_codes_the_uncoded_cases_and_watches_the_progress(
    library: int,
    live_server: Any,
    offline_page: Any,
    artifacts_dir: Path,
    user_factory: Any,
    trained: Any,
) -> None:
    import dataclasses

    from libinnov.web.cases.models import Case
    from libinnov.web.cases.services import cases_import
    from libinnov.web.codebook.selectors import current_codebook, current_version

    uncoded = [
        dataclasses.replace(c, id=f"N-{c.id}", codes={}, confidence={}, evidence={})
        for c in load_sample()[:12]
    ]
    cases_import(
        uncoded,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    user_factory("adjudicator_chen", "adjudicator")
    page = offline_page
    page.goto(f"{live_server.url}/accounts/login/?next=/coding/model/")
    page.fill("input[name=username]", "adjudicator_chen")
    page.fill("input[name=password]", "pw")
    page.click("form.login button")
    assert page.locator("p.uncoded").get_attribute("data-count") == "12"
    page.click("#autocode-start")
    page.wait_for_selector(".autorun")
    page.screenshot(path=str(artifacts_dir / "web-autocode-progress.png"))
    page.wait_for_selector('.autorun[data-status="done"]', timeout=60_000)
    assert "12" in page.locator(".autorun .outcome").inner_text()
    assert page.locator("p.uncoded").get_attribute("data-count") == "0"
    assert page.locator("#autocode-start").is_disabled()
    page.screenshot(path=str(artifacts_dir / "web-autocode-done.png"), full_page=True)
    case = Case.objects.get(pk=uncoded[0].id)
    assert case.codes.get("focus")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.locator("span.tag.auto").count() == 5
    page.screenshot(path=str(artifacts_dir / "web-autocode-case.png"), full_page=True)
    assert page.blocked == []
