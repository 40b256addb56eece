"""Outputs: reports -> text (coloured on a terminal), json, jsonl, csv, md.

Writers stream: each record is written as soon as it is produced. JSON output is
one array written incrementally; JSONL is one object per line.
"""
from __future__ import annotations

import csv
import io
import json
from typing import IO, Any

from .labels import BOILERPLATE, LABELS, SPECIFIC, SPECULATIVE
from .report import ArticleReport

FORMATS = ("text", "json", "jsonl", "csv", "md")
COLORS = {SPECIFIC: "green", SPECULATIVE: "yellow", BOILERPLATE: "red"}
TAGS = {SPECIFIC: "SPEC", SPECULATIVE: "HEDG", BOILERPLATE: "FILL"}
CSV_FIELDS = ["key", "score", "band", "words", "sentences", *[f"n_{l}" for l in LABELS],
              *[f"share_{l}" for l in LABELS], "anchors", "anchor_density", "error", "reason", "warnings"]


def _style(s: str, color: bool, **kw) -> str:
    if not color:
        return s
    import click

    return click.style(s, **kw)


def _highlight(text: str, evidence, color: bool) -> str:
    if not evidence:
        return text
    out, pos = [], 0
    for e in sorted(evidence, key=lambda x: x["start"] if isinstance(x, dict) else x.start):
        s, t = (e["start"], e["end"]) if isinstance(e, dict) else (e.start, e.end)
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(_style(text[s:t], color, bold=True, underline=True) if color else f"[{text[s:t]}]")
        pos = t
    out.append(text[pos:])
    return "".join(out)


