"""Readers for the shared news corpora (``../shared/data/news``).

Used by training and evaluation only, never at inference time. Each document
gets a stable ``(corpus, doc_id)`` key that the standoff label records refer to,
and a ``group`` key that keeps related texts (an article and its machine
rewrites, which share a ``pair_id``) on the same side of the train/test split.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

DEFAULT_SHARED = Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))

CORPORA = (
    "bbc_fulltext",
    "reuters21578",
    "xsum_human",
    "xsum_machine",
    "llmfake_human",
    "llmfake_machine",
    "jornada",
    "press_releases",
    "opinions",
    "opinions_ai_flagged",
)

TEST_PERCENT = 20  # share of groups held out for evaluation


@dataclass
class Doc:
    corpus: str
    doc_id: str
    group: str
    text: str
    meta: dict = field(default_factory=dict)


def split_of(group: str) -> str:
    """Deterministic train/test assignment of a document group (by hash)."""
    h = int(hashlib.sha1(group.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 100 < TEST_PERCENT else "train"


def _jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _csv_rows(path: Path) -> Iterator[dict]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def iter_docs(corpus: str, shared: Path | None = None) -> Iterator[Doc]:
    news = Path(shared or DEFAULT_SHARED) / "data" / "news"
    if corpus == "bbc_fulltext":
        for r in _jsonl(news / "bbc_fulltext" / "bbc_fulltext.jsonl"):
            text = r["text"]
            yield Doc(corpus, r["id"], r["id"], text, {"category": r.get("category"), "title": r.get("title")})
    elif corpus == "reuters21578":
        for r in _jsonl(news / "reuters21578" / "reuters21578.jsonl"):
            yield Doc(corpus, str(r["id"]), str(r["id"]), r["text"], {"title": r.get("title")})
    elif corpus == "xsum_human":
        for r in _jsonl(news / "xsum_llm_pairs" / "human.jsonl"):
            yield Doc(corpus, r["id"], "xsum:" + r["pair_id"], r["text"], {"pair_id": r["pair_id"]})
    elif corpus == "xsum_machine":
        for r in _jsonl(news / "xsum_llm_pairs" / "machine.jsonl"):
            yield Doc(corpus, r["id"], "xsum:" + r["pair_id"], r["text"],
                      {"pair_id": r["pair_id"], "model": r.get("model"), "task": r.get("task")})
    elif corpus == "llmfake_human":
        for r in _jsonl(news / "llmfake_misinformation" / "human.jsonl"):
            pid = f"{r['dataset']}:{r['news_id']}"
            yield Doc(corpus, r["id"], "llmfake:" + pid, r["text"], {"dataset": r["dataset"], "pair_id": pid})
    elif corpus == "llmfake_machine":
        for r in _jsonl(news / "llmfake_misinformation" / "machine.jsonl"):
            pid = r.get("pair_id") or f"{r['dataset']}:{r['news_id']}"
            yield Doc(corpus, r["id"], "llmfake:" + str(pid), r["text"],
                      {"dataset": r["dataset"], "pair_id": pid, "model": r.get("model"), "method": r.get("method"),
                       "n_words": r.get("n_words"), "refusal_like": r.get("refusal_like")})
    elif corpus == "jornada":
        for r in _jsonl(news / "jornada_seed_to_article_en" / "seeds_and_generations.jsonl"):
            g = f"jornada:{r['pair_id']}"
            yield Doc(corpus, f"jornada_{r['pair_id']}_seed", g, r["human_seed_text"], {"model": "human"})
            for model, text in (r.get("generations") or {}).items():
                yield Doc(corpus, f"jornada_{r['pair_id']}_{model}", g, text, {"model": model})
    elif corpus == "press_releases":
        for r in _jsonl(news / "campaign_press_releases_2016" / "press_releases.jsonl"):
            yield Doc(corpus, r["id"], r["id"], r["text"], {"campaign": r.get("campaign")})
    elif corpus == "opinions":
        for p in sorted((news / "echoes_of_automation_opinions" / "opinions").glob("*.csv")):
            for r in _csv_rows(p):
                did = f"{p.stem}/{r['File']}"
                yield Doc(corpus, did, did, r["inputText"], {})
    elif corpus == "opinions_ai_flagged":
        for r in _csv_rows(news / "echoes_of_automation_opinions" / "ai_majority_articles.csv"):
            yield Doc(corpus, r["File"], r["File"], r["inputText"], {})
    else:
        raise ValueError(f"unknown corpus {corpus!r}; expected one of {', '.join(CORPORA)}")


def load_index(corpora, shared: Path | None = None) -> dict[tuple[str, str], Doc]:
    """Load the named corpora into a ``{(corpus, doc_id): Doc}`` dict."""
    out = {}
    for c in corpora:
        for d in iter_docs(c, shared):
            out[(d.corpus, d.doc_id)] = d
    return out
