"""How pages sit in Chromium on a phone (390 px wide) and on a desktop: nothing is
wider than the screen (a wide table scrolls in its own box), menu words do not break
a character a line, the phone's header is one line with the sections behind a menu,
the dashboard shows one map on a phone, the results come before a screen of facets,
numbers line up, the case text stays beside the coding form, and every form control
has a name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from campaign_support import add_reviewer, add_submission, new_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
DESKTOP = 1280
# every visible control without a label, aria-label or title: what a screen reader
# would announce as just "edit text" or "combo box"
UNNAMED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => el.getAttribute('aria-hidden') !== 'true')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.outerHTML.slice(0, 100))"""
# menu links taller than one line of text broke inside a word (a closed menu's
# links still have boxes, so only the ones on screen count)
BROKEN_MENU = """() => [...document.querySelectorAll('header nav a, header .user > *')]
  .filter(el => el.checkVisibility() && el.getBoundingClientRect().height
                > 1.5 * parseFloat(getComputedStyle(el).lineHeight))
  .map(el => el.textContent.trim())"""


@pytest.fixture
def library(transactional_db: None, user_factory: Any) -> str:
    """The sample, people of each role, and a call with submissions to manage."""
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    user_factory("admin_sun", "admin")
    user_factory("coder_li", "coder")
    campaign = new_campaign()
    for title, library in (
        ("城市书房夜读计划", "温州市图书馆"),
        ("古籍活化工作坊", "浙江图书馆"),
    ):
        add_submission(campaign, title, library, year=2024)
    add_reviewer(campaign, user_factory("reviewer_wang", None), "武汉大学", "湖北")
    return str(campaign.slug)


