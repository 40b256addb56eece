"""``claimcheck eval``: held-out figures for the shipped model and two baselines.

* Sentence level, on the held-out (test) document groups of the committed
  labels: macro-F1, per-class precision/recall/F1, confusion matrix,
  specific-vs-rest F1, expected calibration error before/after temperature.
* The same on ``../shared/data/calibration`` (majority of three annotators).
* Article level, pairwise accuracy on held-out pairs: an LLM text written from
  the same seed as a human article (xsum chat-model continuations; llmfake
  open-ended generations), the share of pairs where the human article scores higher.
* Baselines beside each: the lexicon rule; slop-guard on the pairs.
* What the labels themselves give: the guide's article score computed from the
  gold sentence labels, on the pairs whose two articles are both labelled (the
  held-out ones, beside the model on the same pairs, and all splits together).
"""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from .baselines import lexicon_article_score, lexicon_label, slop_guard_score
from .corpora import DEFAULT_SHARED, iter_docs, split_of
from .labels import LABELS
from .report import word_count
from .train import ece, f1_report, load_labelled, softmax, split

CHAT = {"gpt-3.5-turbo", "gpt-4", "claude-3-opus-20240229", "claude-3-sonnet-20240229", "gemini-1.5-pro"}


def held_out_pairs(shared=None, max_pairs: int | None = 300, seed: int = 13, held_out: bool = True):
    """[(corpus, human Doc, machine Doc)] for test-split groups (every split with held_out=False)."""
    rng = random.Random(seed)
    out = []
    keep = (lambda d: split_of(d.group) == "test") if held_out else (lambda d: True)
    humans = {d.meta["pair_id"]: d for d in iter_docs("xsum_human", shared) if keep(d)}
    xs = [(h, m) for m in iter_docs("xsum_machine", shared)
          if m.meta["task"] == "continuation" and m.meta["model"] in CHAT and (h := humans.get(m.meta["pair_id"]))]
    rng.shuffle(xs)
    out += [("xsum_continuation", h, m) for h, m in xs[:max_pairs]]
    humans = {d.meta["pair_id"]: d for d in iter_docs("llmfake_human", shared)
              if keep(d) and d.meta["dataset"] != "coaid"}
    ls = [(h, m) for m in iter_docs("llmfake_machine", shared)
          if m.meta["method"] == "open_ended_generation" and m.meta["dataset"] != "coaid"
          and (m.meta["n_words"] or 0) >= 80 and not m.meta["refusal_like"]
          and (h := humans.get(m.meta["pair_id"])) and len(h.text.split()) >= 80]
    rng.shuffle(ls)
    out += [("llmfake_open_ended", h, m) for h, m in ls[:max_pairs]]
    return out


def gold_article_scores(examples) -> dict:
    """{(corpus, doc): score} — the guide's article score computed from gold labels.

    The share of the article's words in sentences labelled ``specific`` (the
    guide's definition with a probability of 1 or 0). Every sentence of a
    labelled document carries a label, so this is the score a classifier that
    reproduced the labels exactly would give.
    """
    words: dict = {}
    for e in examples:
        if e.corpus == "written":
            continue
        w = words.setdefault((e.corpus, e.doc), [0, 0])
        n = word_count(e.text)
        w[0] += n * (e.label == "specific")
        w[1] += n
    return {k: 100.0 * s / n for k, (s, n) in words.items() if n}


def gold_pairwise(pairs, gold, model_scores=None) -> dict:
    """{corpus: {"n", "labels", "ties"[, "model"]}} over the pairs whose two articles both
    have gold scores; with ``model_scores`` ({(corpus, doc): score}), also how many of
    the same pairs the model ranks human-first."""
    out: dict = {}
    for corpus, h, m in pairs:
        hk, mk = (h.corpus, h.doc_id), (m.corpus, m.doc_id)
        if hk not in gold or mk not in gold:
            continue
        d = out.setdefault(corpus, {"n": 0, "labels": 0, "ties": 0, **({"model": 0} if model_scores else {})})
        d["n"] += 1
        d["labels"] += gold[hk] > gold[mk]
        d["ties"] += gold[hk] == gold[mk]
        if model_scores:
            d["model"] += (model_scores[hk] or 0) > (model_scores[mk] or 0)
    return out


