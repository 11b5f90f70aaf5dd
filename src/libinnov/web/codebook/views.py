"""Codebook pages: read it (everyone), edit, import and export it (admins)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.codebook import Codebook, codebook_to_dict, load_codebook, save_codebook
from libinnov.exceptions import LibinnovError
from libinnov.web.accounts.roles import require_role
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook import services
from libinnov.web.codebook.models import CodebookVersion
from libinnov.web.codebook.selectors import current_codebook, current_version

EXPORT_TYPES = {
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "qdc": "application/xml",
}
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def codebook_detail(request: HttpRequest) -> HttpResponse:
    row = current_version()
    if wants_json(request):
        return json_response({**row.data, "version": row.version})
    return render(
        request,
        "codebook/detail.html",
        {
            "codebook": current_codebook(),
            "version": row,
            "versions": CodebookVersion.objects.all()[:20],
        },
    )


@require_POST
def code_edit(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    post = request.POST
    key = post.get("key", "").strip()
    if not _KEY.match(key):
        messages.error(request, _("A code key is lower-case ASCII, digits or _."))
        return redirect("codebook:detail")
    try:
        row = services.code_upsert(
            dimension=post.get("dimension", ""),
            key=key,
            label_zh=post.get("label_zh", "").strip(),
            label_en=post.get("label_en", "").strip(),
            definition=post.get("definition", "").strip(),
            indicators=[
                t.strip()
                for t in re.split(r"[;；、,，]", post.get("indicators", ""))
                if t.strip()
            ]
            or None,
            retired=bool(post.get("retired")),
            follows=_follows(post.get("follows", "")),
            user=request.user,
        )
    except LibinnovError as exc:
        messages.error(request, exc.describe(_))
    else:
        messages.success(request, _("Saved codebook version %(v)s.") % {"v": row})
    return redirect("codebook:detail")


def _follows(choice: str) -> str | None:
    """The form's choice: keep the link (empty), remove it (``-``) or a dimension."""
    if not choice:
        return None
    return "" if choice == "-" else choice


@require_POST
def dimension_edit(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    post = request.POST
    key = post.get("key", "").strip()
    try:
        if post.get("mode") in ("retire", "reinstate"):
            row = services.dimension_retire(
                key=key, retired=post["mode"] == "retire", user=request.user
            )
        elif post.get("mode") == "rename":
            row = services.dimension_relabel(
                key=key,
                label_zh=post.get("label_zh", "").strip(),
                label_en=post.get("label_en", "").strip(),
                user=request.user,
            )
        else:
            first = post.get("first_code", "").strip()
            row = services.dimension_add(
                key=key,
                label_zh=post.get("label_zh", "").strip(),
                label_en=post.get("label_en", "").strip(),
                cardinality=post.get("cardinality", "multi"),
                codes=[{"key": first, "label_zh": first, "label_en": first}]
                if first
                else [],
                user=request.user,
            )
    except LibinnovError as exc:
        messages.error(request, exc.describe(_))
    else:
        messages.success(request, _("Saved codebook version %(v)s.") % {"v": row})
    return redirect("codebook:detail")


def _diff(old: Codebook, new: Codebook) -> list[tuple[str, str]]:
    """What an import would change, as (kind, "dimension.code") pairs."""
    changes: list[tuple[str, str]] = []
    for dim in new.dimensions:
        if dim.key not in old:
            changes.append(("added", dim.key))
            continue
        before = old.dimension(dim.key)
        known = {c.key: c for c in before.codes}
        for code in dim.codes:
            if code.key not in known:
                changes.append(("added", f"{dim.key}.{code.key}"))
            elif (code.label_zh, code.label_en) != (
                known[code.key].label_zh,
                known[code.key].label_en,
            ):
                changes.append(("relabelled", f"{dim.key}.{code.key}"))
        for key in known.keys() - {c.key for c in dim.codes}:
            changes.append(("removed", f"{dim.key}.{key}"))
    for dim in old.dimensions:
        if dim.key not in new:
            changes.append(("removed", dim.key))
    return changes


def codebook_import(request: HttpRequest) -> HttpResponse:
    """Upload YAML/XLSX/QDC, preview what changes, then save it as a new version."""
    require_role(request, "admin")
    if request.method != "POST":
        return redirect("codebook:detail")
    if request.POST.get("confirm"):
        data = request.session.pop("codebook_import", None)
        if data is None:
            messages.error(
                request, _("That upload has expired; upload the file again.")
            )
            return redirect("codebook:detail")
        try:
            row = services.codebook_save(data=data, user=request.user, note="import")
        except LibinnovError as exc:
            messages.error(request, exc.describe(_))
        else:
            messages.success(request, _("Saved codebook version %(v)s.") % {"v": row})
        return redirect("codebook:detail")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a codebook file."))
        return redirect("codebook:detail")
    tmp = Path(tempfile.mkdtemp(prefix="libinnov-codebook-"))
    path = tmp / Path(upload.name).name
    try:
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        codebook = load_codebook(path)
    except LibinnovError as exc:
        messages.error(request, exc.describe(_, file=upload.name))
        return redirect("codebook:detail")
    except ImportError:
        messages.error(request, _("This installation cannot read that file type."))
        return redirect("codebook:detail")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    request.session["codebook_import"] = codebook_to_dict(codebook)
    return render(
        request,
        "codebook/import_preview.html",
        {
            "filename": upload.name,
            "changes": _diff(current_codebook(), codebook),
            "codebook": codebook,
        },
    )


def codebook_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("fmt", "yaml")
    if fmt not in EXPORT_TYPES:
        return HttpResponse(_("Unknown export format."), status=400)
    tmp = Path(tempfile.mkdtemp(prefix="libinnov-codebook-"))
    path = tmp / f"codebook.{fmt}"
    try:
        save_codebook(current_codebook(), path, fmt)
        data = path.read_bytes()
    except (LibinnovError, ImportError) as exc:
        message = exc.describe(_) if isinstance(exc, LibinnovError) else str(exc)
        return HttpResponse(message, status=400, content_type="text/plain")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    import io

    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"libinnov-codebook-{current_version().version}.{fmt}",
        content_type=EXPORT_TYPES[fmt],
    )
