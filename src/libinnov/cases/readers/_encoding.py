"""Decoding text files the way Chinese offices save them: UTF-8, UTF-8-BOM or GBK."""

from __future__ import annotations

from pathlib import Path

from libinnov.exceptions import UnreadableFile

# gb18030 is a superset of gbk and gb2312, so one attempt covers all three.
_CANDIDATES = ("utf-8-sig", "gb18030")


def decode_text(path: Path) -> tuple[str, str]:
    """Return the file's text and the encoding it was read with.

    Strict UTF-8 first (it almost never decodes GBK bytes by accident), then
    GB18030; charset-normalizer only decides between other encodings (e.g. Big5,
    UTF-16) when both fail.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            "%(reason)s", file=path, reason=str(exc.strerror or exc)
        ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in _CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("ascii",) and "\x00" not in str(best):
        return str(best), best.encoding
    raise UnreadableFile(
        "cannot decode the text (tried UTF-8, UTF-8 with BOM, GBK/GB18030); "
        "save it as UTF-8 or GBK",
        file=path,
    )
