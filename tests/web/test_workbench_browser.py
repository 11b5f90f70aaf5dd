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
