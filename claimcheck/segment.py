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

    # pysbd builds ~1,300 distinct regexes (one per abbreviation pattern); Python's
    # default compiled-pattern cache (512) thrashes on them, which measured as over
    # half of segmentation time. A larger cache makes segmentation ~1.8x faster.
    if getattr(re, "_MAXCACHE", 0) < 4096:
        re._MAXCACHE = 4096

    return pysbd.Segmenter(language="en", clean=False)


def _blocks(text: str):
    """Yield (start, end) spans of paragraph-like blocks."""
    pos = 0
    for m in _BLOCK_SPLIT.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _lines(text: str, start: int, end: int):
    """Split a block at single newlines, except where a newline is just wrapping
    (the line does not end a sentence and the next line starts in lower case).
    Keeps a heading directly above its paragraph, datelines and table rows apart."""
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
    cur_s, cur_e = lines[0]
    for s, e in lines[1:]:
        prev = text[cur_s:cur_e].rstrip()
        nxt = text[s:e].lstrip()
        wrapped = prev and nxt and not prev.endswith((".", "!", "?", ":", '"', "”")) and (nxt[0].islower() or nxt[0] in ",;)")
        if wrapped or not prev:
            cur_e = e
        else:
            yield cur_s, cur_e
            cur_s, cur_e = s, e
    yield cur_s, cur_e


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
        for ls, le in _lines(text, bs, be):
            for cs, ce in _chunks(ls, le, text):
                # wrapped lines: a newline inside a unit is a space (same length, offsets hold)
                chunk = text[cs:ce].replace("\r", " ").replace("\n", " ")
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
    return _split_glued(_merge_fragments(units, text), text)


# Scraped text often loses the space after a full stop ("said that.But you can ...").
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?:[\"”’)]?)(?=[A-Z][a-z])|(?<=[a-z]{2}[.!?][\"”’])(?=[A-Z][a-z])")


def _split_glued(units: list[Unit], text: str) -> list[Unit]:
    out: list[Unit] = []
    for u in units:
        cuts = [m.end() for m in _GLUED.finditer(u.text)]
        if not cuts:
            out.append(u)
            continue
        pos = 0
        for c in cuts + [len(u.text)]:
            if c > pos:
                s, e = u.start + pos, u.start + c
                out.append(Unit(s, e, text[s:e]))
            pos = c
    return out


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
