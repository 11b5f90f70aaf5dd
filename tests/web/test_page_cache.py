"""Public pages served whole from the cache, and never when they would be stale."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from libinnov.cases import Case as CoreCase
from libinnov.web.cases.page_cache import public_page
from libinnov.web.cases.services import case_save
from libinnov.web.config.router import active_alias

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _queries(client: Client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connections[active_alias()]) as captured:
        html = client.get(path).content.decode()
    return html, len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/cases/?q=阅读", "/cases/A-001/", "/dashboard/"])
def test_a_second_anonymous_reader_gets_the_stored_page(
    sample_db: int, path: str
) -> None:
    first, fresh = _queries(Client(), path)
    again, cached = _queries(Client(), path)
    assert again == first
    assert cached <= 3 < fresh  # library version (2) and codebook version (1)


def test_an_edit_shows_at_once(sample_db: int) -> None:
    assert "城市书房星空诵" not in Client().get("/cases/A-001/").content.decode()
    assert "星空诵" not in Client().get("/cases/?q=书房").content.decode()
    case_save(core=CoreCase(id="A-001", title="城市书房星空诵", summary="夜间开放"))
    assert "城市书房星空诵" in Client().get("/cases/A-001/").content.decode()
    assert "星空诵" in Client().get("/cases/?q=书房").content.decode()  # 书房 marked


def test_a_codebook_edit_and_the_language_are_part_of_the_page(
    sample_db: int, personas: dict[str, Any]
) -> None:
    from libinnov.web.codebook.services import code_upsert

    assert "文化传承" in Client().get("/cases/").content.decode()
    english = Client()
    english.get("/lang/en/")
    assert "Cultural heritage" in english.get("/cases/").content.decode()
    code_upsert(
        dimension="focus",
        key="heritage",
        label_zh="古籍与文化传承",
        label_en="Heritage",
        user=personas["admin_sun"],
    )
    assert "古籍与文化传承" in Client().get("/cases/").content.decode()


def test_signed_in_users_get_their_own_page(
    sample_db: int, personas: dict[str, Any]
) -> None:
    Client().get("/cases/")
    client = Client()
    client.force_login(personas["viewer_zhao"])
    html = client.get("/cases/").content.decode()
    assert "viewer_zhao" in html


def test_a_page_with_a_token_or_message_of_its_own_is_not_stored() -> None:
    calls: list[str] = []

    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(request.path)
        if request.path == "/token/":
            return HttpResponse(get_token(request))
        return HttpResponse("same for everyone")

    for path in ["/token/", "/token/", "/plain/", "/plain/"]:
        request = RequestFactory().get(path)
        request.LANGUAGE_CODE = "zh-hans"  # type: ignore[attr-defined]
        view(request)
    assert calls == ["/token/", "/token/", "/plain/"]
    with_session = RequestFactory().get("/plain/", HTTP_COOKIE="sessionid=abc")
    view(with_session)
    assert calls[-1] == "/plain/" and len(calls) == 4


def test_the_cache_is_shared_with_other_worker_processes() -> None:
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.core.cache import cache

    cache.set("shared-probe", "古籍", 60)
    cache.close()  # what Django does after each request: the entry must stay
    assert cache.get("shared-probe") == "古籍"
    location = settings.CACHES["default"]["LOCATION"]
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    read = (  # a second process with this process's cache settings
        "import django; from django.conf import settings; django.setup(); "
        f"settings.CACHES['default'].update(LOCATION={location!r}, "
        f"KEY_PREFIX={prefix!r}); "
        "from django.core.cache import cache; print(cache.get('shared-probe'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", read],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == "古籍"
