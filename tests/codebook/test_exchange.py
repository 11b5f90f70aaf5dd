"""Codebooks round-trip through YAML, XLSX and REFI-QDA QDC without loss."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import pytest
import xmlschema

from libinnov.codebook import Codebook, load_codebook, save_codebook
from libinnov.codebook.model import Code
from libinnov.codebook.qdc import codebook_to_qdc, qdc_to_codebook

SCHEMA = resources.files("libinnov.data") / "schemas" / "refi-qda-codebook.xsd"


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "qdc"])
def test_the_default_codebook_round_trips(
    tmp_path: Path, codebook: Codebook, fmt: str
) -> None:
    path = tmp_path / f"codebook.{fmt}"
    save_codebook(codebook, path)
    assert load_codebook(path) == codebook


def test_the_qdc_export_validates_against_the_codebook_schema(
    codebook: Codebook,
) -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA))
    document = codebook_to_qdc(codebook)
    schema.validate(document.decode("utf-8"))
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in document


def test_the_schema_rejects_a_code_without_a_guid() -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA))
    bad = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" isCodable="true"/></Codes></CodeBook>'
    assert not schema.is_valid(bad)


def test_qdc_exports_are_identical_each_time(codebook: Codebook) -> None:
    assert codebook_to_qdc(codebook) == codebook_to_qdc(codebook)


def test_qdc_names_carry_both_labels_for_other_tools(codebook: Codebook) -> None:
    assert 'name="阅读推广 | Reading promotion"' in codebook_to_qdc(codebook).decode()


def test_a_qdc_from_another_tool_imports_with_ascii_keys() -> None:
    document = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="服务对象" isCodable="false">
      <Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="老年人" isCodable="true">
        <Description>60岁以上读者</Description>
      </Code>
      <Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Children" isCodable="true"/>
    </Code>
    <Code guid="4FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="loose code" isCodable="true"/>
  </Codes>
</CodeBook>""".encode()
    imported = qdc_to_codebook(document, "atlas.qdc")
    first, loose = imported.dimensions
    assert first.label_zh == "服务对象" and first.cardinality == "multi"
    elderly, children = first.codes
    assert elderly.key.startswith("c_") and elderly.key.isascii()
    assert elderly.definition == "60岁以上读者"
    assert children.key == "children"
    assert loose.key == "codes" and loose.codes[0].key == "loose_code"


def test_edits_survive_a_save_and_load(tmp_path: Path, codebook: Codebook) -> None:
    focus = codebook.dimension("focus")
    renamed = (
        *(
            dataclasses.replace(c, label_zh="阅读推广与书香")
            if c.key == "reading"
            else c
            for c in focus.codes
        ),
        Code(key="wellbeing", label_zh="健康素养", label_en="Health literacy"),
    )
    extra = dataclasses.replace(
        codebook.dimension("audience"),
        key="funding",
        label_zh="经费",
        label_en="Funding",
    )
    edited = dataclasses.replace(
        codebook,
        dimensions=(
            *(
                dataclasses.replace(d, codes=renamed) if d.key == "focus" else d
                for d in codebook.dimensions
            ),
            extra,
        ),
    )
    for fmt in ("yaml", "xlsx", "qdc"):
        path = tmp_path / f"edited.{fmt}"
        save_codebook(edited, path)
        again = load_codebook(path)
        assert again == edited
        assert again.dimension("focus").resolve("阅读推广与书香") == "reading"
        assert again.dimension("focus").resolve("Health literacy") == "wellbeing"
        assert "funding" in again


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_a_retired_dimension_survives_a_save_and_leaves_the_coders(
    tmp_path: Path, codebook: Codebook, fmt: str
) -> None:
    retired = dataclasses.replace(
        codebook,
        dimensions=tuple(
            dataclasses.replace(d, retired=True) if d.key == "audience" else d
            for d in codebook.dimensions
        ),
    )
    path = tmp_path / f"codebook.{fmt}"
    save_codebook(retired, path)
    loaded = load_codebook(path)
    assert loaded.dimension("audience").retired
    assert "audience" not in [d.key for d in loaded.coded_dimensions]
    assert "audience" not in [d.key for d in loaded.active_dimensions]
    assert loaded.fingerprint != codebook.fingerprint
