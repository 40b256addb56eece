"""Segmentation: text -> sentence units with character offsets.

Every unit carries ``start``/``end`` so that ``text[start:end]`` is exactly the
sentence. Paragraphs (blank lines) and single lines that look like headings or
list items are kept as their own units; inside a block, sentences come from
pysbd, a maintained rule-based segmenter that handles abbreviations ("U.S."),
decimals and money ("$4.1bn", "3.5%") and quotations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# pysbd is roughly linear but slow on huge unpunctuated runs; blocks longer than
# this are cut at whitespace before segmentation so a 5 MB file stays tractable.
MAX_BLOCK_CHARS = 20_000

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n+|\n(?=[ \t]*(?:#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s))")
_LINE_BREAK = re.compile(r"\n")


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _blocks(text: str):
    """Yield (start, end) spans of paragraph-like blocks."""
    pos = 0
    for m in _BLOCK_SPLIT.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _lines_if_short(text: str, start: int, end: int):
    """A block whose lines carry no sentence-final punctuation (a heading above a
    paragraph, a table row, a dateline) is split at newlines; otherwise a newline
    inside a block is just wrapping."""
    block = text[start:end]
    if "\n" not in block:
        yield start, end
        return
    lines = []
    pos = start
    for m in _LINE_BREAK.finditer(block):
        lines.append((pos, start + m.start()))
        pos = start + m.end()
    lines.append((pos, end))
    # wrapped prose: most lines do not end a sentence -> keep as one block
    enders = sum(1 for s, e in lines if text[s:e].rstrip().endswith((".", "!", "?", '"', "”", ":")))
    short = sum(1 for s, e in lines if len(text[s:e].split()) <= 12)
    if short >= len(lines) - 1 or enders >= len(lines) - 1:
        yield from lines
    else:
        yield start, end


def _chunks(start: int, end: int, text: str):
    """Cut an over-long block at whitespace into pieces of at most MAX_BLOCK_CHARS."""
    while end - start > MAX_BLOCK_CHARS:
        cut = text.rfind(" ", start + MAX_BLOCK_CHARS // 2, start + MAX_BLOCK_CHARS)
        if cut <= start:
            cut = start + MAX_BLOCK_CHARS
        yield start, cut
        start = cut
    yield start, end


def split_sentences(text: str) -> list[Unit]:
    """Split ``text`` into sentence units with exact character offsets."""
    units: list[Unit] = []
    seg = _segmenter()
    for bs, be in _blocks(text):
        for ls, le in _lines_if_short(text, bs, be):
            for cs, ce in _chunks(ls, le, text):
                chunk = text[cs:ce]
                if not chunk.strip():
                    continue
                cursor = 0
                for piece in seg.segment(chunk):
                    p = piece.strip()
                    if not p:
                        continue
                    i = chunk.find(p, cursor)
                    if i < 0:  # segmenter altered the text; fall back to the rest of the chunk
                        i = cursor + (len(chunk[cursor:]) - len(chunk[cursor:].lstrip()))
                        p = chunk[i:].rstrip()
                    s, e = cs + i, cs + i + len(p)
                    cursor = i + len(p)
                    units.append(Unit(s, e, text[s:e]))
                # anything the segmenter dropped at the end of the chunk
                rest = chunk[cursor:]
                if rest.strip():
                    i = cursor + (len(rest) - len(rest.lstrip()))
                    s, e = cs + i, cs + len(chunk.rstrip())
                    units.append(Unit(s, e, text[s:e]))
    return _merge_fragments(units, text)


_ABBREV_TAIL = re.compile(r"\b(?:[A-Z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Maj|Capt|Sgt|No|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Inc|Corp|Co|Ltd|vs|approx)\.$")


def _merge_fragments(units: list[Unit], text: str) -> list[Unit]:
    """Undo splits pysbd sometimes makes after an abbreviation followed by a
    capitalised word in the same line ("the U.S. | Senate voted")."""
    out: list[Unit] = []
    for u in units:
        if out:
            prev = out[-1]
            gap = text[prev.end:u.start]
            if "\n" not in gap and _ABBREV_TAIL.search(prev.text) and u.text[:1].isalnum():
                # only merge when the previous unit is not itself a complete sentence
                head = prev.text.rsplit(" ", 1)[-1]
                if len(head) <= 5 and not _looks_sentence_final(prev.text):
                    out[-1] = Unit(prev.start, u.end, text[prev.start:u.end])
                    continue
        out.append(u)
    return out


def _looks_sentence_final(s: str) -> bool:
    # "... in the U.S." ending a sentence: heuristically, a sentence ending in an
    # abbreviation that is preceded by a preposition/article is final.
    words = s.split()
    return len(words) >= 2 and words[-2].lower() in {"the", "in", "of", "to", "from", "at", "and", "for"}
