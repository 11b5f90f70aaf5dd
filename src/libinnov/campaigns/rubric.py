"""The review rubric: the criteria experts score, their weights and scales.

Keys are stable ASCII ids (``innovation``); labels are for people and may be
edited freely. The default is the rubric Chinese case contests use: 创新性 ·
可操作性 · 可持续性 · 成效与价值 · 示范推广性, each scored 1-10 with equal weight.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from libinnov.campaigns._values import is_blank, number, relocated
from libinnov.exceptions import CampaignError, UnreadableFile
from libinnov.text.normalise import match_key

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = ("key", "label_zh", "label_en", "weight", "low", "high")


@dataclass(frozen=True)
class Criterion:
    """One thing reviewers score, on the whole-number scale ``low``..``high``."""

    key: str
    label_zh: str
    label_en: str
    weight: float = 1.0
    low: int = 1
    high: int = 10

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise CampaignError(
                "key '%(key)s' must be lower-case ASCII letters, digits and _ "
                "(labels carry the Chinese name)",
                field="key",
                key=self.key,
            )
        if not (math.isfinite(self.weight) and self.weight > 0):
            raise CampaignError(
                "weight of '%(key)s' must be above 0, not %(weight)s",
                field="weight",
                key=self.key,
                weight=self.weight,
            )
        if not self.low < self.high:
            raise CampaignError(
                "scale of '%(key)s' must go up: low %(low)s is not below high %(high)s",
                field="low",
                key=self.key,
                low=self.low,
                high=self.high,
            )

    def label(self, lang: str = "zh") -> str:
        """The label people read, in Chinese unless ``lang`` is ``"en"``."""
        return self.label_en if lang == "en" else self.label_zh


_DEFAULT = (
    Criterion("innovation", "创新性", "Innovation"),
    Criterion("feasibility", "可操作性", "Feasibility"),
    Criterion("sustainability", "可持续性", "Sustainability"),
    Criterion("results", "成效与价值", "Results and value"),
    Criterion("transferability", "示范推广性", "Transferability"),
)


@dataclass(frozen=True)
class Rubric:
    """The criteria of one campaign, in the order reviewers see them."""

    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        if not self.criteria:
            raise CampaignError("a rubric needs at least one criterion")
        owners: dict[str, str] = {}
        seen: set[str] = set()
        for row, criterion in enumerate(self.criteria, start=1):
            if criterion.key in seen:
                raise CampaignError(
                    "criterion '%(key)s' appears twice",
                    row=row,
                    field="key",
                    key=criterion.key,
                )
            seen.add(criterion.key)
            # Keys and labels share one namespace: a column headed 创新性 or
            # innovation must name exactly one criterion.
            names = {criterion.label_zh: "label_zh", criterion.label_en: "label_en"}
            for name, field in {criterion.key: "key", **names}.items():
                other = owners.setdefault(match_key(name), criterion.key)
                if other != criterion.key:
                    raise CampaignError(
                        "'%(name)s' names both '%(other)s' and '%(key)s'",
                        row=row,
                        field=field,
                        name=name,
                        other=other,
                        key=criterion.key,
                    )

    @classmethod
    def default(cls) -> Rubric:
        """The five criteria of Chinese case contests, weight 1, scored 1-10."""
        return cls(_DEFAULT)

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, where: str = ""
    ) -> Rubric:
        """Build and check a rubric from plain records (a YAML file or a web form).

        ``where`` names the source in errors; each error names the criterion's row
        (counting from 1) and the field.

        >>> Rubric.from_records([{"key": "innovation", "label_zh": "创新性"}]).keys
        ('innovation',)
        """
        criteria: list[Criterion] = []
        for row, record in enumerate(records, start=1):
            try:
                criteria.append(_criterion(record))
            except CampaignError as exc:
                raise relocated(exc, file=where or None, row=row) from None
        try:
            return cls(tuple(criteria))
        except CampaignError as exc:
            raise relocated(exc, file=where or None) from None

    def to_records(self) -> list[dict[str, Any]]:
        """Plain JSON-able records that :meth:`from_records` reads back unchanged."""
        return [
            {
                "key": c.key,
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "weight": c.weight,
                "low": c.low,
                "high": c.high,
            }
            for c in self.criteria
        ]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def scale(self) -> tuple[float, float]:
        """The lowest and highest weighted total a review can reach."""
        lows = {c.key: float(c.low) for c in self.criteria}
        highs = {c.key: float(c.high) for c in self.criteria}
        return self.total(lows), self.total(highs)

    @cached_property
    def _names(self) -> dict[str, Criterion]:
        names: dict[str, Criterion] = {}
        for c in self.criteria:
            for name in (c.key, c.label_zh, c.label_en):
                names[match_key(name)] = c
        return names

    def criterion(self, key_or_label: str) -> Criterion:
        """The criterion a key or a zh/en label names, however it is typed."""
        found = self._names.get(match_key(str(key_or_label)))
        if found is None:
            known = "、".join(f"{c.label_zh} ({c.key})" for c in self.criteria)
            raise CampaignError(
                "unknown criterion '%(name)s' (known: %(known)s)",
                field=str(key_or_label),
                name=key_or_label,
                known=known,
            )
        return found

    def validate_scores(
        self, scores: Mapping[str, Any], *, where: str = ""
    ) -> dict[str, float]:
        """Check one review's scores and return them by key, in rubric order.

        Every criterion needs a score within its scale; scores may be typed with
        full-width digits (``８．５``). Errors name the criterion's key as the field.
        """
        given: dict[str, Any] = {}
        for name, value in scores.items():
            try:
                key = self.criterion(name).key
            except CampaignError as exc:
                raise relocated(exc, file=where or None) from None
            if key in given:
                raise CampaignError(
                    "two scores for '%(key)s'", file=where or None, field=key, key=key
                )
            given[key] = value
        return {c.key: _score(c, given.get(c.key), where) for c in self.criteria}

    def total(self, scores: Mapping[str, float]) -> float:
        """The weighted mean, so a total reads on the scale reviewers used (1-10)."""
        weights = sum(c.weight for c in self.criteria)
        return sum(c.weight * float(scores[c.key]) for c in self.criteria) / weights


def _score(criterion: Criterion, value: Any, where: str) -> float:
    location: dict[str, Any] = {"file": where or None, "field": criterion.key}
    if is_blank(value):
        raise CampaignError(
            "no score for %(label)s (%(key)s)",
            label=criterion.label_zh,
            key=criterion.key,
            **location,
        )
    try:
        score = number(value)
    except CampaignError as exc:
        raise relocated(exc, **location) from None
    if not criterion.low <= score <= criterion.high:
        raise CampaignError(
            "%(score)s is outside %(low)s-%(high)s for %(label)s (%(key)s)",
            score=f"{score:g}",
            low=criterion.low,
            high=criterion.high,
            label=criterion.label_zh,
            key=criterion.key,
            **location,
        )
    return score


def _whole(value: Any, field: str) -> int:
    try:
        result = number(value)
    except CampaignError as exc:
        raise relocated(exc, field=field) from None
    if not result.is_integer():
        raise CampaignError(
            "%(field)s must be a whole number, not %(value)s", field=field, value=value
        )
    return int(result)


def _criterion(record: Mapping[str, Any]) -> Criterion:
    if not isinstance(record, Mapping):
        raise CampaignError("each criterion must be a mapping of key, labels, weight")
    unknown = [str(k) for k in record if k not in _FIELDS]
    if unknown:
        raise CampaignError(
            "unknown field (use %(known)s)", field=unknown[0], known=", ".join(_FIELDS)
        )
    if is_blank(record.get("key")):
        raise CampaignError("a criterion needs a key", field="key")
    key = str(record["key"]).strip()
    label_en = "" if is_blank(record.get("label_en")) else str(record["label_en"])
    label_zh = "" if is_blank(record.get("label_zh")) else str(record["label_zh"])
    weight = record.get("weight", 1.0)
    try:
        weight_value = 1.0 if is_blank(weight) else number(weight)
    except CampaignError as exc:
        raise relocated(exc, field="weight") from None
    low, high = record.get("low"), record.get("high")
    return Criterion(
        key=key,
        label_zh=label_zh.strip() or label_en.strip() or key,
        label_en=label_en.strip() or key,
        weight=weight_value,
        low=1 if is_blank(low) else _whole(low, "low"),
        high=10 if is_blank(high) else _whole(high, "high"),
    )


def load_rubric(path: str | Path) -> Rubric:
    """Read a rubric from YAML or JSON: a list of criteria or ``{"criteria": [...]}``.

    The file :func:`save_rubric` writes is the starting point to edit.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UnreadableFile("no such file", file=path) from None
    except OSError as exc:
        raise UnreadableFile(
            "%(reason)s", file=path, reason=str(exc.strerror or exc)
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFile("a rubric file must be UTF-8", file=path) from None
    data = _parse(text, path)
    if isinstance(data, Mapping) and "criteria" in data:
        data = data["criteria"]
    if not isinstance(data, list):
        raise CampaignError(
            "a rubric file holds a list of criteria (or criteria: [...])", file=path
        )
    return Rubric.from_records(data, where=str(path))


def _parse(text: str, path: Path) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CampaignError(
                "bad JSON (%(reason)s)", file=path, line=exc.lineno, reason=exc.msg
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CampaignError(
            "not valid YAML",
            file=path,
            line=mark.line + 1 if mark is not None else None,
        ) from None


_YAML_HEADER = (
    "# libinnov review rubric: edit labels, weight and the low-high scale; keep keys.\n"
    "# 评审细则：可修改名称 label、权重 weight 和分值范围 low-high；key 请勿修改。\n"
)


def save_rubric(rubric: Rubric, path: str | Path) -> None:
    """Write the rubric as YAML (or JSON for a ``.json`` path), atomically."""
    from libinnov.codebook.io import atomic_write_bytes

    path = Path(path)
    records = {"criteria": rubric.to_records()}
    if path.suffix.lower() == ".json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    else:
        body = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
        text = _YAML_HEADER + body
    atomic_write_bytes(path, text.encode("utf-8"))
