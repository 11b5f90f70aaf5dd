"""The dashboard's analysis, the empty-library button, and htmx partial results."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from libinnov.cases import load_sample
from libinnov.web.cases.models import Case

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def test_the_dashboard_counts_cases_of_the_filter(sample_db: int) -> None:
    data = Client().get("/dashboard/", {"focus": "reading", "format": "json"}).json()
    reading = [c for c in load_sample() if "reading" in c.codes_list("focus")]
    assert data["n_cases"] == len(reading)
    assert data["dimensions"]["focus"]["counts"]["reading"] == len(reading)
    public = sum(c.codes.get("library_type") == "public" for c in reading)
    assert data["dimensions"]["library_type"]["counts"]["public"] == public
    provinces: dict[str, int] = {}
    for case in reading:
        if case.province:
            provinces[case.province] = provinces.get(case.province, 0) + 1
    assert data["provinces"] == provinces


def test_the_dashboard_page_draws_a_bar_per_code(sample_db: int, codebook: Any) -> None:
    html = Client().get("/dashboard/").content.decode()
    for dim in codebook.dimensions:
        assert f'data-dim="{dim.key}"' in html
    assert 'id="chart-data"' in html


def test_the_dashboard_names_each_test_and_marks_the_significant(
    sample_db: int,
) -> None:
    import re

    client = Client()
    tests = client.get("/dashboard/", {"format": "json"}).json()["tests"]
    significant = sum(t["p"] is not None and t["p"] < 0.05 for t in tests)
    assert 0 < significant < len(tests)  # the sample has both kinds
    html = client.get("/dashboard/").content.decode()
    assert "关联检验" in html and "monte_carlo_exact" not in html
    assert html.count('<tr class="significant">') == significant
    assert re.search(r"(卡方检验|蒙特卡洛精确检验|Fisher 精确检验)", html)
    client.get("/lang/en/")
    english = client.get("/dashboard/").content.decode()
    assert "Association tests" in english and "exact test" in english


def test_an_admin_fills_an_empty_library_with_one_click(
    backend: str, personas: dict[str, Any]
) -> None:
    anonymous = Client().get("/cases/").content.decode()
    assert "load-sample" not in anonymous
    admin = Client()
    admin.force_login(personas["admin_sun"])
    assert "load-sample" in admin.get("/cases/").content.decode()
    admin.post("/cases/load-sample/")
    assert Case.objects.count() == len(load_sample())
    admin.post("/cases/load-sample/")
    assert Case.objects.count() == len(load_sample())


def test_a_coder_cannot_load_the_sample(backend: str, personas: dict[str, Any]) -> None:
    coder = Client()
    coder.force_login(personas["coder_li"])
    assert coder.post("/cases/load-sample/").status_code == 403
    assert Case.objects.count() == 0


def test_htmx_requests_get_only_the_results(sample_db: int) -> None:
    partial = Client().get("/cases/", {"q": "阅读"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and 'class="results"' in html
    assert "<mark>阅读</mark>" in html


def test_an_admin_gives_a_new_user_a_role(
    backend: str, personas: dict[str, Any]
) -> None:
    from libinnov.web.accounts.roles import user_role

    admin = Client()
    admin.force_login(personas["admin_sun"])
    admin.post(
        "/accounts/users/",
        {"username": "reviewer_wang", "role": "adjudicator", "password": "long-enough"},
    )
    from django.contrib.auth import get_user_model

    wang = get_user_model().objects.get(username="reviewer_wang")
    assert user_role(wang) == "adjudicator"
    client = Client()
    assert client.login(username="reviewer_wang", password="long-enough")
    assert client.get("/coding/disagreements/").status_code == 200
    coder = Client()
    coder.force_login(personas["coder_li"])
    assert coder.get("/accounts/users/").status_code == 403


def test_every_sample_province_has_a_tile_on_the_map() -> None:
    from libinnov.web.dashboards.tilemap import LAYOUT, tiles

    provinces = {c.province for c in load_sample() if c.province}
    assert provinces <= set(LAYOUT)
    drawn = tiles({"江苏": 16, "北京": 8})
    by_name = {t.province: t for t in drawn}
    assert len(drawn) == len({(t.x, t.y) for t in drawn}) == 34
    assert by_name["江苏"].fill == "#1f5fa8"  # the largest count gets the full colour
    assert by_name["北京"].fill not in ("#1f5fa8", "#f4f5f7")
    assert by_name["西藏"].count == 0


def test_only_registered_assets_are_served(backend: str) -> None:
    assert Client().get("/assets/secret_key").status_code == 404
    assert Client().get("/assets/..%2Fsettings.py").status_code == 404


def test_the_cached_analysis_follows_every_change(sample_db: int) -> None:
    from libinnov.cases import Case as CoreCase
    from libinnov.web.cases.services import case_save

    def n_cases() -> int:
        response = Client().get("/dashboard/", {"format": "json", "region": "east"})
        return int(response.json()["n_cases"])

    before = n_cases()
    assert n_cases() == before  # served from the cache
    case_save(
        core=CoreCase(
            id="Z-1",
            title="城市书房",
            library="杭州图书馆",
            province="浙江",
            codes={"region": "east", "focus": ["space"]},
        )
    )
    assert n_cases() == before + 1
    Case.objects.filter(id="Z-1").delete()
    assert n_cases() == before


def test_the_dashboard_shows_activity_and_capability_per_group(sample_db: int) -> None:
    html = Client().get("/dashboard/", {"year": "2024"}).content.decode()
    start = html.index('data-capability="library_type"')
    panel = html[start : html.index("</section>", start)]
    assert "活跃度与创新能力（按图书馆类型）" in panel
    for header in (
        "案例数",
        "活跃度",
        "创新能力指数",
        "平均服务聚焦点数",
        "综合型占比",
    ):
        assert header in panel
    public = Case.objects.filter(year=2024, codes__library_type="public").count()
    total = Case.objects.filter(year=2024).count()
    assert f"{public / total * 100:.1f}%" in panel
    # a group narrows the dashboard to it, keeping the filter
    assert "?year=2024&amp;library_type=public" in panel


def test_the_dashboard_keywords_lead_to_the_cases_that_use_them(
    sample_db: int,
) -> None:
    client = Client()
    data = client.get("/dashboard/", {"region": "east", "format": "json"}).json()
    word = data["keywords"][0]
    html = client.get("/dashboard/", {"region": "east"}).content.decode()
    panel = html[html.index('class="panel wide keywords"') :]
    assert f'region=east&amp;q={quote(word["word"])}"' in panel
    assert (
        "各服务聚焦点的特征词" in panel and "信息素养" in panel.split("</section>")[0]
    )
    found = client.get("/cases/", {"region": "east", "q": word["word"],
                                   "format": "json"}).json()  # fmt: skip
    assert found["count"] == word["cases"]


def test_the_dashboard_counts_cases_per_year_and_narrows_to_one(
    sample_db: int,
) -> None:
    html = Client().get("/dashboard/", {"region": "east"}).content.decode()
    start = html.index('data-dim="year"')
    panel = html[start : html.index("</section>", start)]
    assert "各年案例数" in panel
    n_2024 = Case.objects.filter(year=2024, codes__region="east").count()
    assert '?region=east&amp;year=2024"' in panel
    item = panel[panel.index("year=2024") :]
    assert f'<span class="n">{n_2024}</span>' in item[: item.index("</li>")]
