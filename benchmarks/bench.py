"""Throughput benchmark for claimcheck (a script, not a test).

    python benchmarks/bench.py [--articles 300] [--threads 2] [--model DIR] [--json-out FILE]
    python benchmarks/bench.py --memory-mb 200      # bounded-memory check on a generated JSONL

Measures on a fixed set of real news articles (../shared/data/news when present,
examples/ otherwise): model load time; end-to-end ``claimcheck score`` throughput
(the CLI in a subprocess over a JSONL file, and the API in-process); model-only
throughput (classifier on the pre-split sentences, cache off); peak RSS; and
the ratio of achieved model FLOP/s to a measured fp32 matrix-multiply FLOP/s on
this machine in the same run (the distance to the limit). Prints a table and a
JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def fixed_articles(n: int, seed: int = 7):
    """A fixed, mixed sample of real news: wire, BBC, XSum human and machine, LLMFake open-ended."""
    from claimcheck.corpora import DEFAULT_SHARED, iter_docs

    if not (Path(DEFAULT_SHARED) / "data" / "news").is_dir():
        from claimcheck.inputs import iter_records
        recs = list(iter_records([str(REPO / "examples")]))
        return [{"id": r.ident, "text": r.text} for r in recs] * max(1, n // len(recs)), "examples/"
    rng = random.Random(seed)
    picks = []
    for corpus, share, keep in (("reuters21578", 0.3, lambda d: len(d.text.split()) >= 100),
                                ("bbc_fulltext", 0.2, lambda d: True),
                                ("xsum_human", 0.15, lambda d: True),
                                ("xsum_machine", 0.15, lambda d: d.meta["task"] == "continuation"),
                                ("llmfake_machine", 0.2, lambda d: d.meta["method"] == "open_ended_generation")):
        docs = [d for d in iter_docs(corpus) if keep(d)]
        rng.shuffle(docs)
        picks += [{"id": f"{corpus}/{d.doc_id}", "text": d.text} for d in docs[: int(n * share)]]
    return picks, "../shared/data/news (reuters, bbc, xsum human+machine, llmfake open-ended)"


def matmul_flops(threads: int) -> float:
    """Best measured fp32 matmul rate over a few square sizes (the practical limit)."""
    import torch

    torch.set_num_threads(threads)
    best = 0.0
    for size, reps in ((512, 60), (1024, 15), (2048, 3)):
        a, b = torch.randn(size, size), torch.randn(size, size)
        for _ in range(2):
            a @ b
        t = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = max(best, 2 * size ** 3 * reps / (time.perf_counter() - t))
    return best


def flops_per_sentence(config, n_tokens: int) -> float:
    """Encoder FLOPs for one sequence of n_tokens (2 x multiply-accumulates), plus the head."""
    H, I, L = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_layer = n_tokens * (4 * H * H + 2 * H * I) + 2 * n_tokens * n_tokens * H
    return 2 * (L * per_layer + H * H + H * 3)


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# The CLI runs in a child process that reports its own peak RSS (VmHWM of its address space) at
# exit. getrusage(RUSAGE_CHILDREN) would not do: a child forked from this (large) process keeps
# the parent's high-water mark across exec.
_CLI = ("import atexit, re, runpy, sys\n"
        "def _hwm():\n"
        "    kb = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "    sys.stderr.write(f'CLAIMCHECK_PEAK_RSS_KB {kb}\\n')\n"
        "atexit.register(_hwm)\n"
        "sys.argv = ['claimcheck'] + sys.argv[1:]\n"
        "runpy.run_module('claimcheck.cli', run_name='__main__')\n")


def run_cli(args) -> tuple[float, float]:
    """Run ``claimcheck ARGS``; return (seconds, peak RSS of the CLI process in MB)."""
    import re

    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _CLI, *map(str, args)], stderr=subprocess.PIPE, text=True,
                       cwd=str(REPO))
    wall = time.perf_counter() - t
    m = re.search(r"CLAIMCHECK_PEAK_RSS_KB (\d+)", p.stderr)
    return wall, (int(m.group(1)) / 1024 if m else float("nan"))


def memory_check(mb: int, model, threads):
    """Score a generated JSONL of ``mb`` megabytes through the CLI; report its peak RSS."""

    arts, _ = fixed_articles(400)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "big.jsonl"
        size, i = 0, 0
        with open(src, "w") as f:
            while size < mb * 1_000_000:
                line = json.dumps({"id": i, "text": arts[i % len(arts)]["text"]}) + "\n"
                f.write(line)
                size += len(line)
                i += 1
        out = Path(d) / "out.jsonl"
        args = ["score", "--jsonl", src, "-f", "jsonl", "-o", out, "--no-text", "--threads", threads] + (
            ["--model", model] if model else [])
        wall, rss = run_cli(args)
        n_out = sum(1 for _ in open(out))
    res = {"input_mb": mb, "records": i, "output_records": n_out, "seconds": round(wall, 1),
           "peak_rss_mb_cli": round(rss, 1)}
    print(json.dumps({"memory_check": res}))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--json-out", type=Path, default=None)
    ap.add_argument("--memory-mb", type=int, default=0, help="only run the bounded-memory check on N MB")
    a = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if a.memory_mb:
        memory_check(a.memory_mb, a.model, a.threads)
        return
    import torch

    from claimcheck import Checker
    from claimcheck.segment import split_sentences

    arts, source = fixed_articles(a.articles)
    words = sum(len(x["text"].split()) for x in arts)
    t = time.perf_counter()
    checker = Checker.load(a.model, threads=a.threads, batch_size=a.batch_size, cache_size=0)
    load_s = time.perf_counter() - t
    clf = checker.classifier

    # model only: the classifier on pre-split sentences
    sents = [u.text for x in arts for u in split_sentences(x["text"])]
    t = time.perf_counter()
    segment_s = 0.0
    for x in arts:
        split_sentences(x["text"])
    segment_s = time.perf_counter() - t
    clf.predict(sents[:64])  # warm-up
    t = time.perf_counter()
    clf.predict(sents, batch_size=a.batch_size)
    model_s = time.perf_counter() - t
    tok = clf.tokenizer(sents, truncation=True, max_length=clf.max_length)["input_ids"]
    n_tokens = sum(len(x) for x in tok)
    model_flops = sum(flops_per_sentence(clf.model.config, len(x)) for x in tok)

    # end to end, API in-process (segmentation + model + evidence + report + JSON), cache on as shipped
    checker_e2e = Checker(clf, batch_size=a.batch_size)
    t = time.perf_counter()
    n_sent = 0
    for rep in checker_e2e.check_many(arts):
        json.dumps(rep.to_dict(include_text=False))
        n_sent += len(rep.sentences)
    api_s = time.perf_counter() - t

    # end to end, the CLI in a subprocess (includes interpreter start and model load)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.jsonl"
        src.write_text("".join(json.dumps(x) + "\n" for x in arts))
        args = ["score", "--jsonl", src, "-f", "jsonl", "-o", Path(d) / "out.jsonl", "--no-text",
                "--threads", a.threads, "--batch-size", a.batch_size] + (["--model", a.model] if a.model else [])
        cli_s, cli_rss = run_cli(args)

    mm = matmul_flops(a.threads)
    achieved = model_flops / model_s
    res = {
        "source": source, "articles": len(arts), "sentences": len(sents), "words": words, "tokens": n_tokens,
        "threads": a.threads, "torch_threads": torch.get_num_threads(), "batch_size": a.batch_size,
        "model": str(clf.path), "layers": clf.model.config.num_hidden_layers, "hidden": clf.model.config.hidden_size,
        "model_load_s": round(load_s, 2),
        "segmentation_sentences_per_s": round(len(sents) / segment_s, 1),
        "model_only_sentences_per_s": round(len(sents) / model_s, 1),
        "e2e_api_sentences_per_s": round(n_sent / api_s, 1), "e2e_api_words_per_s": round(words / api_s, 1),
        "e2e_cli_sentences_per_s": round(len(sents) / cli_s, 1), "e2e_cli_words_per_s": round(words / cli_s, 1),
        "e2e_cli_seconds": round(cli_s, 1),
        "model_gflops_per_s": round(achieved / 1e9, 1), "matmul_fp32_gflops_per_s": round(mm / 1e9, 1),
        "distance_to_limit": round(achieved / mm, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1), "peak_rss_mb_cli": round(cli_rss, 1),
    }
    rows = [("articles / sentences / words", f"{res['articles']} / {res['sentences']} / {res['words']}"),
            ("model", f"{res['model']} ({res['layers']} layers, hidden {res['hidden']})"),
            ("model load", f"{res['model_load_s']} s"),
            ("segmentation only", f"{res['segmentation_sentences_per_s']} sentences/s"),
            ("model only (no cache)", f"{res['model_only_sentences_per_s']} sentences/s"),
            ("end to end, API", f"{res['e2e_api_sentences_per_s']} sentences/s, {res['e2e_api_words_per_s']} words/s"),
            ("end to end, CLI (incl. start-up)", f"{res['e2e_cli_sentences_per_s']} sentences/s, "
                                                 f"{res['e2e_cli_words_per_s']} words/s"),
            ("model FLOP/s vs fp32 matmul", f"{res['model_gflops_per_s']} / {res['matmul_fp32_gflops_per_s']} GFLOP/s "
                                            f"= {res['distance_to_limit']:.0%} of the limit"),
            ("peak RSS (this process / the CLI run)", f"{res['peak_rss_mb']} MB / {res['peak_rss_mb_cli']} MB")]
    print(f"claimcheck benchmark on {source}, {a.threads} thread(s)")
    for k, v in rows:
        print(f"  {k:<36} {v}")
    print(json.dumps(res))
    if a.json_out:
        a.json_out.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
