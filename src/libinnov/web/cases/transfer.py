"""Import (preview first, then all-or-nothing) and export of filtered case sets."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from libinnov.cases import Case as CoreCase
from libinnov.cases import read_cases, write_cases
from libinnov.exceptions import LibinnovError
from libinnov.web.accounts.roles import require_role
from libinnov.web.cases import selectors
from libinnov.web.cases.models import Case
from libinnov.web.cases.services import cases_import
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.config.dburl import data_dir

IMPORT_SUFFIXES = (".jsonl", ".json", ".csv", ".xlsx", ".docx", ".pdf", ".txt")
EXPORT_FORMATS = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PREVIEW_ROWS = 20


def _upload_dir() -> Path:
    path = data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(max_age: float = 86400.0) -> None:
    """Forget uploads nobody confirmed within a day."""
    now = time.time()
    for path in _upload_dir().iterdir():
        if now - path.stat().st_mtime > max_age:
            path.unlink(missing_ok=True)


def _stage(upload: object, suffix: str) -> str:
    """Keep the uploaded file until the user confirms; returns its token."""
    _sweep()
    token = secrets.token_hex(12)
    with (_upload_dir() / f"{token}{suffix}").open("wb") as handle:
        for chunk in upload.chunks():  # type: ignore[attr-defined]
            handle.write(chunk)
    return token


def _staged(token: str) -> Path | None:
    if not token.isalnum():
        return None
    found = list(_upload_dir().glob(f"{token}.*"))
    return found[0] if found else None


def case_import(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    codebook = current_codebook()
    context: dict[str, object] = {"suffixes": ", ".join(IMPORT_SUFFIXES)}
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, request.POST["token"])
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None or suffix not in IMPORT_SUFFIXES:
            context["error"] = _("Choose a case file (%(s)s).") % {
                "s": context["suffixes"]
            }
            return render(request, "cases/import.html", context, status=400)
        token = _stage(upload, suffix)
        path = _staged(token)
        assert path is not None
        try:
            cores = read_cases(path, codebook)
        except LibinnovError as exc:
            path.unlink(missing_ok=True)
            context["error"] = exc.describe(_, file=upload.name)
            return render(request, "cases/import.html", context, status=400)
        except ImportError:
            path.unlink(missing_ok=True)
            context["error"] = _("This installation cannot read %(s)s files.") % {
                "s": suffix
            }
            return render(request, "cases/import.html", context, status=400)
        existing = set(
            Case.objects.filter(id__in=[c.id for c in cores]).values_list(
                "id", flat=True
            )
        )
        context.update(
            token=token,
            filename=upload.name,
            count=len(cores),
            replaced=len(existing),
            preview=[c.to_record(codebook) for c in cores[:PREVIEW_ROWS]],
            codebook=codebook,
            published=bool(request.POST.get("published")),
        )
    return render(request, "cases/import.html", context)


def _confirm(request: HttpRequest, token: str) -> HttpResponse:
    path = _staged(token)
    if path is None:
        messages.error(request, _("That upload has expired; upload the file again."))
        return redirect("cases:import")
    codebook = current_codebook()
    try:
        cores = read_cases(path, codebook)
        saved = cases_import(
            cores,
            codebook=codebook,
            codebook_version=current_version().version,
            published=bool(request.POST.get("published")),
        )
    except LibinnovError as exc:
        name = request.POST.get("filename") or _("the uploaded file")
        messages.error(request, exc.describe(_, file=name))
        return redirect("cases:import")
    finally:
        path.unlink(missing_ok=True)
    n = len(saved)
    messages.success(
        request, ngettext("Imported %(n)d case.", "Imported %(n)d cases.", n) % {"n": n}
    )
    return redirect("cases:list")


def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered set (same parameters as the library) as jsonl, csv or xlsx."""
    fmt = request.GET.get("fmt", "jsonl")
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(_("Unknown export format."), status=400)
    codebook = current_codebook()
    flt = selectors.parse_filter(request.GET, codebook)
    qs, terms = selectors.apply_filter(selectors.visible_cases(request.user), flt)
    ids = list(selectors.ranked_ids(qs, terms))
    by_id = Case.objects.in_bulk(ids)
    cores: list[CoreCase] = [by_id[i].to_core() for i in ids if i in by_id]
    tmp = Path(tempfile.mkdtemp(prefix="libinnov-export-"))
    target = tmp / f"cases.{fmt}"
    try:
        write_cases(cores, target, codebook)
    except (LibinnovError, ImportError) as exc:
        # ImportError: the writer for this format is not installed
        shutil.rmtree(tmp, ignore_errors=True)
        message = exc.describe(_) if isinstance(exc, LibinnovError) else str(exc)
        return HttpResponse(message, status=400, content_type="text/plain")
    data = target.read_bytes()
    shutil.rmtree(tmp, ignore_errors=True)
    import io

    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"libinnov-cases.{fmt}",
        content_type=EXPORT_FORMATS[fmt],
    )
