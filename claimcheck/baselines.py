"""Baselines for ``claimcheck eval``: a lexicon rule, and slop-guard on article pairs.

The lexicon rule: a hedge cue makes a sentence ``speculative``; otherwise a
concrete anchor (number, money, percentage, date, quotation, attribution or a
name past the first word) makes it ``specific``; otherwise ``boilerplate``.
"""
from __future__ import annotations

from .evidence import concrete_anchors, hedge_cues
from .report import word_count


def lexicon_label(sentence: str) -> str:
    if hedge_cues(sentence):
        return "speculative"
    if concrete_anchors(sentence):
        return "specific"
    return "boilerplate"


def lexicon_article_score(sentences: list[str]) -> float | None:
    total = sum(word_count(s) for s in sentences)
    if not total:
        return None
    return 100.0 * sum(word_count(s) for s in sentences if lexicon_label(s) == "specific") / total


def slop_guard_score(text: str) -> float | None:
    """slop-guard's 0-100 score (higher = cleaner prose), or None if not installed."""
    try:
        from slop_guard import analyze_text
    except ImportError:
        return None
    return float(analyze_text(text)["score"])
