"""The ensemble coder: codebook rules plus trained classifiers, with evidence.

For every coded dimension it blends the classifier's calibrated probability with the
strength of the indicator terms found, picks per-code thresholds on out-of-fold
scores, and keeps the sentences that justify each code, so a human checks rather
than re-reads. Codes too rare to learn fall back to the indicator terms alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from libinnov import __version__
from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook, Dimension
from libinnov.coding.document import Document, prepare
from libinnov.coding.estimators import DimensionClassifier, best_threshold
from libinnov.coding.keywords import RuleHits, match_dimension
from libinnov.coding.rules import dominant_or_comprehensive
from libinnov.exceptions import ModelError

#: Weight of the classifier against the indicator terms where both speak.
MODEL_WEIGHT = 0.7
#: Below this confidence a dimension is flagged for a human to check.
REVIEW_BELOW = 0.5
RULE_THRESHOLD = 0.34
EVIDENCE_PER_CODE = 2


@dataclass(frozen=True)
class DimensionResult:
    codes: list[str]
    confidence: dict[str, float]
    evidence: dict[str, list[str]]
    needs_review: bool


@dataclass
class CodingModel:
    """Trained coders for a codebook's coded dimensions, plus the ensemble settings."""

    codebook: Codebook
    classifiers: dict[str, DimensionClassifier] = field(default_factory=dict)
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    rare: dict[str, list[str]] = field(default_factory=dict)
    name: str = "tfidf_lr"
    trained_on: int = 0
    fingerprint: str = ""
    version: str = __version__

    @property
    def label(self) -> str:
        """Provenance tag for code assignments, e.g. ``model:tfidf_lr@2024.1``."""
        return f"model:{self.name}@{self.codebook.version}"

    # -- training ---------------------------------------------------------------

    @classmethod
    def train(
        cls,
        cases: Sequence[Case],
        codebook: Codebook,
        *,
        random_state: int = 0,
        documents: Sequence[Document] | None = None,
    ) -> CodingModel:
        """Fit one classifier per coded dimension on the cases that carry it."""
        docs = (
            list(documents)
            if documents is not None
            else [prepare(c.text) for c in cases]
        )
        model = cls(
            codebook=codebook, trained_on=len(cases), fingerprint=codebook.fingerprint
        )
        for dim in codebook.coded_dimensions:
            if dim.rule:
                continue
            rows = [
                i
                for i, c in enumerate(cases)
                if dim.key in c.codes and not docs[i].is_empty
            ]
            if len(rows) < 8:
                model.rare[dim.key] = list(dim.code_keys)
                continue
            labels: list[Any] = [cases[i].codes[dim.key] for i in rows]
            clf = DimensionClassifier(multi=dim.is_multi, random_state=random_state)
            clf.fit([docs[i] for i in rows], labels)
            model.classifiers[dim.key] = clf
            model.rare[dim.key] = [
                c
                for c in dim.code_keys
                if c in clf.rare_classes_ or c not in clf.classes_
            ]
            if dim.is_multi:
                model.thresholds[dim.key] = _blended_thresholds(
                    dim, clf, [docs[i] for i in rows], labels
                )
        rule_dim = _rule_dimension(codebook)
        if rule_dim is not None:
            rows = [i for i, c in enumerate(cases) if rule_dim.key in c.codes]
            labels_single: list[str] = [str(cases[i].codes[rule_dim.key]) for i in rows]
            if len(rows) >= 8 and len(set(labels_single)) > 1:
                clf = DimensionClassifier(multi=False, random_state=random_state)
                clf.fit([docs[i] for i in rows], labels_single)
                model.classifiers[rule_dim.key] = clf
        return model

    # -- coding -----------------------------------------------------------------

    def check_codebook(self, codebook: Codebook) -> None:
        if codebook.fingerprint != self.fingerprint:
            raise ModelError(
                f"this model was trained on codebook '{self.codebook.name}' version "
                f"{self.codebook.version}, whose dimensions or codes differ from "
                f"'{codebook.name}' version {codebook.version}; retrain it with "
                "`libinnov train`"
            )

    def code_documents(
        self, documents: Sequence[Document]
    ) -> list[dict[str, DimensionResult]]:
        """Code many texts: each classifier predicts for the whole batch at once."""
        filled = [i for i, d in enumerate(documents) if not d.is_empty]
        rows: list[dict[str, np.ndarray]] = [{} for _ in documents]
        for key, clf in self.classifiers.items():
            if not filled:
                break
            matrix = clf.predict_proba([documents[i] for i in filled])
            for position, index in enumerate(filled):
                rows[index][key] = matrix[position]
        return [self.code_document(d, rows[i]) for i, d in enumerate(documents)]

    def code_document(
        self, document: Document, probabilities: dict[str, np.ndarray] | None = None
    ) -> dict[str, DimensionResult]:
        """Codes, confidences and evidence for every coded dimension of one text."""
        if probabilities is None and not document.is_empty:
            return self.code_documents([document])[0]
        probabilities = probabilities or {}
        results: dict[str, DimensionResult] = {}
        for dim in self.codebook.coded_dimensions:
            if dim.rule:
                continue
            if document.is_empty:
                results[dim.key] = DimensionResult([], {}, {}, True)
                continue
            results[dim.key] = self._code_dimension(
                dim, document, probabilities.get(dim.key)
            )
        rule_dim = _rule_dimension(self.codebook)
        if rule_dim is not None:
            results[rule_dim.key] = self._code_rule_dimension(
                rule_dim, document, results, probabilities.get(rule_dim.key)
            )
        return results

    def _scores(
        self, dim: Dimension, document: Document, row: np.ndarray | None
    ) -> tuple[dict[str, float], dict[str, RuleHits]]:
        hits = match_dimension(dim, document)
        clf = self.classifiers.get(dim.key)
        probabilities: dict[str, float] = {}
        if clf is not None and row is not None:
            probabilities = {
                str(c): float(p)
                for c, p in zip(clf.classes_, row, strict=True)
                if not np.isnan(p)
            }
        scores = {
            code: _blend(probabilities.get(code), hits.get(code))
            for code in dim.code_keys
        }
        return scores, hits

    def _code_dimension(
        self, dim: Dimension, document: Document, row: np.ndarray | None
    ) -> DimensionResult:
        scores, hits = self._scores(dim, document, row)
        cuts = self.thresholds.get(dim.key, {})
        if dim.is_multi:
            chosen = [
                c for c in dim.code_keys if scores[c] >= cuts.get(c, RULE_THRESHOLD)
            ]
            if not chosen and not dim.allow_empty:
                chosen = [max(dim.code_keys, key=lambda c: scores[c])]
            confidence = {
                c: round(scores[c], 3) for c in dim.code_keys if scores[c] > 0
            }
            doubtful = any(
                abs(scores[c] - cuts.get(c, RULE_THRESHOLD)) < 0.1 for c in chosen
            )
            review = doubtful or (not chosen and not dim.allow_empty)
        else:
            total = sum(scores.values()) or 1.0
            normalised = {c: s / total for c, s in scores.items()}
            best = max(dim.code_keys, key=lambda c: normalised[c])
            chosen = [best]
            confidence = {c: round(v, 3) for c, v in normalised.items() if v > 0}
            review = normalised[best] < REVIEW_BELOW
        evidence = {c: self._evidence(dim, document, c, hits.get(c)) for c in chosen}
        return DimensionResult(
            chosen, confidence, {c: e for c, e in evidence.items() if e}, review
        )

    def _code_rule_dimension(
        self,
        dim: Dimension,
        document: Document,
        results: dict[str, DimensionResult],
        row: np.ndarray | None,
    ) -> DimensionResult:
        source = results.get(dim.rule_source or "")
        if document.is_empty or source is None:
            return DimensionResult([], {}, {}, True)
        clf = self.classifiers.get(dim.key)
        weights: dict[str, float] = dict(source.confidence)
        if clf is not None and row is not None:
            weights = {str(c): float(p) for c, p in zip(clf.classes_, row, strict=True)}
        code, sure = dominant_or_comprehensive(
            weights, source.codes, set(dim.code_keys)
        )
        evidence = (
            {code: source.evidence.get(code, [])} if code in source.evidence else {}
        )
        confidence = {k: round(v, 3) for k, v in weights.items() if v > 0.01}
        confidence[code] = round(max(sure, 0.0), 3)
        return DimensionResult([code], confidence, evidence, sure < REVIEW_BELOW / 2)

    def _evidence(
        self,
        dim: Dimension,
        document: Document,
        code: str,
        hits: RuleHits | None,
    ) -> list[str]:
        picked: list[int] = list(hits.sentences[:EVIDENCE_PER_CODE]) if hits else []
        clf = self.classifiers.get(dim.key)
        if len(picked) < EVIDENCE_PER_CODE and clf is not None:
            scores = clf.sentence_scores(document, code)
            for index in np.argsort(scores)[::-1]:
                if scores[index] <= 0 or len(picked) >= EVIDENCE_PER_CODE:
                    break
                if int(index) not in picked:
                    picked.append(int(index))
        return [document.sentences[i] for i in sorted(picked)]

    def code_case(self, case: Case, *, only_missing: bool = False) -> Case:
        return self.apply(case, prepare(case.text), only_missing=only_missing)

    def code_many(
        self, cases: Sequence[Case], *, only_missing: bool = False
    ) -> list[Case]:
        """Code a batch of cases (faster than one by one)."""
        documents = [prepare(c.text) for c in cases]
        results = self.code_documents(documents)
        return [
            self._merge(case, result, only_missing)
            for case, result in zip(cases, results, strict=True)
        ]

    def apply(
        self, case: Case, document: Document, *, only_missing: bool = False
    ) -> Case:
        return self._merge(case, self.code_document(document), only_missing)

    def _merge(
        self, case: Case, results: dict[str, DimensionResult], only_missing: bool
    ) -> Case:
        codes = dict(case.codes)
        confidence = {k: dict(v) for k, v in case.confidence.items()}
        evidence = {k: dict(v) for k, v in case.evidence.items()}
        review = list(case.needs_review)
        for key, result in results.items():
            if only_missing and key in case.codes:
                continue
            dim = self.codebook.dimension(key)
            codes[key] = (
                result.codes
                if dim.is_multi
                else (result.codes[0] if result.codes else None)
            )
            confidence[key] = result.confidence
            evidence[key] = result.evidence
            if result.needs_review and key not in review:
                review.append(key)
        return replace(
            case,
            codes=codes,
            confidence=confidence,
            evidence=evidence,
            needs_review=tuple(review),
        )

    # -- persistence ------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        import io

        import joblib

        from libinnov.codebook.io import atomic_write_bytes

        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        atomic_write_bytes(path, buffer.getvalue())

    @staticmethod
    def load(path: str | Path, codebook: Codebook | None = None) -> CodingModel:
        import joblib

        try:
            model = joblib.load(path)
        except FileNotFoundError as exc:
            raise ModelError("no such model file", file=path) from exc
        except Exception as exc:  # joblib/pickle raise many types for bad files
            raise ModelError(f"not a libinnov model ({exc})", file=path) from exc
        if not isinstance(model, CodingModel):
            raise ModelError("not a libinnov model", file=path)
        if codebook is not None:
            model.check_codebook(codebook)
        return model


