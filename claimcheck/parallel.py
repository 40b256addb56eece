"""Scaling out on one machine: ``--workers N`` processes, each with its own model.

Records are sent to workers in small chunks; at most ``2 * workers`` chunks are
in flight, so memory stays bounded whatever the input size, and results come
back in input order (the same output as one worker).
"""
from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

_checker = None


def _init(model, threads, batch_size):
    global _checker
    from .api import Checker

    _checker = Checker.load(model, threads=threads, batch_size=batch_size)


def _work(records):
    return list(_checker.check_many(records))


def check_parallel(records: Iterable, workers: int, model=None, threads_per_worker: int = 1,
                   batch_size: int = 64, chunk: int = 16) -> Iterator:
    """Like ``Checker.check_many`` but spread over ``workers`` processes."""
    import multiprocessing as mp

    it = iter(records)
    ctx = mp.get_context("spawn")  # torch and fork do not mix well
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(model, threads_per_worker, batch_size)) as ex:
        inflight: deque = deque()
        while True:
            while len(inflight) < 2 * workers:
                part = list(itertools.islice(it, chunk))
                if not part:
                    break
                inflight.append(ex.submit(_work, part))
            if not inflight:
                return
            yield from inflight.popleft().result()
