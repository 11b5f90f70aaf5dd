"""Shared fixtures: the default codebook, the bundled sample and small Chinese cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from libinnov.cases import Case, load_sample
from libinnov.codebook import Codebook, default_codebook

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return default_codebook()


@pytest.fixture(scope="session")
def sample_cases() -> list[Case]:
    return load_sample()


@pytest.fixture(scope="session")
def sample_records(
    sample_cases: list[Case], codebook: Codebook
) -> list[dict[str, object]]:
    return [c.to_record(codebook) for c in sample_cases]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def offline_page(chromium):  # type: ignore[no-untyped-def]
    """A page that aborts every non-local request, listing it in ``page.blocked``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked: list[str] = []

    def _route(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(
            ("file:", "data:", "blob:", "http://127.0.0.1", "http://localhost")
        ):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", _route)
    page.blocked = blocked
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests save screenshots for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
