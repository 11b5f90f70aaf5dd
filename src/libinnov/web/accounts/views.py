"""Admins give people roles; everything else about accounts is Django's."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from libinnov.web.accounts.roles import ROLES, require_role, role_label, user_role
from libinnov.web.accounts.services import user_set

_NAME = re.compile(r"^[\w.@+-]{1,150}$")


def users(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        role = request.POST.get("role", "")
        password = request.POST.get("password", "")
        if not _NAME.match(username) or role not in ROLES or len(password) < 8:
            messages.error(
                request,
                _("Give a user name, a role and a password of 8 or more characters."),
            )
        else:
            user_set(username=username, password=password, role=role)
            messages.success(request, _("Saved %(name)s.") % {"name": username})
        return redirect("users")
    people = [
        (u, role_label(user_role(u)))
        for u in get_user_model().objects.order_by("username")
    ]
    roles = [(r, role_label(r)) for r in ROLES]
    return render(
        request, "registration/users.html", {"people": people, "roles": roles}
    )