class Writer:
    """Base writer: ``write(report_dict)`` per record, ``close()`` at the end."""

    def __init__(self, out: IO[str], color: bool = False):
        self.out = out
        self.color = color
        self.n = 0

    def write(self, rec: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.out.flush()


class JsonlWriter(Writer):
    """One JSON object per line (jsonlines), flushed per record so results stream."""

    def __init__(self, out, color=False):
        super().__init__(out, color)
        import jsonlines

        self.w = jsonlines.Writer(out, flush=True, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    def write(self, rec):
        self.w.write(rec)
        self.n += 1


class JsonWriter(Writer):
    def write(self, rec):
        self.out.write(("[\n" if self.n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False, indent=2))
        self.n += 1

    def close(self):
        self.out.write("[]\n" if self.n == 0 else "\n]\n")
        self.out.flush()


class CsvWriter(Writer):
    """One row per article (``score``) or per sentence (``classify``)."""

    def __init__(self, out, color=False, fields=None):
        super().__init__(out, color)
        self.fields = fields or CSV_FIELDS
        self.w = csv.DictWriter(out, fieldnames=self.fields, extrasaction="ignore", lineterminator="\n")
        self.w.writeheader()

    def write(self, rec):
        if "probabilities" in rec and "counts" not in rec:  # a classified sentence
            row = {"id": rec.get("id"), "text": rec["text"], "label": rec["label"],
                   **{f"p_{l}": rec["probabilities"][l] for l in LABELS}}
        else:
            key = "path" if "path" in rec else "id"
            row = {"key": rec.get(key), "score": rec.get("score"), "band": rec.get("band"),
                   "words": rec.get("words"), "sentences": len(rec.get("sentences", [])),
                   "anchors": len(rec.get("anchors", [])), "anchor_density": rec.get("anchor_density"),
                   "error": rec.get("error"), "reason": rec.get("reason"),
                   "warnings": "; ".join(rec.get("warnings", []))}
            for l in LABELS:
                row[f"n_{l}"] = (rec.get("counts") or {}).get(l)
                row[f"share_{l}"] = (rec.get("word_shares") or {}).get(l)
        self.w.writerow(row)
        self.out.flush()
        self.n += 1


def _title(rec):
    key = "path" if "path" in rec else "id"
    return f"{key}: {rec.get(key)}"


class TextWriter(Writer):
    """A readable article view: each sentence tagged and coloured, evidence highlighted."""

    def write(self, rec):
        c, o = self.color, self.out
        if self.n:
            o.write("\n" + "─" * 72 + "\n")
        self.n += 1
        if "counts" not in rec and "probabilities" in rec:  # classify
            tag = _style(f"{rec['label']:<11}", c, fg=COLORS[rec["label"]], bold=True)
            o.write(f"{tag} {rec['probabilities'][rec['label']]:.2f}  {rec['text']}\n")
            return
        o.write(_style(_title(rec), c, bold=True) + "\n")
        if rec.get("error"):
            o.write(_style(f"error: {rec['error']}", c, fg="red") + "\n")
            return
        if rec.get("score") is None:
            o.write(f"score: n/a ({rec.get('reason')})\n")
        else:
            sc = _style(format(rec["score"], ".1f"), c, bold=True)
            o.write(f"score: {sc} / 100  ({rec['band']})   "
                    f"{rec['words']} words, {len(rec['sentences'])} sentences, "
                    f"{len(rec['anchors'])} anchors ({rec['anchor_density']:.1f} per 100 words)\n")
            sh = rec["word_shares"]
            o.write("words: " + "  ".join(
                _style(f"{l} {100 * sh[l]:.0f}%", c, fg=COLORS[l]) for l in LABELS) + "\n")
        for w in rec.get("warnings", []):
            o.write(_style(f"warning: {w}", c, fg="magenta") + "\n")
        o.write("\n")
        for s in rec["sentences"]:
            lab = s["label"]
            tag = _style(f"[{TAGS[lab]} {s['probabilities'][lab]:.2f}]", c, fg=COLORS[lab], bold=True)
            body = _highlight(s["text"], s["evidence"], c)
            if lab != SPECIFIC:
                body = _style(body, c, fg=COLORS[lab]) if c else body
            o.write(f"{tag} {body}\n")
        if rec.get("worst"):
            o.write("\nmost confident padding:\n")
            for w in rec["worst"][:3]:
                o.write(f"  - ({w['label']}, {w['confidence']:.2f}) {w['text']}\n")
        o.flush()

    def close(self):
        if self.n:
            self.out.write("\n" if not self.color else "")
            self.out.write(
                "legend: SPEC = specific (checkable), HEDG = speculative (hedged), FILL = boilerplate; "
                "[brackets]/underline = evidence\n")
        self.out.flush()


class MarkdownWriter(Writer):
    ICON = {SPECIFIC: "✅", SPECULATIVE: "❔", BOILERPLATE: "🟥"}

    def write(self, rec):
        o = self.out
        self.n += 1
        if "counts" not in rec and "probabilities" in rec:
            if self.n == 1:
                o.write("| label | p | sentence |\n|---|---|---|\n")
            cell = rec["text"].replace("|", "\\|")
            o.write(f"| {rec['label']} | {rec['probabilities'][rec['label']]:.2f} | {cell} |\n")
            return
        o.write(f"## {_title(rec)}\n\n")
        if rec.get("error"):
            o.write(f"**Error:** {rec['error']}\n\n")
            return
        if rec.get("score") is None:
            o.write(f"**Score:** n/a — {rec.get('reason')}\n\n")
        else:
            o.write(f"**Score: {rec['score']:.1f} / 100** ({rec['band']}) — {rec['words']} words, "
                    f"{len(rec['anchors'])} concrete anchors ({rec['anchor_density']:.1f} per 100 words)\n\n")
            o.write("| label | sentences | share of words |\n|---|---|---|\n")
            for l in LABELS:
                o.write(f"| {l} | {rec['counts'][l]} | {100 * rec['word_shares'][l]:.0f}% |\n")
            o.write("\n")
        for w in rec.get("warnings", []):
            o.write(f"> warning: {w}\n\n")
        for s in rec["sentences"]:
            body = s["text"]
            for e in sorted(s["evidence"], key=lambda x: -x["start"]):
                body = body[:e["start"]] + "**" + body[e["start"]:e["end"]] + "**" + body[e["end"]:]
            o.write(f"- {self.ICON[s['label']]} `{s['label']}` {s['probabilities'][s['label']]:.2f} — {body}\n")
        o.write("\n")
        o.flush()


def make_writer(fmt: str, out: IO[str], color: bool = False, sentences: bool = False) -> Writer:
    if fmt == "jsonl":
        return JsonlWriter(out)
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "csv":
        fields = ["id", "text", "label", *[f"p_{l}" for l in LABELS]] if sentences else None
        return CsvWriter(out, fields=fields)
    if fmt == "md":
        return MarkdownWriter(out)
    if fmt == "text":
        return TextWriter(out, color=color)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def render(reports: list[ArticleReport], fmt: str = "json") -> str:
    """Render reports to a string (convenience for the Python API)."""
    buf = io.StringIO()
    w = make_writer(fmt, buf)
    for r in reports:
        w.write(r.to_dict())
    w.close()
    return buf.getvalue()
