"""Pick whole documents from ../shared/data/news and write labelling batches.

Documents are drawn at random (fixed seed) per corpus, without looking at their
words, and every sentence of a chosen document goes into the batch. Each batch
file lists documents as numbered sentences; labellers return ``sid<TAB>label``
lines, which ``tools/collect_labels.py`` turns into standoff records.

    python tools/prepare_labelling.py --out /tmp/labelwork --batches 7
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from claimcheck.corpora import iter_docs
from claimcheck.segment import split_sentences

CHAT_CONT = {"gpt-3.5-turbo", "gpt-4", "claude-3-opus-20240229", "claude-3-sonnet-20240229", "gemini-1.5-pro"}

# Sampling strata: name -> (corpus, document filter). Filters look at metadata and length only,
# never at the words.
STRATA = {
    "bbc": ("bbc_fulltext", lambda d: True),
    "reuters": ("reuters21578", lambda d: len(d.text.split()) >= 100),
    "xsum_human": ("xsum_human", lambda d: True),
    "xsum_cont": ("xsum_machine", lambda d: d.meta["task"] == "continuation" and d.meta["model"] in CHAT_CONT),
    "xsum_rewrite": ("xsum_machine", lambda d: d.meta["task"] != "continuation"),
    "llmfake_open": ("llmfake_machine", lambda d: d.meta["method"] == "open_ended_generation"
        and d.meta["dataset"] != "coaid" and (d.meta["n_words"] or 0) >= 80 and not d.meta["refusal_like"]),
    "llmfake_rewrite": ("llmfake_machine", lambda d: d.meta["method"] in ("rewrite_generation", "paraphrase_generation", "hallucination")
        and d.meta["dataset"] != "coaid" and (d.meta["n_words"] or 0) >= 80 and not d.meta["refusal_like"]),
    "llmfake_human": ("llmfake_human", lambda d: d.meta["dataset"] != "coaid" and len(d.text.split()) >= 80),
    "jornada": ("jornada", lambda d: d.meta["model"] != "human" and len(d.text.split()) >= 80),
    "press": ("press_releases", lambda d: True),
    "opinions": ("opinions", lambda d: True),
    "opinions_ai": ("opinions_ai_flagged", lambda d: True),
    "llmfake_arbitrary": ("llmfake_machine", lambda d: d.meta["method"].startswith(("partially_arbitrary", "totally_arbitrary", "information_manipulation"))
        and (d.meta["n_words"] or 0) >= 80 and not d.meta["refusal_like"]),
}
# Each round: (stratum, target sentences).
PLAN = [
    ("bbc", 700),
    ("reuters", 450),
    ("xsum_human", 350),
    ("xsum_cont", 500),
    ("xsum_rewrite", 200),
    ("llmfake_open", 750),
    ("llmfake_rewrite", 200),
    ("llmfake_human", 250),
    ("jornada", 150),
    ("press", 350),
    ("opinions", 400),
    ("opinions_ai", 250),
]
# A second round, drawn after the first showed too few hedged sentences: more
# whole machine-written documents (still drawn at random, never by keyword).
PLAN_MACHINE = [
    ("llmfake_open", 700),
    ("xsum_cont", 350),
    ("llmfake_arbitrary", 250),
    ("opinions_ai", 250),
]
# Round three: the padded-seed cases (chat-model continuations of a 30-token
# XSum seed; LLMFake open-ended articles from a one-sentence seed).
PLAN_MACHINE2 = [
    ("xsum_cont", 700),
    ("llmfake_open", 900),
]
# Round four (seed 41, after the first model): a second, larger sample over the
# same strata, weighted to where speculative and boilerplate sentences occur and
# to the human sides of the evaluation pairs; again whole documents at random.
PLAN_ROUND4 = [
    ("llmfake_open", 700),
    ("xsum_cont", 550),
    ("llmfake_arbitrary", 350),
    ("bbc", 450),
    ("opinions", 400),
    ("opinions_ai", 250),
    ("xsum_human", 250),
    ("llmfake_human", 250),
    ("reuters", 150),
]
# Round five (seed 53): as round four, larger, after round four took little time.
PLAN_ROUND5 = [
    ("llmfake_open", 1100),
    ("xsum_cont", 800),
    ("llmfake_arbitrary", 400),
    ("bbc", 450),
    ("reuters", 200),
    ("opinions", 300),
    ("opinions_ai", 250),
    ("press", 200),
    ("xsum_rewrite", 150),
    ("llmfake_rewrite", 150),
]
# Round six (seed 67): weighted to the strata with the most held-out mistakes and the
# lowest accuracy (LLMFake generations and human sources, opinion pieces, La Jornada).
PLAN_ROUND6 = [
    ("llmfake_open", 1000),
    ("llmfake_human", 500),
    ("opinions", 600),
    ("opinions_ai", 300),
    ("jornada", 400),
    ("xsum_cont", 500),
    ("llmfake_arbitrary", 300),
    ("llmfake_rewrite", 200),
    ("bbc", 300),
    ("press", 200),
]
# Round seven (seed 79): round six took little time, so a second draw over the strata
# that still have unlabelled documents (XSum chat continuations and La Jornada are used up).
PLAN_ROUND7 = [
    ("llmfake_open", 1200),
    ("llmfake_human", 500),
    ("opinions", 600),
    ("opinions_ai", 300),
    ("llmfake_arbitrary", 400),
    ("llmfake_rewrite", 300),
    ("xsum_rewrite", 200),
    ("bbc", 300),
    ("reuters", 200),
]
# Round eight (seed 97): a third draw of the same kind, larger, after rounds six and seven
# improved the held-out figures (see models/README.md).
PLAN_ROUND8 = [
    ("llmfake_open", 1400),
    ("opinions", 900),
    ("llmfake_human", 600),
    ("llmfake_arbitrary", 500),
    ("llmfake_rewrite", 300),
    ("opinions_ai", 300),
    ("xsum_rewrite", 200),
    ("bbc", 500),
    ("press", 300),
    ("reuters", 200),
]
# Round nine (seed 109, after the data folders of rounds one to eight were gone: earlier
# documents are skipped by reading data/labels/news.jsonl): larger again, weighted to the
# LLMFake generations that hold most `speculative` sentences and to the human sides of the pairs.
PLAN_ROUND9 = [
    ("llmfake_open", 2200),
    ("opinions", 1000),
    ("llmfake_human", 900),
    ("llmfake_arbitrary", 700),
    ("llmfake_rewrite", 600),
    ("bbc", 600),
    ("press", 400),
    ("xsum_rewrite", 300),
    ("xsum_human", 300),
    ("opinions_ai", 300),
    ("reuters", 300),
]
# Round ten (seed 113): round nine took minutes, so a larger draw before the next training
# run: the rest of the LLMFake open-ended generations (the richest source of `speculative`),
# more of the other machine-written strata, and the human sides of the pairs.
PLAN_ROUND10 = [
    ("llmfake_open", 6000),
    ("llmfake_arbitrary", 2000),
    ("llmfake_rewrite", 1500),
    ("opinions", 1500),
    ("llmfake_human", 1200),
    ("bbc", 800),
    ("xsum_rewrite", 500),
    ("press", 400),
    ("xsum_human", 400),
    ("reuters", 400),
    ("opinions_ai", 200),
]
# Round eleven (seed 127): what remains of the LLMFake open-ended generations, and more of the
# other machine-written strata, opinion pieces and LLMFake human sources.
PLAN_ROUND11 = [
    ("llmfake_open", 3000),
    ("llmfake_arbitrary", 2500),
    ("llmfake_rewrite", 2000),
    ("opinions", 1500),
    ("llmfake_human", 1200),
    ("xsum_rewrite", 600),
    ("bbc", 500),
    ("opinions_ai", 300),
    ("press", 300),
]
ROUNDS = {"first": PLAN, "machine": PLAN_MACHINE, "machine2": PLAN_MACHINE2, "machine3": PLAN_MACHINE2,
          "r4": PLAN_ROUND4, "r5": PLAN_ROUND5, "r6": PLAN_ROUND6, "r7": PLAN_ROUND7, "r8": PLAN_ROUND8, "r9": PLAN_ROUND9, "r10": PLAN_ROUND10, "r11": PLAN_ROUND11}
# rounds whose batches come with an independent second pass on ~10% of their documents
# (rounds two and three got theirs later, with --round second)
WITH_SECOND_PASS = {"first", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"}
LABELLED = Path(__file__).resolve().parent.parent / "data" / "labels" / "news.jsonl"
MAX_SENTS = 45  # skip very long documents so the sample covers more documents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--batches", type=int, default=7)
    ap.add_argument("--second-pass-share", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--round", choices=[*ROUNDS, "second"], default="first")
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help="docs*.json of earlier rounds: skip their documents")
    ap.add_argument("--exclude-labelled", type=Path, nargs="*", default=[LABELLED],
                    help="standoff label files whose documents are skipped (default: data/labels/news.jsonl)")
    ap.add_argument("--prefix", default="batch")
    ap.add_argument("--covered", type=Path, nargs="*", default=[],
                    help="with --round second: second_pass.jsonl files of documents already checked twice")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if a.round == "second":
        return second_pass_only(a, rng)
    chosen = []
    used = set()
    for ex in a.exclude:
        used |= {(c["corpus"], c["doc"]) for c in json.loads(ex.read_text())}
    for lf in a.exclude_labelled:
        if lf.exists():
            used |= {(r["corpus"], r["doc"]) for r in map(json.loads, open(lf, encoding="utf-8")) if r}
    plan = ROUNDS[a.round]
    offset = len(used)
    for name, target in plan:
        corpus, keep = STRATA[name]
        docs = [d for d in iter_docs(corpus) if keep(d) and d.text.strip() and (d.corpus, d.doc_id) not in used]
        rng.shuffle(docs)
        n = 0
        for d in docs:
            if n >= target:
                break
            units = split_sentences(d.text)
            if not units or len(units) > MAX_SENTS:
                continue
            chosen.append({"stratum": name, "corpus": d.corpus, "doc": d.doc_id, "group": d.group,
                           "sentences": [[u.start, u.end, u.text] for u in units]})
            n += len(units)
        print(f"{name:16s} docs={sum(1 for c in chosen if c['stratum']==name):4d} sentences={n}")
    rng.shuffle(chosen)
    for i, c in enumerate(chosen):
        c["key"] = f"d{i + offset:04d}"
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / ("docs.json" if a.round == "first" else f"docs_{a.round}.json")).write_text(json.dumps(chosen))
    batches = [[] for _ in range(a.batches)]
    for i, c in enumerate(chosen):
        batches[i % a.batches].append(c)
    for b, docs in enumerate(batches):
        write_batch(a.out / f"{a.prefix}{b}.txt", docs)
    if a.round not in WITH_SECOND_PASS:
        return
    # independent second pass on a random ~10% of documents
    second = rng.sample(chosen, max(1, round(len(chosen) * a.second_pass_share)))
    write_batch(a.out / ("second_pass.txt" if a.round == "first" else f"second_pass_{a.round}.txt"), second)
    total = sum(len(c["sentences"]) for c in chosen)
    print("documents", len(chosen), "sentences", total, "second pass sentences", sum(len(c["sentences"]) for c in second))


def second_pass_only(a, rng):
    """A second pass over a random share of the documents of earlier rounds (``--exclude``
    lists their docs*.json) that no second pass covers yet (``--covered``: second_pass.jsonl)."""
    covered = {(r["corpus"], r["doc"]) for p in a.covered for r in map(json.loads, open(p)) if r}
    pool = [c for ex in a.exclude for c in json.loads(ex.read_text()) if (c["corpus"], c["doc"]) not in covered]
    picked = rng.sample(pool, max(1, round(len(pool) * a.second_pass_share)))
    write_batch(a.out / f"{a.prefix}.txt", picked)


def write_batch(path: Path, docs):
    with open(path, "w", encoding="utf-8") as f:
        n = 0
        for c in docs:
            f.write(f"=== DOC {c['key']} (source: {c['stratum']})\n")
            for j, (_, _, t) in enumerate(c["sentences"]):
                f.write(f"[{c['key']}.s{j:02d}] {' '.join(t.split())}\n")
                n += 1
            f.write("\n")
    print(path, len(docs), "docs", n, "sentences")


if __name__ == "__main__":
    main()
