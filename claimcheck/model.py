"""The sentence classifier: a fine-tuned transformers sequence classifier.

Inference only (training lives in ``claimcheck.train``). A model directory holds
``config.json`` + ``model.safetensors`` + tokenizer files, as saved by
transformers, plus ``claimcheck.json`` with the label names, the calibration
temperature, the maximum sequence length, the pooling and the neighbour-context setting, so
a checkpoint carries its own configuration. Loading never touches the network.

A model trained with ``context`` reads each sentence beside the end of the
previous sentence and the start of the next (``[CLS] sentence [SEP] previous
tail [SEP] next head [SEP]``, the context as the second segment): a quote's
attribution or the event a forecast hangs on often sits in a neighbour.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .labels import LABELS

# No surprise network calls: set before transformers is imported anywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

PACKAGE_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claimcheck-minilm"
MODEL_ENV = "CLAIMCHECK_MODEL"
META_FILE = "claimcheck.json"
POOLINGS = ("cls", "mean")


class ModelError(RuntimeError):
    """The model directory is missing, incomplete or unreadable."""


def default_model_path() -> Path:
    env = os.environ.get(MODEL_ENV)
    return Path(env) if env else PACKAGE_MODEL_DIR


Context = tuple[str, str]  # (previous sentence, next sentence); "" where there is none


def neighbours(texts: Sequence[str]) -> list[Context]:
    """(previous, next) for each sentence of one document, in order."""
    n = len(texts)
    return [(texts[i - 1] if i else "", texts[i + 1] if i + 1 < n else "") for i in range(n)]


def encode(tokenizer, sentences: Sequence[str], contexts: Sequence[Context] | None = None,
           max_length: int = 128, context: dict | None = None):
    """Token ids, segment ids and a truncation flag per sentence; the one encoder for
    training and inference. Sentences longer than ``max_length`` tokens are cut (and
    flagged); with a ``context`` setting the neighbours' tail/head tokens follow."""
    enc = tokenizer(list(sentences), add_special_tokens=True, truncation=False,
                    return_attention_mask=False, verbose=False)["input_ids"]
    sep = tokenizer.sep_token_id
    use_ctx = bool(context) and contexts is not None
    if use_ctx:
        flat = [c for pair in contexts for c in pair]
        cenc = tokenizer(flat, add_special_tokens=False, truncation=False,
                         return_attention_mask=False, verbose=False)["input_ids"] if flat else []
        pt, nt = int(context.get("prev_tokens", 0)), int(context.get("next_tokens", 0))
    out = []
    for i, ids in enumerate(enc):
        truncated = len(ids) > max_length
        if truncated:
            ids = ids[: max_length - 1] + [sep]
        types = [0] * len(ids)
        if use_ctx:
            prev, nxt = cenc[2 * i], cenc[2 * i + 1]
            extra = (prev[-pt:] if pt else []) + [sep] + nxt[:nt] + [sep]
            ids = ids + extra
            types = types + [1] * len(extra)
        out.append((ids, types, truncated))
    return out


def pad_batch(encoded, pad_id: int) -> dict:
    """Tensors (``input_ids``, ``token_type_ids``, ``attention_mask``) for a batch of
    ``encode`` outputs, right-padded to the longest."""
    import torch

    width = max(len(ids) for ids, _, _ in encoded)
    input_ids = torch.full((len(encoded), width), pad_id, dtype=torch.long)
    types = torch.zeros((len(encoded), width), dtype=torch.long)
    mask = torch.zeros((len(encoded), width), dtype=torch.long)
    for r, (ids, tt, _) in enumerate(encoded):
        input_ids[r, : len(ids)] = torch.tensor(ids)
        types[r, : len(ids)] = torch.tensor(tt)
        mask[r, : len(ids)] = 1
    return {"input_ids": input_ids, "token_type_ids": types, "attention_mask": mask}


def forward_logits(model, batch: dict, pooling: str = "cls"):
    """Logits of a transformers sequence classifier for one padded batch.

    ``cls`` runs the model's own head (BERT's pooler over ``[CLS]``); ``mean`` feeds
    the same classifier layer the mask-weighted mean of the last hidden states over
    the sentence's own tokens (segment 0), the pooling all-MiniLM-L6-v2 was
    pretrained with. The checkpoint is the same either way; ``claimcheck.json``
    records which one a model was trained with."""
    if pooling == "cls":
        return model(**batch).logits
    if pooling != "mean":
        raise ModelError(f"unknown pooling {pooling!r} (expected one of {', '.join(POOLINGS)})")
    import torch

    if not (isinstance(getattr(model, "classifier", None), torch.nn.Linear) and hasattr(model, "dropout")):
        raise ModelError(f"mean pooling needs a BERT-style classifier layer; {type(model).__name__} "
                         "has a head of its own: use pooling cls")
    hidden = model.base_model(**batch).last_hidden_state
    mask = (batch["attention_mask"] * (batch["token_type_ids"] == 0)).unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
    return model.classifier(model.dropout(pooled))


