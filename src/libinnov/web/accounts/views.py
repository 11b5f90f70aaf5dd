"""Admins give people roles; everything else about accounts is Django's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from libinnov.web.accounts.forms import UserForm
from libinnov.web.accounts.roles import ROLES, require_role, role_label, user_role
from libinnov.web.accounts.services import user_set


def users(request: HttpRequest) -> HttpResponse:
    """The accounts and their roles; a role changes without a new password."""
    require_role(request, "admin")
    form = UserForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        user_set(
            username=data["username"],
            role=data["role"],
            password=data["password"] or None,
        )
        messages.success(request, _("Saved %(name)s.") % {"name": data["username"]})
        return redirect("users")
    people = [
        (u, user_role(u), role_label(user_role(u)))
        for u in get_user_model().objects.order_by("username")
    ]
    return render(
        request,
        "registration/users.html",
        {"people": people, "roles": [(r, role_label(r)) for r in ROLES], "form": form},
        status=400 if form.errors else 200,
    )
