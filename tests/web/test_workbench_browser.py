"""What the coding workbench and the admin pages do in Chromium: a refused edit is
where the eye is, the evidence of one code is marked at a time, busy forms say so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, username: str, after: str) -> None:
    page.goto(f"{base}/accounts/login/?next={after}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("form.login button")


def test_a_refused_codebook_edit_shows_its_reason_where_the_admin_typed(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    user_factory: Any,
    artifacts_dir: Path,
) -> None:
    user_factory("admin_sun", "admin")
    page = offline_page
    _sign_in(page, live_server.url, "admin_sun", "/codebook/")
    page.select_option("#code_dimension", "innovation_type")
    page.fill("#code_key", "mixed")
    page.fill("#code_label_zh", "混合")
    page.fill("#code_label_en", "Mixed")
    page.select_option("#code_follows", "focus")
    page.click("#code-editor button")
    error = page.locator('[data-error-for="follows"]')
    error.wait_for()
    assert page.evaluate("document.activeElement.id") == "code_follows"
    box = error.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900 - box["height"]  # in view
    assert page.input_value("#code_label_zh") == "混合"
    assert page.input_value("#code_key") == "mixed"
    page.screenshot(path=str(artifacts_dir / "web-codebook-error.png"))
    assert page.blocked == []


def test_the_case_page_marks_the_evidence_of_the_code_pointed_at_or_focused(
    transactional_db: None, live_server: Any, offline_page: Any, artifacts_dir: Path
) -> None:
    from libinnov.web.cases.models import Case
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    heritage = "我馆收藏古籍近二十万册，善本八百余种"
    centre = "2019年又以原古籍部为基础组建古籍保护中心"
    Case.objects.filter(pk="A-001").update(
        evidence={
            "focus": {"heritage": [heritage]},
            "strategy": {"capacity": [centre]},
        }
    )
    page = offline_page
    page.goto(f"{live_server.url}/cases/A-001/?q=古籍")
    marked = "#case-text .ev.on"

    def shown() -> str:
        return "".join(page.locator(marked).all_inner_texts())

    assert page.locator(marked).count() == 0
    assert page.locator("#case-text mark").count() > 0  # the search stays marked
    page.hover('a.ev-link[data-ev="focus.heritage"]')
    assert shown() == heritage
    page.mouse.move(0, 0)
    assert page.locator(marked).count() == 0
    # without a mouse: focusing a code's link marks its evidence
    page.focus('a.ev-link[data-ev="strategy.capacity"]')
    assert shown() == centre
    page.keyboard.press("Enter")  # chosen: stays marked when the focus moves on
    assert "ev=strategy.capacity" in page.url and "q=" in page.url
    page.locator("h1").click()  # the link loses the focus
    assert shown() == centre
    link = page.locator('a.ev-link[data-ev="strategy.capacity"]')
    assert link.get_attribute("aria-current") == "true"
    page.screenshot(path=str(artifacts_dir / "web-case-evidence.png"))
    assert page.blocked == []


def _slowed(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
    """Make the server take a second and a half over ``owner.name``."""
    import time

    real = getattr(owner, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, slow)


def test_searching_as_you_type_shows_that_it_is_searching(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from libinnov.web.cases import selectors
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    page = offline_page
    page.goto(f"{live_server.url}/cases/")
    indicator = page.locator("form.search .search-busy")
    assert indicator.evaluate("el => getComputedStyle(el).opacity") == "0"
    _slowed(monkeypatch, selectors, "ranked_ids")
    page.locator("#q").press_sequentially("古籍")
    page.wait_for_selector("#results[aria-busy=true]")
    assert indicator.inner_text() == "正在搜索…"
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.search-busy')).opacity === '1'"
    )
    page.wait_for_selector("#results:not([aria-busy])", timeout=10_000)
    assert page.locator("ol.results mark").first.inner_text() == "古籍"
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.search-busy')).opacity === '0'"
    )
    assert page.blocked == []


def test_an_import_being_read_shows_a_busy_button(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    user_factory: Any,
    tmp_path: Path,
) -> None:
    import json

    user_factory("admin_sun", "admin")
    upload = tmp_path / "cases.jsonl"
    upload.write_text(
        json.dumps({"id": "N-1", "title": "城市书房夜读", "library": "杭州图书馆"})
        + "\n",
        encoding="utf-8",
    )
    page = offline_page
    _sign_in(page, live_server.url, "admin_sun", "/cases/import/")
    page.wait_for_selector("input[type=file]")
    page.wait_for_load_state()  # busy.js listens first
    # what the button shows once the form is sent, kept for after the next page
    page.evaluate(
        """() => document.addEventListener("submit", (event) => {
             const b = event.submitter;
             sessionStorage.setItem("sent", JSON.stringify([b.textContent,
               b.className, b.getAttribute("aria-disabled"),
               event.target.getAttribute("aria-busy")]));
           })"""
    )
    page.set_input_files("input[type=file]", str(upload))
    page.locator("main form button").click()
    page.wait_for_selector("text=城市书房夜读", timeout=10_000)
    state = page.evaluate("() => JSON.parse(sessionStorage.getItem('sent'))")
    assert state == ["正在读取文件…", "busy", "true", "true"]
    save = page.locator("main form button")
    assert save.inner_text() == "保存全部案例" and "busy" not in (
        save.get_attribute("class") or ""
    )
    assert page.blocked == []


def test_the_workbench_starts_from_the_suggestion_and_accept_restores_it(
    transactional_db: None,
    live_server: Any,
    offline_page: Any,
    user_factory: Any,
    trained: Any,
    artifacts_dir: Path,
) -> None:
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    user_factory("coder_li", "coder")
    page = offline_page
    _sign_in(page, live_server.url, "coder_li", "/coding/cases/A-021/")
    focus = 'fieldset[data-dim="focus"]'
    page.wait_for_selector(focus)
    assert page.is_checked(f'{focus} input[name="action_focus"][value="accept"]')
    suggested = page.locator(f"{focus} input[name=value_focus][data-suggested]")
    keys = suggested.evaluate_all("els => els.map(e => e.value)")
    assert keys
    other = page.locator(f"{focus} input[name=value_focus]:not([data-suggested])")
    other.first.check()
    assert page.is_checked(f'{focus} input[name="action_focus"][value="change"]')
    page.check(f'{focus} input[name="action_focus"][value="accept"]')
    checked = page.locator(f"{focus} input[name=value_focus]:checked")
    assert checked.evaluate_all("els => els.map(e => e.value)") == keys
    link = page.locator(f"{focus} a.ev-link").first
    link.hover()
    assert page.locator("#case-text .ev.on").count() > 0
    page.screenshot(path=str(artifacts_dir / "web-workbench.png"))
    assert page.blocked == []