def paired_bootstrap(gold, pred_a, pred_b, groups, n: int = 1000, seed: int = 0) -> dict:
    """Macro-F1 of B minus A, with a 95% interval from resampling whole document groups.

    Sentences of one document are not independent, so the unit resampled is the
    document group (as in the split). Returns {"diff", "low", "high", "n"}."""
    import numpy as np

    lab = {l: i for i, l in enumerate(LABELS)}
    g = np.array([lab[x] for x in gold])
    a = np.array([lab[x] for x in pred_a])
    b = np.array([lab[x] for x in pred_b])
    keys = sorted(set(groups))
    index = {key: i for i, key in enumerate(keys)}
    gi = np.array([index[x] for x in groups])
    k = len(LABELS)
    # per group confusion counts, so a resample is a weighted sum
    conf_a = np.zeros((len(keys), k * k))
    conf_b = np.zeros((len(keys), k * k))
    np.add.at(conf_a, (gi, g * k + a), 1)
    np.add.at(conf_b, (gi, g * k + b), 1)

    def macro(c):
        c = c.reshape(-1, k, k)
        tp = np.diagonal(c, axis1=1, axis2=2)
        prec = tp / np.maximum(c.sum(1), 1)
        rec = tp / np.maximum(c.sum(2), 1)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0.0)
        return f1.mean(1)

    rng = np.random.default_rng(seed)
    w = rng.multinomial(len(keys), np.full(len(keys), 1 / len(keys)), size=n)  # group multiplicities
    diffs = macro(w @ conf_b) - macro(w @ conf_a)
    full = np.ones((1, len(keys)))
    return {"diff": round(float(macro(full @ conf_b)[0] - macro(full @ conf_a)[0]), 4),
            "low": round(float(np.percentile(diffs, 2.5)), 4), "high": round(float(np.percentile(diffs, 97.5)), 4),
            "n": n}


def _fmt_metrics(name, m, out):
    out.write(f"\n== {name} (n={m['n']})\n")
    out.write(f"macro-F1 {m['macro_f1']:.3f}   accuracy {m['accuracy']:.3f}   "
              f"specific-vs-rest F1 {m['specific_vs_rest_f1']:.3f}")
    if "ece_before" in m:
        out.write(f"   ECE {m['ece_before']:.3f} -> {m['ece_after']:.3f} (T={m['temperature']})")
    out.write("\n")
    out.write(f"{'class':<12}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}\n")
    for l in LABELS:
        r = m["per_class"][l]
        out.write(f"{l:<12}{r['precision']:>10.3f}{r['recall']:>10.3f}{r['f1']:>8.3f}{r['support']:>9}\n")
    out.write("confusion (rows gold, cols predicted): " + "  ".join(
        f"{g}: " + "/".join(str(m["confusion"][g][p]) for p in LABELS) for g in LABELS) + "\n")


def calibration_contexts(rows):
    """(previous, next) for calibration sentences: ids are ``doc#n``, consecutive within a document."""
    by_id = {r["id"]: r["text"] for r in rows}
    out = []
    for r in rows:
        doc, n = r["id"].rsplit("#", 1)
        out.append((by_id.get(f"{doc}#{int(n) - 1}", ""), by_id.get(f"{doc}#{int(n) + 1}", "")))
    return out


def sentence_metrics(clf, texts, gold, contexts=None):
    logits, _ = clf.logits(texts, contexts=contexts)
    gi = [LABELS.index(g) for g in gold]
    pred = [clf.labels[i] for i in logits.argmax(1)]
    m = f1_report(gold, pred)
    m["ece_before"] = ece(softmax(logits, 1.0), gi)
    m["ece_after"] = ece(softmax(logits, clf.temperature), gi)
    m["temperature"] = clf.temperature
    return m, pred


