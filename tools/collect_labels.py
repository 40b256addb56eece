"""Turn labellers' ``sid<TAB>label`` files into committed standoff records.

    python tools/collect_labels.py --work /tmp/labelwork

Writes ``data/labels/news.jsonl`` (first pass, used for training and evaluation)
and ``data/labels/second_pass.jsonl`` (an independent second pass on ~10% of the
documents), one record per sentence: corpus, doc, start, end, sha1 of the
whitespace-normalised sentence text, label, pass. No article text is stored.
Records already in those files are kept: a work folder holds one round, and its
documents are added (or, if a document is there already, its records replaced).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from claimcheck.labels import LABELS
from claimcheck.train import text_hash

REPO = Path(__file__).resolve().parent.parent


def read_tsv(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        sid, lab = line.split("\t")[:2]
        lab = lab.strip()
        if lab not in LABELS:
            raise SystemExit(f"{path}: bad label {lab!r} for {sid}")
        out[sid.strip().strip("[]")] = lab
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    a = ap.parse_args()
    docs = {}
    for f in sorted(a.work.glob("docs*.json")):
        for c in json.loads(f.read_text()):
            docs[c["key"]] = c
    first, second = {}, {}
    for f in sorted(a.work.glob("labels_*.tsv")):
        if f.name == "labels_calibration.tsv":
            continue
        target = second if "second_pass" in f.name else first
        for sid, lab in read_tsv(f).items():
            target[sid] = lab
    out_dir = REPO / "data" / "labels"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, labels, pass_ in (("news.jsonl", first, "pass1"), ("second_pass.jsonl", second, "pass2")):
        n_docs, rows, incomplete = 0, [], []
        for key, c in sorted(docs.items()):
            sids = [f"{key}.s{j:02d}" for j in range(len(c["sentences"]))]
            have = [s in labels for s in sids]
            if not any(have):
                continue
            if not all(have):
                incomplete.append(key)
                continue  # whole documents only
            n_docs += 1
            for sid, (s, e, t) in zip(sids, c["sentences"]):
                rows.append({"corpus": c["corpus"], "doc": c["doc"], "start": s, "end": e, "sha1": text_hash(t),
                             "label": labels[sid], "pass": pass_, "stratum": c["stratum"]})
        new_docs = {(r["corpus"], r["doc"]) for r in rows}
        kept = []
        if (out_dir / name).exists():
            with open(out_dir / name, encoding="utf-8") as f:
                kept = [r for r in map(json.loads, f) if (r["corpus"], r["doc"]) not in new_docs]
        print(f"{name}: kept {len(kept)} earlier records, adding {len(rows)}")
        rows = kept + rows
        with open(out_dir / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        counts = {l: sum(1 for r in rows if r["label"] == l) for l in LABELS}
        print(f"{name}: {n_docs} new documents; now {len(rows)} sentences {counts}; incomplete docs skipped: {incomplete}")


if __name__ == "__main__":
    main()
