"""The codebook editor's forms: each error is shown next to its field.

The forms check what a form can know (a key's shape, required labels, the
choices the page offers); whether the edited codebook holds together is the
core's to decide (:func:`libinnov.codebook.validate.build_codebook`), and the
views put its answer next to the field that can have caused it.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from libinnov.codebook import Codebook
from libinnov.web.cases.templatetags.libinnov_tags import cardinality_label, lang

KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY_ATTRS = {
    "pattern": "[a-z][a-z0-9_]*",
    "title": _("Lower-case ASCII letters, digits or _, starting with a letter"),
}


def _key_field(label: Any, *, required: bool = True) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=KEY,
        required=required,
        error_messages={
            "invalid": _(
                "Lower-case ASCII letters, digits or _, starting with a letter"
            )
        },
        widget=forms.TextInput(attrs=dict(_KEY_ATTRS)),
    )


class CodeForm(forms.Form):
    """Add a code to a dimension, or rename, redefine or retire one."""

    dimension = forms.ChoiceField(label=_("Dimension"), choices=())
    key = _key_field(_("Key"))
    label_zh = forms.CharField(label="中文", max_length=200)
    label_en = forms.CharField(label="English", max_length=200)
    definition = forms.CharField(label=_("Definition"), required=False)
    indicators = forms.CharField(
        label=_("Indicators"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Indicator terms, separated by ;")}
        ),
    )
    follows = forms.ChoiceField(
        label=_("Given when a dimension has codes"), required=False, choices=()
    )
    retired = forms.BooleanField(label=_("retired"), required=False)

    def __init__(self, codebook: Codebook, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "code_%s")
        super().__init__(*args, **kwargs)
        language = lang()
        _choices(self, "dimension").choices = [
            (d.key, f"{d.label(language)} ({d.key})") for d in codebook.dimensions
        ]
        _choices(self, "follows").choices = [
            ("", _("(as it is)")),
            ("-", _("(no link)")),
            *(
                (d.key, d.key)
                for d in codebook.dimensions
                if d.is_multi and not d.retired
            ),
        ]

    @property
    def links(self) -> bool:
        """Whether the edit asks for a link to another dimension."""
        return self.cleaned_data.get("follows", "") not in ("", "-")

    def indicator_list(self) -> list[str] | None:
        raw = self.cleaned_data.get("indicators", "")
        terms = [t.strip() for t in re.split(r"[;；、,，]", raw) if t.strip()]
        return terms or None


class DimensionForm(forms.Form):
    """Add a dimension with its first code, or rename one."""

    mode = forms.ChoiceField(
        label=_("Action"), choices=(("add", _("add")), ("rename", _("rename")))
    )
    key = _key_field(_("Key"))
    label_zh = forms.CharField(label="中文", max_length=200)
    label_en = forms.CharField(label="English", max_length=200)
    cardinality = forms.ChoiceField(label=_("Codes per case"), choices=())
    first_code = _key_field(_("first code key"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dimension_%s")
        super().__init__(*args, **kwargs)
        _choices(self, "cardinality").choices = [
            (c, cardinality_label(c)) for c in ("multi", "single")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("mode") == "add"
            and not data.get("first_code")
            and ("first_code" not in self.errors)
        ):
            self.add_error("first_code", _("A new dimension needs its first code."))
        return data


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor (and the page) on the first field that was refused."""
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return
