"""The users page's form: one account's name, role and (optionally) password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from libinnov.web.accounts.roles import ROLES, role_label

MIN_PASSWORD = 8


class UserForm(forms.Form):
    """Add an account, or change an existing one's role and maybe its password.

    A blank password keeps an existing account's password; a new account needs
    one.
    """

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[
            RegexValidator(
                r"^[\w.@+-]+\Z",
                _("Letters, digits and @ . + - _ only."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=())
    password = forms.CharField(
        label=_("Password"),
        required=False,
        min_length=MIN_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters. Leave it empty to keep an existing user's "
            "password; a new user needs one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r, role_label(r)) for r in ROLES]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = data.get("username")
        if username and not data.get("password"):
            if not get_user_model().objects.filter(username=username).exists():
                self.add_error("password", _("A new user needs a password."))
        return data
