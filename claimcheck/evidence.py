"""Evidence: the spans inside a sentence that explain its label.

For ``speculative`` sentences these are hedge cues ("likely", "is expected to");
for ``specific`` sentences, concrete anchors: numbers, money, percentages, dates,
quotations, attributions ("X said") and capitalised names. The classifier
decides the label; evidence only points at the words a reader should look at.
Offsets are relative to the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEDGE_CUES = [
    r"(?:seems?|seemed|appears?|appeared) (?:highly |very |quite )?(?:likely|probable|possible|unlikely|to)",
    r"(?:is|are|was|were) (?:widely )?(?:expected|thought|believed|likely|set|poised|anticipated|rumou?red|understood) to",
    r"it (?:is|remains) (?:possible|likely|unclear|conceivable|plausible) (?:that|whether)?",
    r"it remains to be seen", r"only time will tell", r"(?:highly |quite |very )?(?:likely|unlikely|probable|probably|possibly|presumably|perhaps|maybe|arguably|potentially|conceivably|reportedly|allegedly|supposedly|apparently)",
    r"may(?: well)?", r"might", r"could(?: potentially)?", r"would", r"should", r"can be expected",
    r"suggests?|suggested|suggesting|indicates?|signal(?:s|ling|ing)?|hint(?:s|ed)? at",
    r"(?:analysts|experts|observers|critics|some|many|sources|insiders|officials) (?:believe|say|suggest|expect|speculate|predict|think|fear)",
    r"is (?:anticipated|projected|forecast) to", r"speculat(?:e|ed|ion|ive)", r"uncertain(?:ty)?",
    r"will likely|will probably|is poised to|could well|in the (?:coming|near) (?:future|months|weeks|years)",
]
_HEDGE = re.compile(r"\b(?:" + "|".join(HEDGE_CUES) + r")\b", re.IGNORECASE)

_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
ANCHOR_PATTERNS = [
    ("money", r"(?:[$£€¥]|US\$|USD ?|GBP ?|EUR ?)\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|m|k|mln|billion|million|trillion|thousand)\b)?"
              r"|\b\d[\d,]*(?:\.\d+)?\s?(?:mln|billion|million|bn|trillion)?\s?(?:dlrs|dollars|pounds|euros|yen|francs|marks|stg)\b"),
    ("percent", r"\b\d+(?:\.\d+)?\s?(?:%|per ?cent|percent|pct)(?!\w)"),
    ("date", rf"\b(?:{_DAYS}|{_MONTHS}\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)? {_MONTHS}(?: \d{{4}})?|{_MONTHS} \d{{4}}|(?:in|since|by|until|from|of) (?:1[89]|20)\d\d|(?:1[89]|20)\d\d)\b"),
    ("time", r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b\d{1,2}:\d{2}\b"),
    ("number", r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|mm|cm|km|kg|mph|ft|m|GW|MW|mln|billion|million|thousand|"
               r"years?|months?|weeks?|days?|hours?|minutes?|miles?|metres?|meters?|feet|tonnes?|tons?|people|times))?\b"),
    ("quote", r"[\"“][^\"”]{3,}[\"”]"),
    ("attribution", r"\b(?:said|says|told|announced|reported|confirmed|stated|wrote|according to|added|testified|ruled|voted|signed)\b"),
]
_ANCHORS = [(kind, re.compile(p)) for kind, p in ANCHOR_PATTERNS]
# Capitalised names: runs of capitalised words, not the sentence's first word alone.
_TOK = r"(?:(?:[A-Z]\.){2,}|[A-Z][a-zA-Z'’\-]+|[A-Z]\.)"
_NAME = re.compile(rf"\b{_TOK}(?:\s+(?:(?:of|de|van|von|al|the|and|&)\s+)?{_TOK})*")
_STOP_CAPS = {"The", "A", "An", "This", "That", "These", "Those", "It", "In", "On", "At", "As", "But", "And", "He", "She",
              "They", "We", "I", "Its", "His", "Her", "Their", "Our", "While", "With", "For", "If", "When", "However",
              "Meanwhile", "Moreover", "Furthermore", "Additionally", "Overall", "Such", "There", "Despite", "After",
              "Although", "Yet", "So", "Also", "By", "From", "To", "Of", "Many", "Some", "Both", "Each", "Title",
              "Date", "Insert", "Current", "Ultimately", "Furthermore", "Nevertheless", "Indeed", "Still"}


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    kind: str  # hedge | money | percent | date | time | number | quote | attribution | name

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}


def hedge_cues(sentence: str) -> list[Evidence]:
    return [Evidence(m.start(), m.end(), m.group(0), "hedge") for m in _HEDGE.finditer(sentence)]


def concrete_anchors(sentence: str) -> list[Evidence]:
    found: list[Evidence] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    for kind, rx in _ANCHORS:
        for m in rx.finditer(sentence):
            s, e = m.start(), m.end()
            if e > s and free(s, e):
                found.append(Evidence(s, e, sentence[s:e].strip(), kind))
                taken.append((s, e))
    for m in _NAME.finditer(sentence):
        s, e = m.start(), m.end()
        words = m.group(0).split()
        while words and words[0] in _STOP_CAPS:
            s += len(words[0]) + (sentence[s + len(words[0]):].find(words[1]) if len(words) > 1 else 0)
            words = words[1:]
        if not words:
            continue
        txt = sentence[s:e]
        at_start = not sentence[:s].strip(" \"“'‘(-")
        if at_start and len(words) == 1 and not (txt.isupper() or txt.endswith(("'s", "’s"))):
            continue  # a capitalised first word is usually just the start of the sentence
        if len(txt) < 2 or not free(s, e):
            continue
        found.append(Evidence(s, e, txt, "name"))
        taken.append((s, e))
    return sorted(found, key=lambda ev: ev.start)


def evidence_for(sentence: str, label: str) -> list[Evidence]:
    """Spans that explain ``label`` for ``sentence`` (empty for boilerplate)."""
    if label == "speculative":
        return hedge_cues(sentence)
    if label == "specific":
        return concrete_anchors(sentence)
    return []
