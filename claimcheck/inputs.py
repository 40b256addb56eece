"""Inputs: files, folders, JSONL records and stdin -> plain-text records.

Every input record yields exactly one :class:`Record`. A record that cannot be
read carries ``error`` instead of text (and is reported, never dropped).
``.md`` is rendered to plain text with markdown-it-py (headings and list items
become their own paragraphs); ``.html`` main text is extracted with trafilatura.
Character offsets in the results refer to the record's ``text``.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

TEXT_SUFFIXES = {".txt", ".text", ""}
MD_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FOLDER_SUFFIXES = TEXT_SUFFIXES - {""} | MD_SUFFIXES | HTML_SUFFIXES


class InputError(ValueError):
    """A usage-level input problem (a path that does not exist)."""


@dataclass
class Record:
    key: str                 # "id" or "path"
    ident: object
    text: str = ""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    source: str | None = None


# ---------------------------------------------------------------- decoding

def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head) > 0.10


def decode(data: bytes, where: str) -> tuple[str, list[str]]:
    """UTF-8 (with BOM) decoding; undecodable bytes become U+FFFD and are reported."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        n = text.count("\ufffd")
        return text, [f"{where}: {n} undecodable byte sequence(s) replaced with U+FFFD"]


# ---------------------------------------------------------------- converters

def markdown_to_text(md: str) -> str:
    """Plain text of a Markdown document: one paragraph per heading, paragraph,
    list item, table cell row or code block, separated by blank lines."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    blocks: list[str] = []
    row: list[str] = []
    in_row = False
    for t in tokens:
        if t.type == "tr_open":
            in_row, row = True, []
        elif t.type == "tr_close":
            in_row = False
            if any(c.strip() for c in row):
                blocks.append(" | ".join(c.strip() for c in row))
        elif t.type == "inline":
            text = _inline_text(t)
            if in_row:
                row.append(text)
            elif text.strip():
                blocks.append(text.strip())
        elif t.type in ("fence", "code_block"):
            if t.content.strip():
                blocks.append(t.content.strip())
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _inline_text(tok) -> str:
    parts = []
    for c in tok.children or []:
        if c.type in ("text", "code_inline", "html_inline"):
            parts.append(c.content if c.type != "html_inline" else "")
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif c.type == "image":
            parts.append(c.content or "")
    return " ".join("".join(parts).split())


def html_to_text(html: str, where: str) -> tuple[str, list[str]]:
    """Main text of an HTML page via trafilatura, paragraphs separated by blank lines."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=False,
                               deduplicate=False)
    warnings = []
    if not text or not text.strip():
        text = trafilatura.html2txt(html) or ""
        warnings.append(f"{where}: no main article text found; scored the page's full text")
    lines = [ln.strip() for ln in text.splitlines()]
    return "\n\n".join(ln for ln in lines if ln) + "\n", warnings


# ---------------------------------------------------------------- readers

def read_file(path: Path, label: str | None = None) -> Record:
    """Read one text/Markdown/HTML file into a record (never raises for content)."""
    label = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return Record("path", label, error=f"{label}: cannot read: {e.strerror or e}")
    return record_from_bytes(data, label, path.suffix.lower())


def record_from_bytes(data: bytes, label: str, suffix: str = "") -> Record:
    if _looks_binary(data):
        return Record("path", label, error=f"{label}: looks like a binary file, not text")
    text, warnings = decode(data, label)
    if suffix in MD_SUFFIXES:
        text = markdown_to_text(text)
    elif suffix in HTML_SUFFIXES:
        text, w = html_to_text(text, label)
        warnings += w
    return Record("path", label, text=text, warnings=warnings)


def iter_jsonl(stream: IO[bytes], where: str, text_field: str = "text", id_field: str = "id",
               start_line: int = 0) -> Iterator[Record]:
    """Records from a JSONL byte stream; one Record per non-blank line, errors included."""
    for lineno, raw in enumerate(stream, start=1):
        if lineno <= start_line:
            continue
        src = f"{where}:{lineno}"
        if not raw.strip():
            continue
        line, warnings = decode(raw, src)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield Record("id", None, error=f"{src}: malformed JSON: {e.msg} (column {e.colno})", source=src)
            continue
        if not isinstance(obj, dict):
            yield Record("id", None, error=f"{src}: expected a JSON object, got {type(obj).__name__}", source=src)
            continue
        ident = obj.get(id_field, src)
        if text_field not in obj:
            yield Record("id", ident, error=f"{src}: record has no {text_field!r} field", source=src)
            continue
        text = obj[text_field]
        if text is None:
            text = ""
        if not isinstance(text, str):
            yield Record("id", ident, error=f"{src}: field {text_field!r} is {type(text).__name__}, not a string",
                         source=src)
            continue
        yield Record("id", ident, text=text, warnings=warnings, source=src)


def expand_paths(paths: Iterable[str], suffixes=FOLDER_SUFFIXES) -> Iterator[str]:
    """Files in the order given; folders recursively (sorted), keeping known text suffixes."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and Path(f).suffix.lower() in suffixes:
                        yield str(Path(root) / f)
        elif path.exists():
            yield p
        else:
            raise InputError(f"no such file or folder: {p}")


def iter_records(paths: Iterable[str], jsonl: bool = False, text_field: str = "text", id_field: str = "id",
                 stdin: IO[bytes] | None = None) -> Iterator[Record]:
    """All records from ``paths`` (files, folders, ``-`` for stdin), in order."""
    paths = list(paths)
    for p in paths:  # fail fast on a missing path, before any output
        if p != "-" and not Path(p).exists():
            raise InputError(f"no such file or folder: {p}")
    for p in expand_paths(paths, JSONL_SUFFIXES if jsonl else FOLDER_SUFFIXES):
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            if jsonl:
                yield from iter_jsonl(stream, "<stdin>", text_field, id_field)
            else:
                yield record_from_bytes(stream.read(), "-")
        elif jsonl:
            with open(p, "rb") as f:
                yield from iter_jsonl(f, p, text_field, id_field)
        else:
            yield read_file(Path(p))
