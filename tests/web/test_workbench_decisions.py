"""The workbench starts from the model's suggestion: sent untouched, it accepts it.

Forms are sent as a browser sends them: every checked input of the page, so a
test sees what an untouched form records.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from libinnov.web.cases.models import Case
from libinnov.web.coding.models import CodeAssignment, CodeChange

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


class _Form(HTMLParser):
    """The checked radios and checkboxes of ``form.coding``, as a browser sends."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and "coding" in (found.get("class") or ""):
            self.inside = True
        elif self.inside and tag == "input" and "checked" in found:
            name, value = found.get("name"), found.get("value")
            if name and value is not None:
                self.fields.setdefault(name, []).append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def _untouched(html: str) -> dict[str, list[str]]:
    form = _Form()
    form.feed(html)
    return form.fields


def _coder(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["coder_li"])
    return client


def _as_list(value: Any) -> list[str]:
    return sorted([value] if isinstance(value, str) else value or [])


def test_the_suggestion_starts_accepted_and_an_untouched_form_accepts_it(
    sample_db: int, personas: dict[str, Any], trained: Any
) -> None:
    """Where the suggestion matches the case's final codes, or there are none."""
    Case.objects.filter(pk="A-021").update(codes={})  # an uncoded case
    client = _coder(personas)
    html = client.get("/coding/cases/A-021/").content.decode()
    suggestions = {
        a.dimension: a.value
        for a in CodeAssignment.objects.filter(case_id="A-021", coder=trained.label)
    }
    assert suggestions
    fields = _untouched(html)
    for dim, value in suggestions.items():
        assert fields[f"action_{dim}"] == ["accept"]
        assert sorted(fields.get(f"value_{dim}", [])) == _as_list(value)
    client.post("/coding/cases/A-021/", fields)
    coder = f"user:{personas['coder_li'].pk}"
    for dim, value in suggestions.items():
        change = CodeChange.objects.get(
            case_id="A-021", dimension=dim, coder=coder, final=True
        )
        assert change.action == "accept" and _as_list(change.value) == _as_list(value)
    case = Case.objects.get(pk="A-021")
    assert _as_list(case.codes["focus"]) == _as_list(suggestions["focus"])


def test_a_final_code_the_model_disagrees_with_is_not_replaced_unseen(
    sample_db: int, personas: dict[str, Any], trained: Any
) -> None:
    """The sample's expert codes are final; saving the page for the dimensions
    where the model agrees leaves the others as the expert coded them."""
    client = _coder(personas)
    client.get("/coding/cases/A-021/")
    expert = dict(Case.objects.get(pk="A-021").codes)
    suggestions = {
        a.dimension: a.value
        for a in CodeAssignment.objects.filter(case_id="A-021", coder=trained.label)
    }
    differ = {d for d, v in suggestions.items() if _as_list(v) != _as_list(expert[d])}
    agree = set(suggestions) - differ
    assert differ and agree  # the model parts from the expert somewhere
    fields = _untouched(client.get("/coding/cases/A-021/").content.decode())
    for dim in differ:
        assert f"action_{dim}" not in fields
        assert sorted(fields.get(f"value_{dim}", [])) == _as_list(expert[dim])
    for dim in agree:
        assert fields[f"action_{dim}"] == ["accept"]
    client.post("/coding/cases/A-021/", fields)
    case = Case.objects.get(pk="A-021")
    for dim in differ:
        assert _as_list(case.codes[dim]) == _as_list(expert[dim])
    coder = f"user:{personas['coder_li'].pk}"
    logged = set(
        CodeChange.objects.filter(case_id="A-021", coder=coder).values_list(
            "dimension", flat=True
        )
    )
    assert logged == agree


def test_confidence_is_shown_for_the_suggested_codes_and_the_rest_on_demand(
    sample_db: int, personas: dict[str, Any], trained: Any, codebook: Any
) -> None:
    html = _coder(personas).get("/coding/cases/A-021/").content.decode()
    focus = CodeAssignment.objects.get(
        case_id="A-021", dimension="focus", coder=trained.label
    )
    fieldset = html.split('data-dim="focus"')[1].split("</fieldset>")[0]
    shown, hidden = fieldset.split('<details class="conf-more">')
    dim = codebook.dimension("focus")
    for code in focus.confidence:
        label = dim.code(code).label("zh")
        if code in focus.value:
            assert label in shown.split('class="actions"')[0]
        else:
            assert f'<span class="conf">{label} ' in hidden.split("</details>")[0]
            assert f'<span class="conf">{label} ' not in shown


def test_without_a_suggestion_nothing_is_decided_for_the_coder(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _coder(personas)
    html = client.get("/coding/cases/A-021/").content.decode()
    fields = _untouched(html)
    assert not [name for name in fields if name.startswith("action_")]
    client.post("/coding/cases/A-021/", fields)
    assert not CodeChange.objects.filter(coder__startswith="user:").exists()


def test_a_coder_who_changed_a_code_sees_their_own_decision_again(
    sample_db: int, personas: dict[str, Any], trained: Any
) -> None:
    client = _coder(personas)
    client.get("/coding/cases/A-021/")
    suggested = CodeAssignment.objects.get(
        case_id="A-021", dimension="focus", coder=trained.label
    ).value
    other = next(c for c in ("heritage", "space", "reading") if c not in suggested)
    client.post(
        "/coding/cases/A-021/", {"action_focus": "change", "value_focus": [other]}
    )
    fields = _untouched(client.get("/coding/cases/A-021/").content.decode())
    assert "action_focus" not in fields  # nothing is decided again behind their back
    assert fields["value_focus"] == [other]


def test_the_evidence_of_one_suggested_code_is_marked_at_a_time(
    sample_db: int, personas: dict[str, Any], trained: Any
) -> None:
    import re

    client = _coder(personas)
    html = client.get("/coding/cases/A-021/").content.decode()
    assert '<span class="ev on"' not in html
    links = re.findall(r'<a class="ev-link" href="\?ev=([^"#]+)#case-text"', html)
    assert links
    chosen = links[0]
    page = client.get("/coding/cases/A-021/", {"ev": chosen}).content.decode()
    marked = re.findall(r'<span class="ev on" data-ev="([^"]*)">', page)
    assert marked and all(chosen in keys.split() for keys in marked)
    unmarked = re.findall(r'<span class="ev" data-ev="([^"]*)">', page)
    assert all(chosen not in keys.split() for keys in unmarked)