@dataclass
class Prediction:
    label: str
    probabilities: dict[str, float]
    truncated: bool = False


class SentenceClassifier:
    """Classify sentences into ``specific`` / ``speculative`` / ``boilerplate``."""

    def __init__(self, model, tokenizer, meta: dict, path: Path, device: str = "cpu"):
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        self.path = path
        self.device = device
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.temperature: float = float(meta.get("temperature", 1.0))
        self.max_length: int = int(meta.get("max_length", 128))
        self.context: dict | None = meta.get("context") or None
        self.pooling: str = meta.get("pooling", "cls")

    @staticmethod
    def validate(path: str | os.PathLike | None = None) -> Path:
        """Check that a model directory exists and is complete (cheap, no torch)."""
        path = Path(path) if path else default_model_path()
        if not path.is_dir():
            raise ModelError(f"model directory not found: {path}")
        missing = [n for n in (META_FILE, "config.json", "model.safetensors") if not (path / n).is_file()]
        if missing:
            raise ModelError(f"model directory {path} is incomplete: missing {', '.join(missing)}")
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, threads: int | None = None,
             device: str = "cpu") -> "SentenceClassifier":
        path = cls.validate(path)
        meta_path = path / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if sorted(meta["labels"]) != sorted(LABELS):
                raise ModelError(f"{meta_path}: labels {meta['labels']} are not {list(LABELS)}")
            if meta.get("pooling", "cls") not in POOLINGS:
                raise ModelError(f"{meta_path}: pooling {meta['pooling']!r} is not one of {', '.join(POOLINGS)}")
        except (ValueError, KeyError) as e:
            raise ModelError(f"cannot read {meta_path}: {e}") from e
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        if threads:
            torch.set_num_threads(int(threads))
        try:
            tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(path), local_files_only=True, dtype=torch.float32)
        except Exception as e:  # transformers raises many types for a bad checkpoint
            raise ModelError(f"cannot load model from {path}: {type(e).__name__}: {e}") from e
        id2label = [model.config.id2label[i] for i in range(model.config.num_labels)]
        if list(id2label) != list(meta["labels"]):
            raise ModelError(f"{path}: config id2label {id2label} disagrees with {META_FILE} {meta['labels']}")
        model.eval()
        if device != "cpu":
            try:
                model.to(device)
            except (RuntimeError, AssertionError) as e:
                raise ModelError(f"cannot move the model to device {device!r}: {e}") from e
        return cls(model, tok, meta, path, device)

    def logits(self, sentences: Sequence[str], batch_size: int = 64,
               contexts: Sequence[Context] | None = None):
        """Raw logits (numpy, shape [n, 3]) in input order, plus truncation flags.

        ``contexts`` gives each sentence's (previous, next) sentence; a model trained
        with context reads them, one without ignores them, and a missing context
        counts as none. Inputs are sorted by length so each batch pads little, then
        restored to input order."""
        import numpy as np
        import torch

        n = len(sentences)
        out = np.zeros((n, len(self.labels)), dtype=np.float32)
        if n == 0:
            return out, []
        if self.context and contexts is None:
            contexts = [("", "")] * n
        enc = encode(self.tokenizer, sentences, contexts, self.max_length, self.context)
        order = sorted(range(n), key=lambda i: len(enc[i][0]))
        pad_id = self.tokenizer.pad_token_id
        with torch.inference_mode():
            for b in range(0, n, batch_size):
                idx = order[b:b + batch_size]
                batch = pad_batch([enc[i] for i in idx], pad_id)
                if self.device != "cpu":
                    batch = {k: v.to(self.device) for k, v in batch.items()}
                logits = forward_logits(self.model, batch, self.pooling).float().cpu().numpy()
                out[idx] = logits
        return out, [e[2] for e in enc]

    def predict(self, sentences: Sequence[str], batch_size: int = 64,
                contexts: Sequence[Context] | None = None) -> list[Prediction]:
        """Calibrated probabilities and labels, in input order."""
        import numpy as np

        logits, truncated = self.logits(sentences, batch_size=batch_size, contexts=contexts)
        z = logits / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        preds = []
        for row, tr in zip(p, truncated):
            probs = {lab: round(float(v), 4) for lab, v in zip(self.labels, row)}
            preds.append(Prediction(self.labels[int(row.argmax())], probs, tr))
        return preds
