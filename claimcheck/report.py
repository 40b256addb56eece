"""Report: sentence results -> article score, counts, anchors and the worst padding.

The score follows ANNOTATION.md: the share of the article's words that sit in
``specific`` sentences, each sentence weighted by its word count and by the
classifier's (calibrated) probability of ``specific``, on a 0-100 scale.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .evidence import Evidence
from .labels import BOILERPLATE, LABELS, SPECIFIC, SPECULATIVE

BANDS = ((85, "dense"), (60, "solid"), (40, "mixed"), (20, "thin"), (0, "hollow"))
WORST_N = 5


def band_for(score: float | None) -> str | None:
    """A word for the score: dense >=85, solid >=60, mixed >=40, thin >=20, hollow below."""
    if score is None:
        return None
    for floor, word in BANDS:
        if score >= floor:
            return word
    return BANDS[-1][1]


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class SentenceResult:
    text: str
    start: int
    end: int
    label: str
    probabilities: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    truncated: bool = False

    @property
    def words(self) -> int:
        return word_count(self.text)

    def to_dict(self) -> dict[str, Any]:
        d = {"text": self.text, "start": self.start, "end": self.end, "label": self.label,
             "probabilities": dict(self.probabilities), "evidence": [e.to_dict() for e in self.evidence]}
        if self.truncated:
            d["truncated"] = True
        return d


@dataclass
class ArticleReport:
    """One input record's result. ``key`` is ``"id"`` (records) or ``"path"`` (files)."""
    key: str
    ident: Any
    text: str = ""
    sentences: list[SentenceResult] = field(default_factory=list)
    score: float | None = None
    reason: str | None = None       # why score is null (empty text)
    error: str | None = None        # the record could not be read; nothing was scored
    warnings: list[str] = field(default_factory=list)
    source: str | None = None       # file:line for JSONL records

    @property
    def band(self) -> str | None:
        return band_for(self.score)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    def counts(self) -> dict[str, int]:
        c = {lab: 0 for lab in LABELS}
        for s in self.sentences:
            c[s.label] += 1
        return c

    def word_shares(self) -> dict[str, float]:
        total = self.words
        w = {lab: 0 for lab in LABELS}
        for s in self.sentences:
            w[s.label] += s.words
        return {lab: (round(v / total, 4) if total else 0.0) for lab, v in w.items()}

    def anchors(self) -> list[dict[str, str]]:
        """Distinct concrete anchors found in ``specific`` sentences, in order of appearance."""
        seen, out = set(), []
        for s in self.sentences:
            if s.label != SPECIFIC:
                continue
            for e in s.evidence:
                if e.kind == "attribution":
                    continue
                k = (e.kind, e.text.lower())
                if k not in seen:
                    seen.add(k)
                    out.append({"text": e.text, "kind": e.kind})
        return out

    def anchor_density(self) -> float:
        w = self.words
        return round(100.0 * len(self.anchors()) / w, 2) if w else 0.0

    def worst(self, n: int = WORST_N) -> list[dict[str, Any]]:
        """The most confidently non-specific sentences, most confident padding first."""
        pad = [(i, s) for i, s in enumerate(self.sentences) if s.label in (SPECULATIVE, BOILERPLATE)]
        pad.sort(key=lambda t: -t[1].probabilities[t[1].label])
        return [{"index": i, "text": s.text, "label": s.label, "confidence": s.probabilities[s.label],
                 "start": s.start, "end": s.end} for i, s in pad[:n]]

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {self.key: self.ident}
        if self.error is not None:
            d.update({"score": None, "band": None, "error": self.error})
            if self.source:
                d["source"] = self.source
            if self.warnings:
                d["warnings"] = list(self.warnings)
            return d
        d.update({
            "score": self.score,
            "band": self.band,
            "words": self.words,
            "counts": self.counts(),
            "word_shares": self.word_shares(),
            "anchors": self.anchors(),
            "anchor_density": self.anchor_density(),
            "worst": self.worst(),
            "sentences": [s.to_dict() for s in self.sentences],
        })
        if self.reason:
            d["reason"] = self.reason
        if self.warnings:
            d["warnings"] = list(self.warnings)
        if include_text:
            d["text"] = self.text
        return d


def article_score(sentences: list[SentenceResult]) -> float | None:
    """Word-weighted mean probability of ``specific``, times 100 (None if no words)."""
    total = sum(s.words for s in sentences)
    if total == 0:
        return None
    v = sum(s.words * s.probabilities[SPECIFIC] for s in sentences) / total
    return round(100.0 * v, 1)
