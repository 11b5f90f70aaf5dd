"""Every error message the core (or the filter parser) can raise has a Chinese
translation, is a template rather than a finished string, and is given every value
it names; makemessages knows every error class, so it keeps these entries."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import libinnov
from libinnov.web.cases.management.commands.makemessages import (
    ERROR_MESSAGE_CALLS,
    LOCATION_CALL,
)

SOURCE = Path(libinnov.__file__).parent
CATALOGUE = SOURCE / "web" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LOCATION = {"file", "line", "row", "field"}
MISSING = "\0missing"


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _messages() -> Iterator[tuple[str, ast.Call, ast.expr]]:
    """(where, call, message argument) of every call that takes a template."""
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            index = {**dict.fromkeys(ERROR_MESSAGE_CALLS, 0), LOCATION_CALL: 1}.get(
                _name(node) or ""
            )
            if index is not None and len(node.args) > index:
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                yield where, node, node.args[index]


def _templates() -> list[tuple[str, ast.Call, str]]:
    return [
        (where, call, arg.value)
        for where, call, arg in _messages()
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    ]


def test_error_messages_are_templates_not_finished_strings() -> None:
    # A name or attribute passes a template on (``exc.template``); anything
    # else (an f-string, ``str(exc)``, ``"..." % x``) could not be translated.
    finished = [
        where
        for where, _call, arg in _messages()
        if not isinstance(arg, ast.Constant | ast.Name | ast.Attribute)
    ]
    assert finished == []
    assert len(_templates()) > 140


def test_every_error_message_has_a_chinese_translation() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)

    class Missing(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return MISSING

    catalogue.add_fallback(Missing())
    untranslated = []
    for where, _call, template in _templates():
        chinese = catalogue.gettext(template)
        if chinese == MISSING:
            untranslated.append(f"{where}: {template}")
        else:
            names = set(PLACEHOLDER.findall(template))
            assert set(PLACEHOLDER.findall(chinese)) == names, template
    assert untranslated == []


def test_every_value_a_message_names_is_given_where_it_is_raised() -> None:
    missing = []
    for where, call, template in _templates():
        if _name(call) == LOCATION_CALL:
            continue
        given = {k.arg for k in call.keywords if k.arg is not None}
        needed = set(PLACEHOLDER.findall(template)) - LOCATION
        if needed - given:
            missing.append(f"{where}: {sorted(needed - given)}")
    assert missing == []


def test_makemessages_knows_every_error_class() -> None:
    classes = {"LibinnovError"}
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in SOURCE.rglob("*.py")]
    found = True
    while found:
        found = False
        for tree in trees:
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef) or node.name in classes:
                    continue
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & classes:
                    classes.add(node.name)
                    found = True
    assert len(classes) > 10
    assert classes <= set(ERROR_MESSAGE_CALLS)