def run_eval(model=None, shared=None, output=None, max_pairs: int = 300, threads=None, out=sys.stdout):
    from .api import Checker

    t0 = time.time()
    shared = Path(shared or DEFAULT_SHARED)
    checker = Checker.load(model, threads=threads)
    clf = checker.classifier
    res = {"model": checker.model_info}
    examples, problems = load_labelled(shared)
    _, _, test = split(examples)
    texts, gold = [e.text for e in test], [e.label for e in test]
    m, pred = sentence_metrics(clf, texts, gold, [e.context for e in test])
    res["test"] = m
    _fmt_metrics("held-out test sentences: claimcheck model", m, out)
    lex = f1_report(gold, [lexicon_label(t) for t in texts])
    res["test_lexicon_baseline"] = lex
    _fmt_metrics("held-out test sentences: lexicon baseline", lex, out)
    by_corpus = {}
    for e, p in zip(test, pred):
        c = by_corpus.setdefault(e.corpus, [0, 0])
        c[0] += e.label == p
        c[1] += 1
    res["test_accuracy_by_corpus"] = {k: round(a / n, 3) for k, (a, n) in by_corpus.items()}
    out.write("accuracy by corpus: " + ", ".join(f"{k} {a / n:.2f} (n={n})" for k, (a, n) in sorted(by_corpus.items())) + "\n")

    cal = shared / "data" / "calibration" / "calibration.jsonl"
    if cal.exists():
        rows = [json.loads(l) for l in open(cal, encoding="utf-8") if l.strip()]
        cm, _ = sentence_metrics(clf, [r["text"] for r in rows], [r["label"] for r in rows], calibration_contexts(rows))
        res["calibration_set"] = cm
        _fmt_metrics("calibration set (3-annotator majority)", cm, out)
        cl = f1_report([r["label"] for r in rows], [lexicon_label(r["text"]) for r in rows])
        res["calibration_set_lexicon_baseline"] = cl
        out.write(f"lexicon baseline on calibration set: macro-F1 {cl['macro_f1']:.3f}\n")

    pairs = held_out_pairs(shared, max_pairs)
    docs = {}
    for _, h, m_ in pairs:
        docs[(h.corpus, h.doc_id)] = h
        docs[(m_.corpus, m_.doc_id)] = m_
    keys = list(docs)
    scores = {}
    for k, rep in zip(keys, checker.check_many({"id": k, "text": docs[k].text} for k in keys)):
        # baselines once per document, on the same sentence units the model saw
        scores[k] = (rep.score, lexicon_article_score([x.text for x in rep.sentences]), slop_guard_score(docs[k].text))
    pr = {}
    for corpus, h, m_ in pairs:
        hk, mk = (h.corpus, h.doc_id), (m_.corpus, m_.doc_id)
        d = pr.setdefault(corpus, {"n": 0, "model": 0, "lexicon": 0, "slop_guard": 0, "slop_guard_ties": 0})
        d["n"] += 1
        (h_model, h_lex, sh), (m_model, m_lex, sm) = scores[hk], scores[mk]
        d["model"] += (h_model or 0) > (m_model or 0)
        d["lexicon"] += (h_lex or 0) > (m_lex or 0)
        if sh is None:
            d["slop_guard"] = None
        elif d["slop_guard"] is not None:
            d["slop_guard"] += sh > sm
            d["slop_guard_ties"] += sh == sm
    out.write("\n== pairwise accuracy on held-out pairs (human article scores higher than its machine twin)\n")
    out.write(f"{'pairs':<22}{'n':>5}{'claimcheck':>12}{'lexicon':>10}{'slop-guard':>12}\n")
    tot = {"n": 0, "model": 0, "lexicon": 0, "slop_guard": 0}
    for corpus, d in pr.items():
        sg = "n/a" if d["slop_guard"] is None else f"{d['slop_guard'] / d['n']:.3f}"
        out.write(f"{corpus:<22}{d['n']:>5}{d['model'] / d['n']:>12.3f}{d['lexicon'] / d['n']:>10.3f}{sg:>12}\n")
        for k in tot:
            if d.get(k) is not None:
                tot[k] += d[k]
    if tot["n"]:
        sg = "n/a" if any(d["slop_guard"] is None for d in pr.values()) else f"{tot['slop_guard'] / tot['n']:.3f}"
        out.write(f"{'all':<22}{tot['n']:>5}{tot['model'] / tot['n']:>12.3f}{tot['lexicon'] / tot['n']:>10.3f}{sg:>12}\n")
        out.write("(slop-guard ties count as misses)\n")
    res["pairs"] = {c: {k: (v / d["n"] if isinstance(v, int) and k not in ("n", "slop_guard_ties") else v)
                        for k, v in d.items()} for c, d in pr.items()}
    res["pairs"]["all"] = {"n": tot["n"], **{k: round(tot[k] / tot["n"], 4) for k in ("model", "lexicon", "slop_guard")}} if tot["n"] else {}

    gold = gold_article_scores(examples)
    held = gold_pairwise(pairs, gold, {k: v[0] for k, v in scores.items()})
    every = gold_pairwise(held_out_pairs(shared, max_pairs=None, held_out=False), gold)
    out.write("\n== the same pairs scored from the gold sentence labels (pairs whose two articles are both labelled;\n"
              "   what a classifier that reproduced the labels exactly would reach; ties count as misses)\n")
    out.write(f"{'pairs':<22}{'held-out n':>11}{'labels':>8}{'claimcheck':>12}{'all-splits n':>14}{'labels':>8}{'ties':>6}\n")
    res["pairs_gold_labels"] = {}
    for corpus in list(pr) + sorted(set(every) - set(pr)):
        h_, e_ = held.get(corpus, {"n": 0}), every.get(corpus, {"n": 0, "labels": 0, "ties": 0})
        row = {"held_out_n": h_["n"],
               "held_out_labels": round(h_["labels"] / h_["n"], 4) if h_["n"] else None,
               "held_out_model": round(h_["model"] / h_["n"], 4) if h_["n"] else None,
               "all_n": e_["n"], "all_labels": round(e_["labels"] / e_["n"], 4) if e_["n"] else None,
               "all_ties": e_["ties"]}
        res["pairs_gold_labels"][corpus] = row
        f = lambda v: "n/a" if v is None else f"{v:.3f}"
        out.write(f"{corpus:<22}{row['held_out_n']:>11}{f(row['held_out_labels']):>8}{f(row['held_out_model']):>12}"
                  f"{row['all_n']:>14}{f(row['all_labels']):>8}{row['all_ties']:>6}\n")

    ex = Path(__file__).resolve().parent.parent / "examples"
    if ex.is_dir():
        from .inputs import iter_records
        res["examples"] = {}
        out.write("\n== examples/\n")
        for rep in checker.check_many(iter_records([str(ex)])):
            name = Path(rep.ident).name
            res["examples"][name] = rep.score
            out.write(f"{name:<45}{rep.score if rep.score is not None else 'n/a':>8}  {rep.band}\n")
    res["seconds"] = round(time.time() - t0, 1)
    out.write(f"\n(eval took {res['seconds']}s)\n")
    if output:
        Path(output).write_text(json.dumps(res, indent=2) + "\n")
    return res
