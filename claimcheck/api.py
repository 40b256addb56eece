"""The Python API: ``Checker`` ties segmentation, classifier, evidence and report.

    from claimcheck import Checker
    checker = Checker.load()
    report = checker.check("Revenue fell 12% to $4.1bn. This underscores ...")
    print(report.score, report.to_dict()["counts"])

``check_many`` streams reports lazily, in input order, running the classifier on
sentences pooled across several documents so batches stay full.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from .evidence import evidence_for
from .inputs import Record
from .model import Prediction, SentenceClassifier, neighbours
from .report import ArticleReport, SentenceResult, article_score
from .segment import split_sentences

EMPTY_REASON = "no text: the record is empty or whitespace only"


@dataclass
class SentenceLabel:
    text: str
    label: str
    probabilities: dict[str, float]
    truncated: bool = False
    id: Any = None

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "text": self.text, "label": self.label, "probabilities": dict(self.probabilities)}
        if self.truncated:
            d["truncated"] = True
        return d


class _Cache:
    """A bounded LRU of sentence (with its context, if the model reads it) -> prediction:
    machine-padded corpora repeat themselves."""

    def __init__(self, size: int):
        self.size = size
        self.d: OrderedDict[str, Prediction] = OrderedDict()

    def get(self, k):
        v = self.d.get(k)
        if v is not None:
            self.d.move_to_end(k)
        return v

    def put(self, k, v):
        if self.size <= 0:
            return
        self.d[k] = v
        if len(self.d) > self.size:
            self.d.popitem(last=False)


def _prefetch(it, size: int):
    """Run ``it`` in a background thread, up to ``size`` items ahead, preserving order.

    Segmentation is pure Python and the model runs in torch (which releases the GIL), so reading
    and segmenting the next documents overlaps with classifying the current ones. The lookahead is
    bounded, so memory stays bounded; exceptions are re-raised in the caller."""
    if size <= 0:
        yield from it
        return
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=size)
    done = object()
    stop = threading.Event()

    def run():
        try:
            for x in it:
                while not stop.is_set():
                    try:
                        q.put((True, x), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((True, done))
        except BaseException as e:  # hand the error to the consumer
            q.put((False, e))

    t = threading.Thread(target=run, daemon=True, name="claimcheck-prefetch")
    t.start()
    try:
        while True:
            ok, x = q.get()
            if not ok:
                raise x
            if x is done:
                return
            yield x
    finally:
        stop.set()


class Checker:
    def __init__(self, classifier: SentenceClassifier, batch_size: int = 64, cache_size: int = 20_000,
                 prefetch: int = 64):
        self.classifier = classifier
        self.batch_size = batch_size
        self.prefetch = prefetch  # documents segmented ahead in a thread while the model runs
        self._cache = _Cache(cache_size)

    @classmethod
    def load(cls, path=None, threads: int | None = None, batch_size: int = 64, device: str = "cpu",
             cache_size: int = 20_000) -> "Checker":
        """Load the shipped model (or the one at ``path``) for offline CPU inference."""
        return cls(SentenceClassifier.load(path, threads=threads, device=device), batch_size, cache_size)

    @property
    def model_info(self) -> dict[str, Any]:
        m = self.classifier.meta
        return {"path": str(self.classifier.path), "name": m.get("name"), "version": m.get("version")}

    # ------------------------------------------------------------ sentences
    def _predict(self, sentences: list[str], contexts: list | None = None) -> list[Prediction]:
        use_ctx = bool(self.classifier.context)
        if not use_ctx or contexts is None:
            contexts = [("", "")] * len(sentences)
        out: list[Prediction | None] = [None] * len(sentences)
        todo: dict = {}
        for i, (s, c) in enumerate(zip(sentences, contexts)):
            key = (s, *c) if use_ctx else s
            hit = self._cache.get(key)
            if hit is not None:
                out[i] = hit
            else:
                todo.setdefault(key, []).append(i)
        if todo:
            keys = list(todo)
            firsts = [todo[k][0] for k in keys]
            preds = self.classifier.predict([sentences[i] for i in firsts], batch_size=self.batch_size,
                                            contexts=[contexts[i] for i in firsts] if use_ctx else None)
            for k, p in zip(keys, preds):
                self._cache.put(k, p)
                for i in todo[k]:
                    out[i] = p
        return out  # type: ignore[return-value]

    def classify(self, sentences: Iterable[str], contexts: Iterable[tuple[str, str]] | None = None
                 ) -> list[SentenceLabel]:
        """Label pre-split sentences (no segmentation), in input order.

        Each sentence is read on its own unless ``contexts`` gives its (previous,
        next) sentence; for the sentences of one document in order, pass
        ``claimcheck.model.neighbours(sentences)``."""
        sentences = list(sentences)
        ctx = list(contexts) if contexts is not None else None
        if ctx is not None and len(ctx) != len(sentences):
            raise ValueError(f"{len(ctx)} contexts for {len(sentences)} sentences")
        return [SentenceLabel(s, p.label, p.probabilities, p.truncated)
                for s, p in zip(sentences, self._predict(sentences, ctx))]

    # ------------------------------------------------------------ articles
    def check(self, text: str, id: Any = None) -> ArticleReport:
        """Score one article's text."""
        return next(self.check_many([{"id": id, "text": text}]))

    def check_many(self, items: Iterable[str | Mapping | Record], batch_size: int | None = None,
                   text_field: str = "text", id_field: str = "id",
                   pool_sentences: int = 512) -> Iterator[ArticleReport]:
        """Score many articles lazily, in input order.

        ``items`` may be strings, mappings with ``text_field``/``id_field``, or
        :class:`claimcheck.inputs.Record`. Sentences of consecutive documents
        are pooled (up to ``pool_sentences``) so the model sees full batches.
        """
        if batch_size:
            self.batch_size = batch_size
        pending: list[tuple[ArticleReport, list]] = []
        pooled = 0
        prepared = (self._prepare(item, n, text_field, id_field) for n, item in enumerate(items))
        for rep, units in _prefetch(prepared, self.prefetch):
            pending.append((rep, units))
            pooled += len(units)
            if pooled >= pool_sentences:
                yield from self._finish(pending)
                pending, pooled = [], 0
        if pending:
            yield from self._finish(pending)

    def _prepare(self, item, n, text_field, id_field):
        if isinstance(item, Record):
            rep = ArticleReport(item.key, item.ident, text=item.text, error=item.error,
                                warnings=list(item.warnings), source=item.source)
        elif isinstance(item, str):
            rep = ArticleReport("id", n, text=item)
        elif isinstance(item, Mapping):
            ident = item.get(id_field, n)
            if text_field not in item:
                return ArticleReport("id", ident, error=f"record {ident!r}: field {text_field!r} is missing"), []
            text = item[text_field] if item[text_field] is not None else ""
            if not isinstance(text, str):
                return ArticleReport("id", ident, error=f"record {ident!r}: field {text_field!r} is "
                                                        f"a {type(text).__name__}, not text"), []
            rep = ArticleReport("id", ident, text=text)
        else:
            return ArticleReport("id", n, error=f"item {n}: expected str, mapping or Record, got {type(item).__name__}"), []
        if rep.error is not None:
            return rep, []
        units = split_sentences(rep.text)
        if not units:
            rep.reason = EMPTY_REASON
        return rep, units

    def _finish(self, pending):
        flat = [u.text for _, units in pending for u in units]
        ctx = ([c for _, units in pending for c in neighbours([u.text for u in units])]
               if self.classifier.context else None)  # only a context model reads them
        preds = self._predict(flat, ctx)
        k = 0
        for rep, units in pending:
            for u in units:
                p = preds[k]
                k += 1
                rep.sentences.append(SentenceResult(u.text, u.start, u.end, p.label, p.probabilities,
                                                    evidence_for(u.text, p.label), p.truncated))
            if rep.error is None:
                rep.score = article_score(rep.sentences)
                if any(s.truncated for s in rep.sentences):
                    n = sum(s.truncated for s in rep.sentences)
                    rep.warnings.append(f"{n} sentence(s) longer than {self.classifier.max_length} tokens were "
                                        f"truncated for the model (their whole text still counts in the score)")
            yield rep
