"""The kind of library (the codebook's ``library_type``) from the words of its name.

Names combine kinds (华中科技大学同济医学院附属同济医院图书馆 is a hospital library of a
university; 龙南师范附属小学图书室 a primary school's), so the words are tried in stages
and the first stage that matches decides. The stages are curated here; the codebook's
indicator terms join their code's stage, so a user who adds a term to the codebook
changes the result, and a code the user adds gets its own stage before the weak
"it is a 图书馆, so public" ones, which also yield to the curated table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from libinnov.codebook.model import Dimension
from libinnov.gazetteer.tables import match_key


@dataclass(frozen=True)
class Stage:
    """Words that point to one code; a weak stage yields to the curated table."""

    code: str
    words: tuple[str, ...]
    weak: bool = False


#: In order of precedence: the first stage with a word in the name decides.
STAGES: tuple[Stage, ...] = (
    # Bodies of many libraries, whatever their members are.
    Stage(
        "other",
        ("联盟", "学会", "协会", "联合会", "联合体", "共同体", "研究会", "基金会"),
    ),
    Stage("other", ("图工委", "读书会", "老年大学")),
    # A hospital library is a medical (special) library even inside a university.
    Stage("research", ("医院", "卫生院", "妇幼保健", "疾病预防控制")),
    # A school attached to a university or a normal college is still a school.
    Stage(
        "school",
        ("小学", "中学", "初中", "高中", "附中", "实验学校", "九年一贯", "完全学校"),
    ),
    Stage(
        "school",
        ("职业学校", "职业技术学校", "职业中专", "中等专业学校", "中专", "技工学校"),
    ),
    Stage("academic", ("大学", "高等专科学校", "职业技术学院", "职业学院", "高职")),
    # Before 学院: 科学院 and 行政学院 contain it but are no colleges.
    Stage(
        "research",
        (
            *("科学院", "研究院", "研究所", "研究中心", "文献情报", "情报中心"),
            *("科技信息", "信息研究", "党校", "行政学院", "社会主义学院", "干部学院"),
            *("党建图书馆", "部图书馆", "天文台", "植物园", "实验室"),
            *("公司", "集团", "企业", "有限", "股份", "工厂", "银行"),
            *("法院", "检察院", "政协", "局图书馆", "厅图书馆", "委图书馆"),
        ),
    ),
    Stage("academic", ("学院", "高校", "专科学校", "技师学院")),
    # 社区图书室 and 农家书屋 are public; a bare 图书室 is most often a school's.
    Stage(
        "public",
        (
            *("社区", "街道", "乡镇", "居民委员会", "村民委员会", "居委会", "村委会"),
            *("农家书屋", "村图书", "职工书屋"),
        ),
    ),
    Stage("school", ("学校", "图书室", "幼儿园")),
    # Weak: 国家科学图书馆兰州分馆 is a research library whatever 分馆 suggests.
    Stage(
        "public",
        (
            *("国家图书馆", "省图书馆", "市图书馆", "县图书馆", "区图书馆"),
            *("少年儿童图书馆", "少儿图书馆", "分馆", "总馆", "城市书房"),
        ),
        weak=True,
    ),
    # Last resort: a 图书馆 (or reading room) with no other word is a public library.
    Stage(
        "public",
        ("图书馆", "书房", "书屋", "书院", "阅读空间", "阅览室", "文化馆", "文化站"),
        weak=True,
    ),
)
# Words that contain a stage's word without meaning it: 东部图书馆 is no ministry's.
_MASK = re.compile(r"[东西南北中]部|本部|分部|北部湾")


@dataclass(frozen=True)
class KindFinding:
    """A library_type code (or None) and the word that decided it."""

    code: str | None
    reason: str
    weak: bool = False


@lru_cache(maxsize=32)
def stages(dimension: Dimension) -> tuple[Stage, ...]:
    """The curated stages with the codebook's indicators merged in.

    Codes the codebook lacks drop out; indicators join the last strong stage of
    their code (or its first weak one); codes only the codebook knows get a stage
    just before the weak ones.
    """
    codes = {code.key: code for code in dimension.codes if not code.retired}
    result = [stage for stage in STAGES if stage.code in codes]
    target: dict[str, int] = {}
    for i, stage in enumerate(result):
        if not stage.weak or stage.code not in target:
            target[stage.code] = i
    known = {word for stage in result for word in stage.words}
    extra: list[Stage] = []
    for key, code in codes.items():
        new = tuple(
            dict.fromkeys(k for k in map(match_key, code.indicators) if k not in known)
        )
        if new and key in target:
            old = result[target[key]]
            result[target[key]] = replace(old, words=old.words + new)
        elif new:
            extra.append(Stage(key, new))
    strong = [stage for stage in result if not stage.weak]
    weak = [stage for stage in result if stage.weak]
    return (*strong, *extra, *weak)


def kind_of(name_key: str, dimension: Dimension) -> KindFinding:
    """The library_type the words of a name (a match key) point to."""
    text = _MASK.sub("□", name_key)
    for stage in stages(dimension):
        for word in stage.words:
            if word and word in text:
                why = f"the word {word} in the name"
                return KindFinding(stage.code, why, weak=stage.weak)
    return KindFinding(None, "no word in the name tells the kind of library")
