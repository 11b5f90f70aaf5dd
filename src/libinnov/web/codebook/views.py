"""Codebook pages: read it (everyone), edit, import and export it (admins)."""

from __future__ import annotations

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
from libinnov.web.codebook.forms import CodeForm, DimensionForm, focus_first_error
from libinnov.web.codebook.models import CodebookVersion
from libinnov.web.codebook.selectors import current_codebook, current_version

EXPORT_TYPES = {
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "qdc": "application/xml",
}


def codebook_detail(request: HttpRequest) -> HttpResponse:
    row = current_version()
    if wants_json(request):
        return json_response({**row.data, "version": row.version})
    return _detail_page(request)


def _detail_page(
    request: HttpRequest,
    *,
    code_form: CodeForm | None = None,
    dimension_form: DimensionForm | None = None,
    retire_error: tuple[str, str] | None = None,
    import_error: str = "",
) -> HttpResponse:
    """The codebook and its editor; a refused edit comes back with its form as
    typed, each error next to its field, and the cursor on the first one."""
    codebook = current_codebook()
    for form in (code_form, dimension_form):
        if form is not None:
            focus_first_error(form)
    refused = bool(
        (code_form and code_form.errors)
        or (dimension_form and dimension_form.errors)
        or retire_error
        or import_error
    )
    return render(
        request,
        "codebook/detail.html",
        {
            "codebook": codebook,
            "version": current_version(),
            "versions": CodebookVersion.objects.all()[:20],
            "code_form": code_form or CodeForm(codebook),
            "dimension_form": dimension_form or DimensionForm(),
            "retire_error": retire_error,
            "import_error": import_error,
        },
        status=400 if refused else 200,
    )


def _refusal(exc: LibinnovError, file: str | None = None) -> str:
    """The core's reason in the page's language (``file``: the upload's own name)."""
    return exc.describe(_, file=file)


@require_POST
def code_edit(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    form = CodeForm(current_codebook(), request.POST)
    if not form.is_valid():
        return _detail_page(request, code_form=form)
    data = form.cleaned_data
    try:
        row = services.code_upsert(
            dimension=data["dimension"],
            key=data["key"],
            label_zh=data["label_zh"].strip(),
            label_en=data["label_en"].strip(),
            definition=data["definition"].strip(),
            indicators=form.indicator_list(),
            retired=data["retired"],
            follows=_follows(data["follows"]),
            user=request.user,
        )
    except LibinnovError as exc:
        # the rest of the edit is checked by the form, so a codebook that no
        # longer holds together was broken by the link the edit asked for
        form.add_error("follows" if form.links else None, _refusal(exc))
        return _detail_page(request, code_form=form)
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
    if post.get("mode") in ("retire", "reinstate"):
        key = post.get("key", "").strip()
        try:
            row = services.dimension_retire(
                key=key, retired=post["mode"] == "retire", user=request.user
            )
        except LibinnovError as exc:
            return _detail_page(request, retire_error=(key, _refusal(exc)))
    else:
        form = DimensionForm(post)
        if not form.is_valid():
            return _detail_page(request, dimension_form=form)
        data = form.cleaned_data
        try:
            if data["mode"] == "rename":
                row = services.dimension_relabel(
                    key=data["key"],
                    label_zh=data["label_zh"].strip(),
                    label_en=data["label_en"].strip(),
                    user=request.user,
                )
            else:
                first = data["first_code"]
                row = services.dimension_add(
                    key=data["key"],
                    label_zh=data["label_zh"].strip(),
                    label_en=data["label_en"].strip(),
                    cardinality=data["cardinality"],
                    codes=[{"key": first, "label_zh": first, "label_en": first}],
                    user=request.user,
                )
        except LibinnovError as exc:
            # the form checked the rest: a key taken (add) or unknown (rename)
            form.add_error("key", _refusal(exc))
            return _detail_page(request, dimension_form=form)
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
            expired = _("That upload has expired; upload the file again.")
            return _detail_page(request, import_error=expired)
        try:
            row = services.codebook_save(data=data, user=request.user, note="import")
        except LibinnovError as exc:
            return _detail_page(request, import_error=_refusal(exc))
        messages.success(request, _("Saved codebook version %(v)s.") % {"v": row})
        return redirect("codebook:detail")
    upload = request.FILES.get("file")
    if upload is None:
        return _detail_page(request, import_error=_("Choose a codebook file."))
    tmp = Path(tempfile.mkdtemp(prefix="libinnov-codebook-"))
    path = tmp / Path(upload.name).name
    try:
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        codebook = load_codebook(path)
    except LibinnovError as exc:
        return _detail_page(request, import_error=_refusal(exc, file=upload.name))
    except ImportError:
        return _detail_page(
            request, import_error=_("This installation cannot read that file type.")
        )
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
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    import io

    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"libinnov-codebook-{current_version().version}.{fmt}",
        content_type=EXPORT_TYPES[fmt],
    )