@pytest.fixture
def browse(chromium: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """``browse(width, user=None, lang="zh-hans")`` → a signed-in page that wide."""
    contexts: list[Any] = []

    def open_page(width: int, user: str | None = None, lang: str = "zh-hans") -> Any:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        if user:
            page.goto(f"{live_server.url}/accounts/login/?next=/cases/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "pw")
            page.click("form.login button")
            page.wait_for_url("**/cases/")
        page.goto(f"{live_server.url}/lang/{lang}/?next=/cases/")
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_no_page_is_wider_than_a_phone_and_menus_keep_their_words(
    library: str, live_server: Any, browse: Any, artifacts_dir: Path
) -> None:
    paths = [
        "/cases/",
        "/cases/A-001/",
        "/dashboard/",
        "/codebook/",
        "/coding/log/",
        "/accounts/users/",
        f"/campaigns/{library}/manage/",
        f"/campaigns/{library}/standings/",
    ]
    for lang in ("zh-hans", "en"):
        page = browse(PHONE, "admin_sun", lang)
        for path in paths:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE, f"{path} ({lang}) is {width} px wide"
            assert page.evaluate(BROKEN_MENU) == [], f"{path} ({lang})"
        page.goto(f"{live_server.url}/campaigns/{library}/manage/")
        page.screenshot(path=str(artifacts_dir / f"web-phone-manage-{lang}.png"))


# the header's visible pieces: on a phone they must share one line
HEADER_ROWS = """() => [...document.querySelectorAll(
    'header .brand, header details.menu > summary, header nav a, header .user > *')]
  .filter(el => el.checkVisibility()).map(el => el.getBoundingClientRect())
  .map(r => Math.round(r.top + r.height / 2))"""
MAPS = """() => [...document.querySelectorAll('svg.tilemap, #map')]
  .filter(el => el.getBoundingClientRect().width > 0).map(el => el.id || 'tiles')"""


def test_on_a_phone_the_header_is_one_line_and_the_dashboard_one_map(
    library: str, live_server: Any, browse: Any, artifacts_dir: Path
) -> None:
    for lang in ("zh-hans", "en"):
        phone = browse(PHONE, "admin_sun", lang)
        phone.goto(f"{live_server.url}/dashboard/")
        rows = phone.evaluate(HEADER_ROWS)
        assert max(rows) - min(rows) <= 4, f"{lang}: header rows at {rows}"
        assert phone.locator("header nav a").first.is_hidden()
        assert phone.evaluate(MAPS) == ["tiles"], lang
        phone.screenshot(path=str(artifacts_dir / f"web-phone-dashboard-{lang}.png"))
        phone.click("header details.menu > summary")
        assert phone.locator("header nav a").count() >= 5
        assert all(a.is_visible() for a in phone.locator("header nav a").all())
        phone.screenshot(path=str(artifacts_dir / f"web-phone-menu-{lang}.png"))
        phone.locator("header nav a[href='/campaigns/']").click()
        phone.wait_for_url("**/campaigns/")
        assert phone.locator("header nav a").first.is_hidden()  # closed again

        desktop = browse(DESKTOP, "admin_sun", lang)
        desktop.goto(f"{live_server.url}/dashboard/")
        assert desktop.locator("header details.menu > summary").is_hidden()
        assert all(a.is_visible() for a in desktop.locator("header nav a").all())
        rows = desktop.evaluate(HEADER_ROWS)
        assert max(rows) - min(rows) <= 4, f"{lang}: header rows at {rows}"
        if desktop.locator("#map").count():  # the vendored ECharts map
            desktop.wait_for_function("document.getElementById('map').dataset.rendered")
            assert desktop.evaluate(MAPS) == ["tiles", "map"]
            # a phone turned into a wide window draws the map it hid
            phone.goto(f"{live_server.url}/dashboard/")
            phone.set_viewport_size({"width": DESKTOP, "height": 900})
            phone.wait_for_function("document.getElementById('map').dataset.rendered")
            assert phone.locator("header nav a").first.is_visible()
        desktop.screenshot(
            path=str(artifacts_dir / f"web-desktop-dashboard-{lang}.png")
        )


def test_a_table_wider_than_a_desktop_scrolls_in_its_own_box(
    library: str, live_server: Any, browse: Any
) -> None:
    page = browse(DESKTOP, "admin_sun", "en")
    page.goto(f"{live_server.url}/campaigns/{library}/standings/")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP
    box = page.locator("div.scroll:has(table.standings)")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")


def test_on_a_phone_the_results_come_before_a_screen_of_facets(
    library: str, live_server: Any, browse: Any, artifacts_dir: Path
) -> None:
    phone = browse(PHONE)
    phone.goto(f"{live_server.url}/cases/")
    assert phone.locator(".facets details[open]").count() == 0
    first = phone.locator("ol.results li.result").first.bounding_box()
    assert first is not None and first["y"] < 900
    phone.screenshot(path=str(artifacts_dir / "web-phone-library.png"))
    phone.goto(f"{live_server.url}/cases/?region=west")
    open_groups = phone.locator(".facets details[open]")
    assert open_groups.count() == 1
    assert open_groups.first.get_attribute("data-facet") == "region"
    desktop = browse(DESKTOP)
    desktop.goto(f"{live_server.url}/cases/")
    assert desktop.locator(".facets details[open]").count() == 4


def test_numbers_in_the_dashboard_tables_line_up_on_the_right(
    library: str, live_server: Any, browse: Any
) -> None:
    page = browse(DESKTOP)
    page.goto(f"{live_server.url}/dashboard/")
    cells = page.locator("section.capability table.grid td.num")
    assert cells.count() > 0
    aligned = cells.evaluate_all("els => els.map(e => getComputedStyle(e).textAlign)")
    assert set(aligned) == {"right"}


def test_the_case_text_stays_in_view_while_coding_the_last_dimension(
    library: str, live_server: Any, browse: Any
) -> None:
    page = browse(DESKTOP, "coder_li")
    page.goto(f"{live_server.url}/coding/cases/A-001/")
    page.locator("form.coding button[type=submit]").first.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300  # the form is taller than the screen
    text = page.locator("section.text").bounding_box()
    assert text is not None and 0 <= text["y"] < 900


def test_every_form_control_has_a_name(
    library: str, live_server: Any, browse: Any
) -> None:
    page = browse(DESKTOP, "admin_sun")
    for path in (
        "/cases/",
        "/cases/import/",
        "/codebook/",
        "/accounts/users/",
        "/coding/cases/A-001/",
        "/campaigns/new/",
        f"/campaigns/{library}/",
        f"/campaigns/{library}/standings/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(UNNAMED) == [], path
