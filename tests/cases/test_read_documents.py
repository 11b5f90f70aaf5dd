"""Case write-ups as Word, PDF and text files, one case per file."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from libinnov.cases import read_cases
from libinnov.exceptions import UnreadableFile

TITLE = "城市书房：把图书馆开到市民家门口"
BODY = (
    "我馆自2014年起在全市建设城市书房，实行24小时自助开放，读者刷证即可入馆借阅。",
    "书房由政府、企业和社区共建，馆员统一配送图书并组织阅读推广活动。",
)


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("申报单位：温州市图书馆")
    document.add_paragraph("年份：2023")
    for paragraph in BODY:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _pdf(path: Path) -> Path:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        "<html><body style=\"font-family: 'Noto Sans CJK SC'\">"
        f"<h1>{TITLE}</h1><p>申报单位：温州市图书馆</p><p>年份：2023</p>{paragraphs}"
        "</body></html>"
    )
    HTML(string=html).write_pdf(str(path))
    return path


@pytest.mark.parametrize("make", [_docx, _pdf], ids=["docx", "pdf"])
def test_a_write_up_gives_title_library_year_and_summary(
    tmp_path: Path, make: object
) -> None:
    path = make(tmp_path / ("case.docx" if make is _docx else "case.pdf"))  # type: ignore[operator]
    (case,) = read_cases(path)
    assert case.title == TITLE
    assert case.library == "温州市图书馆"
    assert case.year == 2023
    assert "城市书房" in case.summary and "阅读推广活动" in case.summary


def test_a_folder_of_write_ups_gives_one_case_per_file(tmp_path: Path) -> None:
    _docx(tmp_path / "a.docx")
    (tmp_path / "b.txt").write_bytes(
        "古籍修复进校园\n图书馆：南京图书馆\n正文内容。".encode("gbk")
    )
    cases = read_cases(tmp_path)
    assert [c.title for c in cases] == [TITLE, "古籍修复进校园"]
    assert cases[1].library == "南京图书馆"
    assert cases[1].extra["source_file"] == "b.txt"


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    _docx(tmp_path / "a.docx")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(UnreadableFile, match=r"photo\.jpg"):
        read_cases(tmp_path)
