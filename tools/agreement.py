"""Labelling consistency: Cohen's kappa between the first pass and the independent
second pass (data/labels/second_pass.jsonl), and between our labels of the shared
calibration sentences and the three-annotator majority.

    python tools/agreement.py [--calibration-labels FILE.tsv]
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from claimcheck.corpora import DEFAULT_SHARED
from claimcheck.labels import LABELS

REPO = Path(__file__).resolve().parent.parent


def kappa(a, b):
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[l] * cb[l] for l in LABELS) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0, po


def confusion(a, b):
    return {x: {y: sum(1 for p, q in zip(a, b) if p == x and q == y) for y in LABELS} for x in LABELS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibration-labels", type=Path, help="our blind labels of the calibration set (id<TAB>label)")
    a = ap.parse_args()
    out = {}
    load = lambda p: {(r["corpus"], r["doc"], r["start"], r["end"]): r["label"]
                      for r in map(json.loads, open(p)) if r}
    p1 = load(REPO / "data" / "labels" / "news.jsonl")
    p2 = load(REPO / "data" / "labels" / "second_pass.jsonl")
    common = sorted(set(p1) & set(p2))
    if common:
        x, y = [p1[k] for k in common], [p2[k] for k in common]
        k, po = kappa(x, y)
        out["second_pass"] = {"sentences": len(common), "documents": len({c[:2] for c in common}),
                              "kappa": round(k, 3), "agreement": round(po, 3), "confusion_pass1_rows": confusion(x, y)}
    if a.calibration_labels:
        ours = dict(l.rstrip("\n").split("\t")[:2] for l in open(a.calibration_labels) if l.strip())
        gold = {r["id"]: r for r in map(json.loads, open(Path(DEFAULT_SHARED) / "data/calibration/calibration.jsonl"))}
        ids = [i for i in gold if i in ours]
        x, y = [ours[i] for i in ids], [gold[i]["label"] for i in ids]
        k, po = kappa(x, y)
        per_annot = []
        for j in range(3):
            kj, _ = kappa(x, [gold[i]["votes"][j] for i in ids])
            per_annot.append(round(kj, 3))
        out["calibration"] = {"sentences": len(ids), "kappa_vs_majority": round(k, 3), "agreement": round(po, 3),
                              "kappa_vs_each_annotator": per_annot, "confusion_ours_rows": confusion(x, y),
                              "disagreements": [{"id": i, "text": gold[i]["text"], "ours": ours[i],
                                                 "majority": gold[i]["label"]} for i in ids if ours[i] != gold[i]["label"]]}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
