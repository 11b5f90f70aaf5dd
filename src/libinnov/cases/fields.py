"""Header names as people write them, mapped to the case-file contract's field names."""

from __future__ import annotations

from libinnov.codebook.model import Codebook
from libinnov.text.normalise import match_key

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "案例编号", "序号id", "case_id", "案例id"),
    "title": ("title", "标题", "案例名称", "案例标题", "名称", "项目名称", "案例题目"),
    "library": (
        "library",
        "图书馆",
        "申报单位",
        "单位",
        "图书馆名称",
        "所在单位",
        "申报馆",
        "机构",
        "institution",
    ),
    "library_type": ("library_type", "图书馆类型", "馆类型", "类型", "type"),
    "province": ("province", "省份", "省", "所在省份", "省区市", "地区省份"),
    "region": ("region", "地区", "区域", "所在地区"),
    "year": ("year", "年份", "年度", "时间", "申报年份"),
    "summary": (
        "summary",
        "案例简介",
        "内容",
        "正文",
        "简介",
        "摘要",
        "案例内容",
        "案例描述",
        "描述",
        "text",
        "description",
        "abstract",
    ),
    "address": ("address", "地址", "通讯地址"),
    "source_url": ("source_url", "来源", "链接", "网址", "url", "source"),
}


def header_map(codebook: Codebook) -> dict[str, str]:
    """Normalised header → field name, including each dimension's key and labels."""
    mapping: dict[str, str] = {}
    for dim in codebook.dimensions:
        for alias in (dim.key, dim.label_zh, dim.label_en):
            mapping[match_key(alias)] = dim.key
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            mapping.setdefault(match_key(alias), name)
    # A codebook dimension's own label beats a generic alias (e.g. 地区 → region).
    return mapping


def canonical_field(
    header: str, codebook: Codebook, mapping: dict[str, str] | None = None
) -> str:
    """The contract's name for ``header``, else the header itself (an extra field)."""
    key = match_key(header)
    # Readers pass the mapping built once per file: rows repeat the same headers.
    return (mapping or header_map(codebook)).get(key, header.strip())


def looks_like_header(header: list[str], codebook: Codebook) -> bool:
    """Whether a first row names at least one field a case file can have."""
    wanted = {"id", "title", "summary", "library", *codebook.keys}
    return any(canonical_field(h, codebook) in wanted for h in header if h)
