"""Reading and writing codebooks (YAML is the native form; XLSX and QDC elsewhere)."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from libinnov.codebook.model import Code, Codebook, Dimension
from libinnov.codebook.validate import LINE, build_codebook
from libinnov.exceptions import InvalidCodebook, UnreadableFile


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings remember their line (for error messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def parse_codebook_yaml(text: str, source: str | None = None) -> Codebook:
    """Parse and validate YAML text."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InvalidCodebook(
            "not valid YAML (%(reason)s)", file=source, line=line, reason=str(exc)
        ) from exc
    return build_codebook(data, source)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load a codebook from YAML, XLSX or REFI-QDA ``.qdc``; the default when ``None``.

    >>> load_codebook().dimension("region").code("east").label_zh
    '东部'
    """
    if path is None:
        return default_codebook()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        from libinnov.codebook.qdc import read_qdc

        return read_qdc(path)
    if suffix == ".xlsx":
        from libinnov.codebook.xlsx import read_codebook_xlsx

        return read_codebook_xlsx(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UnreadableFile("no such file", file=path) from exc
    except UnicodeDecodeError as exc:
        raise UnreadableFile("codebook YAML must be UTF-8", file=path) from exc
    return parse_codebook_yaml(text, str(path))


@lru_cache(maxsize=1)
def default_codebook() -> Codebook:
    """The packaged default frame (from the seed study)."""
    text = (resources.files("libinnov.codebook") / "default.yaml").read_text("utf-8")
    return parse_codebook_yaml(text, "default.yaml")


def _code_to_dict(code: Code) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": code.key,
        "label_zh": code.label_zh,
        "label_en": code.label_en,
    }
    if code.definition:
        out["definition"] = code.definition
    if code.indicators:
        out["indicators"] = list(code.indicators)
    if code.provinces:
        out["provinces"] = list(code.provinces)
    if code.retired:
        out["retired"] = True
    if code.follows:
        out["follows"] = code.follows
    return out


def _dimension_to_dict(dim: Dimension) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": dim.key,
        "label_zh": dim.label_zh,
        "label_en": dim.label_en,
        "cardinality": dim.cardinality,
    }
    if dim.derived:
        out["derived"] = True
    if dim.allow_empty:
        out["allow_empty"] = True
    if dim.retired:
        out["retired"] = True
    if dim.description:
        out["description"] = dim.description
    if dim.rule:
        out["rule"] = dim.rule
    if dim.rule_source:
        out["rule_source"] = dim.rule_source
    out["codes"] = [_code_to_dict(c) for c in dim.codes]
    return out


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The codebook as plain data, in the YAML file's shape."""
    return {
        "name": codebook.name,
        "version": codebook.version,
        "title_zh": codebook.title_zh,
        "title_en": codebook.title_en,
        "dimensions": [_dimension_to_dict(d) for d in codebook.dimensions],
    }


def dump_codebook_yaml(codebook: Codebook) -> str:
    return yaml.safe_dump(
        codebook_to_dict(codebook), allow_unicode=True, sort_keys=False, width=100
    )


def file_mode() -> int:
    """rw-r--r-- under the usual umask: temp files start private, outputs should not."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write so that readers see the old file or the whole new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_codebook(codebook: Codebook, path: str | Path, fmt: str | None = None) -> None:
    """Save as ``yaml``, ``xlsx`` or ``qdc`` (chosen from the suffix when not given)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "yaml").lower()
    if fmt in ("yaml", "yml"):
        atomic_write_bytes(path, dump_codebook_yaml(codebook).encode("utf-8"))
    elif fmt == "xlsx":
        from libinnov.codebook.xlsx import write_codebook_xlsx

        write_codebook_xlsx(codebook, path)
    elif fmt == "qdc":
        from libinnov.codebook.qdc import write_qdc

        write_qdc(codebook, path)
    else:
        raise InvalidCodebook(
            "unknown codebook format '%(format)s' (yaml, xlsx or qdc)", format=fmt
        )
