"""Pages with nothing to show say why and offer a way on, in the site's layout and
language: a missing page, a page the role does not open, a filter the codebook does
not know, a search or a dashboard filter that matches no case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _english() -> Client:
    client = Client()
    client.get("/lang/en/")
    return client


def test_a_missing_page_is_a_404_in_the_site_layout(sample_db: int) -> None:
    response = Client().get("/cases/NO-SUCH-CASE/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and 'href="/cases/"' in html
    assert '<header class="top">' in html and "Not Found" not in html
    english = _english().get("/cases/NO-SUCH-CASE/").content.decode()
    assert "Page not found" in english


def test_a_page_the_role_does_not_open_is_a_403_that_says_so(
    personas: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(personas["coder_li"])
    response = client.get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "请联系管理员" in html
    assert "403 Forbidden" not in html


def test_a_server_error_page_needs_no_database_or_request_context() -> None:
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/cases/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in html and 'href="/cases/"' in html


def test_an_unknown_filter_is_a_400_page_that_names_it_and_leads_back(
    sample_db: int,
) -> None:
    for path in ("/cases/", "/dashboard/"):
        response = Client().get(path, {"region": "nowhere"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "无法使用此筛选条件" in html and "nowhere" in html
        assert f'<a href="{path}">清除筛选，重新开始</a>' in html
    bad = Client().get("/cases/", {"region": "nowhere", "format": "json"})
    assert bad.status_code == 400 and "nowhere" in bad.json()["error"]


def test_a_search_without_results_suggests_what_to_try(sample_db: int) -> None:
    html = Client().get("/cases/", {"q": "qqzzxx"}).content.decode()
    results = html[html.index('<section id="results">') :]
    assert "没有符合条件的案例" in results and "减少或缩短检索词" in results
    assert 'href="/cases/">清除全部筛选</a>' in results
    assert "分析这些案例" not in results  # an empty dashboard helps nobody


def test_a_dashboard_of_no_cases_says_so_instead_of_empty_charts(
    sample_db: int,
) -> None:
    html = Client().get("/dashboard/", {"q": "qqzzxx"}).content.decode()
    assert "没有符合此筛选条件的案例" in html
    assert 'href="/dashboard/">分析整个案例库</a>' in html
    assert "map-panel" not in html and 'id="chart-data"' not in html
    assert "report.html" not in html  # the report of nothing is a 400
    full = Client().get("/dashboard/").content.decode()
    assert "map-panel" in full and "report.html" in full


def test_agreement_without_double_coding_says_what_it_needs(
    personas: dict[str, Any],
) -> None:
    coder = Client()
    coder.force_login(personas["coder_li"])
    html = coder.get("/coding/agreement/").content.decode()
    assert "一致性根据两位编码员" in html and "盲法双人编码由管理员分配" in html
    admin = Client()
    admin.force_login(personas["admin_sun"])
    assert 'href="/coding/assign/">分配盲法双人编码</a>' in (
        admin.get("/coding/agreement/").content.decode()
    )
