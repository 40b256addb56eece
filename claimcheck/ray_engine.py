"""Ray Data integration (``pip install 'claimcheck[ray]'``).

``RayScorer`` is a callable class for ``Dataset.map_batches``: each actor loads
the model once, then scores batches of records. Recipe for a cluster::

    import ray
    from claimcheck.ray_engine import RayScorer

    ray.init(address="auto")
    ds = ray.data.read_json("s3://bucket/articles/*.jsonl")        # records with "id" and "text"
    ds = ds.map_batches(RayScorer, fn_constructor_kwargs={"text_field": "text", "id_field": "id"},
                        batch_size=64, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=8))
    ds.write_parquet("s3://bucket/scores/")    # columns: id, score, band, error, result (full JSON record)

The CLI path (``claimcheck score --jsonl in.jsonl --engine ray [--address ...]``)
reads records on the driver (so malformed lines still become error records),
scores them on Ray actors in windows and writes results in input order.
"""
from __future__ import annotations

import itertools
import json
from typing import Iterable, Iterator

WINDOW = 4096  # records per Ray dataset on the CLI path (bounds driver memory)


def _py(v):
    return v.item() if hasattr(v, "item") else v


class RayScorer:
    """Score a batch of records; returns columns id, score, band, error, result (JSON)."""

    def __init__(self, model=None, text_field: str = "text", id_field: str = "id", batch_size: int = 64,
                 threads: int = 1, include_text: bool = True):
        from .api import Checker

        self.checker = Checker.load(model, threads=threads, batch_size=batch_size)
        self.text_field, self.id_field, self.include_text = text_field, id_field, include_text

    def __call__(self, batch: dict) -> dict:
        n = len(next(iter(batch.values())))
        texts = batch.get(self.text_field)
        ids = batch.get(self.id_field)
        errors = batch.get("error")
        sources = batch.get("source")
        items = []
        for i in range(n):
            ident = _py(ids[i]) if ids is not None else i
            err = _py(errors[i]) if errors is not None else None
            text = _py(texts[i]) if texts is not None else None
            if err:
                items.append(("error", ident, err))
            elif not isinstance(text, str):
                items.append(("error", ident, f"record {ident!r}: field {self.text_field!r} is missing or not text"))
            else:
                items.append(("ok", ident, text))
        good = iter(self.checker.check_many([{"id": ident, "text": t} for kind, ident, t in items if kind == "ok"]))
        out = {"id": [], "score": [], "band": [], "error": [], "result": []}
        for kind, ident, payload in items:
            if kind == "ok":
                d = next(good).to_dict(include_text=self.include_text)
            else:
                d = {"id": ident, "score": None, "band": None, "error": payload}
                if sources is not None and _py(sources[len(out["id"])]):
                    d["source"] = _py(sources[len(out["id"])])
            out["id"].append(ident)
            out["score"].append(d["score"])
            out["band"].append(d["band"])
            out["error"].append(d.get("error"))
            out["result"].append(json.dumps(d, ensure_ascii=False))
        return out


def check_with_ray(records: Iterable, address: str | None = None, model=None, batch_size: int = 64,
                   workers: int = 1, include_text: bool = True) -> Iterator[dict]:
    """Score ``claimcheck.inputs.Record`` objects on Ray; yields result dicts in input order."""
    import ray

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 **({} if address else {"num_cpus": max(workers, 1)}))
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    it = iter(records)
    while True:
        window = list(itertools.islice(it, WINDOW))
        if not window:
            return
        # Ray cannot tell a str id from an int id across rows; carry the key and id as JSON.
        rows = [{"rid": json.dumps([r.key, r.ident]), "text": r.text if r.error is None else None,
                 "error": r.error, "source": r.source} for r in window]
        ds = ray.data.from_items(rows).map_batches(
            RayScorer, fn_constructor_kwargs={"model": str(model) if model else None, "id_field": "rid",
                                              "batch_size": batch_size, "include_text": include_text},
            batch_size=batch_size, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=max(workers, 1)))
        for row in ds.iter_rows():
            d = json.loads(row["result"])
            key, ident = json.loads(d.pop("id"))
            yield {key: ident, **d}