def _rule_dimension(codebook: Codebook) -> Dimension | None:
    for dim in codebook.coded_dimensions:
        if (
            dim.rule == "comprehensive_or_dominant_focus"
            and dim.rule_source in codebook
        ):
            return dim
    return None


def _blend(probability: float | None, hits: RuleHits | None) -> float:
    strength = hits.strength if hits else 0.0
    if probability is None:
        return strength
    return MODEL_WEIGHT * probability + (1 - MODEL_WEIGHT) * strength


def _blended_thresholds(
    dim: Dimension, clf: DimensionClassifier, docs: list[Document], labels: list[Any]
) -> dict[str, float]:
    """Per-code cut-offs on out-of-fold blended scores (never on training fits)."""
    cuts: dict[str, float] = {}
    hits = [match_dimension(dim, d) for d in docs]
    for code in dim.code_keys:
        truth = np.array([code in row for row in labels])
        oof = clf.oof_scores_.get(code)
        blended = np.array(
            [
                _blend(None if oof is None else float(oof[i]), hits[i].get(code))
                for i in range(len(docs))
            ]
        )
        cuts[code] = best_threshold(blended, truth) if truth.any() else RULE_THRESHOLD
    return cuts


def sample_digest(cases: Iterable[Case]) -> str:
    digest = hashlib.sha1()
    for case in cases:
        digest.update(case.id.encode())
        digest.update(case.text.encode())
        digest.update(repr(sorted(case.codes.items())).encode())
    return digest.hexdigest()[:12]


def code_stream(
    cases: Iterable[Case],
    model: CodingModel,
    *,
    only_missing: bool = False,
    batch: int = 128,
) -> Iterator[Case]:
    """Code a stream in batches: memory stays flat, classifiers run vectorised."""
    chunk: list[Case] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) >= batch:
            yield from model.code_many(chunk, only_missing=only_missing)
            chunk = []
    if chunk:
        yield from model.code_many(chunk, only_missing=only_missing)
