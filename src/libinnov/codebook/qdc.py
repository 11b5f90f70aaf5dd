"""REFI-QDA codebook exchange (``.qdc``), the format NVivo, ATLAS.ti, MAXQDA and
QualCoder read and write.

A dimension becomes a non-codable parent code and its codes codable children, named
``label_zh | label_en``. What QDA tools have no field for (keys, cardinality,
definitions, indicator terms) travels in each ``Description`` after a marker line, so
that a round trip through libinnov is lossless while other tools show the definition.
GUIDs are uuid5 of the codebook name and keys, so re-exports are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import yaml

from libinnov.codebook.io import atomic_write_bytes, codebook_to_dict
from libinnov.codebook.model import Codebook
from libinnov.codebook.validate import build_codebook
from libinnov.exceptions import InvalidCodebook, UnreadableFile

NAMESPACE = "urn:QDA-XML:codebook:1.0"
_NS = {"q": NAMESPACE}
MARKER = "--- libinnov ---"
_PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
            "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF")  # fmt: skip


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "libinnov:" + "/".join(parts))).upper()


def _description(text: str, meta: dict[str, Any]) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"{text}\n{MARKER}\n{dumped}" if text else f"{MARKER}\n{dumped}"


def _split_description(text: str) -> tuple[str, dict[str, Any]]:
    if MARKER not in text:
        return text.strip(), {}
    human, _, meta = text.partition(MARKER)
    data = yaml.safe_load(meta) or {}
    return human.strip(), data if isinstance(data, dict) else {}


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``CodeBook`` XML document."""
    ET.register_namespace("", NAMESPACE)
    data = codebook_to_dict(codebook)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", origin="libinnov")
    codes_el = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    book_meta = {k: data[k] for k in ("name", "version", "title_zh", "title_en")}
    for index, dim in enumerate(data["dimensions"]):
        codes = dim.pop("codes")
        meta = {**({"codebook": book_meta} if index == 0 else {}), **dim}
        parent = ET.SubElement(
            codes_el,
            f"{{{NAMESPACE}}}Code",
            guid=_guid(codebook.name, dim["key"]),
            name=f"{dim['label_zh']} | {dim['label_en']}",
            isCodable="false",
            color=_PALETTE[index % len(_PALETTE)],
        )
        desc = ET.SubElement(parent, f"{{{NAMESPACE}}}Description")
        desc.text = _description(str(dim.get("description", "")), meta)
        for code in codes:
            child = ET.SubElement(
                parent,
                f"{{{NAMESPACE}}}Code",
                guid=_guid(codebook.name, dim["key"], code["key"]),
                name=f"{code['label_zh']} | {code['label_en']}",
                isCodable="true",
                color=_PALETTE[index % len(_PALETTE)],
            )
            text = ET.SubElement(child, f"{{{NAMESPACE}}}Description")
            text.text = _description(str(code.get("definition", "")), code)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def write_qdc(codebook: Codebook, path: str | Path) -> None:
    atomic_write_bytes(path, codebook_to_qdc(codebook))


def _slug(name: str, taken: set[str]) -> str:
    """An ASCII key for a code from another tool (Chinese names get a stable hash)."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = "c_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def _labels(name: str) -> tuple[str, str]:
    zh, sep, en = name.partition(" | ")
    return (zh.strip(), en.strip()) if sep else (name.strip(), name.strip())


def _code_dict(element: ET.Element, taken: set[str]) -> dict[str, Any]:
    desc = element.findtext("q:Description", default="", namespaces=_NS)
    human, meta = _split_description(desc)
    if meta.get("key"):
        return meta
    zh, en = _labels(element.get("name", ""))
    out: dict[str, Any] = {"key": _slug(en, taken), "label_zh": zh, "label_en": en}
    if human:
        out["definition"] = human
    return out


def qdc_to_codebook(data: bytes, source: str | None = None) -> Codebook:
    """Read a QDC written by libinnov (lossless) or by another QDA tool.

    A top-level code with children becomes a multi-valued dimension; loose codable
    top-level codes are gathered into one dimension called ``codes``.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InvalidCodebook(
            "not valid XML (%(reason)s)", file=source, line=line, reason=str(exc)
        ) from exc
    if root.tag != f"{{{NAMESPACE}}}CodeBook":
        raise InvalidCodebook("the root element must be CodeBook in %(namespace)s",
                              file=source, namespace=NAMESPACE)  # fmt: skip
    dims: list[dict[str, Any]] = []
    loose: list[dict[str, Any]] = []
    book: dict[str, Any] = {}
    taken: set[str] = set()
    for element in root.findall("q:Codes/q:Code", _NS):
        children = element.findall("q:Code", _NS)
        if not children:
            loose.append(_code_dict(element, taken))
            continue
        desc = element.findtext("q:Description", default="", namespaces=_NS)
        human, meta = _split_description(desc)
        book = meta.pop("codebook", book)
        if not meta.get("key"):
            zh, en = _labels(element.get("name", ""))
            meta = {"key": _slug(en, taken), "label_zh": zh, "label_en": en,
                    "cardinality": "multi", "description": human}  # fmt: skip
        child_keys: set[str] = set()
        meta["codes"] = [_code_dict(c, child_keys) for c in children]
        dims.append(meta)
    if loose:
        dims.append({"key": "codes", "label_zh": "代码", "label_en": "Codes",
                     "cardinality": "multi", "codes": loose})  # fmt: skip
    document = {
        "name": book.get("name") or (Path(source).stem if source else "imported"),
        "version": book.get("version", "1"),
        "title_zh": book.get("title_zh", ""),
        "title_en": book.get("title_en", ""),
        "dimensions": dims,
    }
    return build_codebook(document, source)


def read_qdc(path: str | Path) -> Codebook:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            "%(reason)s", file=path, reason=str(exc.strerror or exc)
        ) from exc
    return qdc_to_codebook(data, str(path))
