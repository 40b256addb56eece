"""Command line: thin typer commands over the Python API.

Exit codes: 0 ok, 1 an article scored below --fail-under, 2 usage/input error
(including any record that could not be read; the run still processes the rest).
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from .outputs import FORMATS

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="How much of an article can actually be checked? Labels each sentence specific / "
                       "speculative / boilerplate and scores articles 0-100 for verifiable content.")

EXIT_OK, EXIT_BELOW, EXIT_ERROR = 0, 1, 2

_FORMAT_HELP = f"Output format: {', '.join(FORMATS)} (text is a coloured article view on a terminal)."


def _fail(msg: str) -> "typer.Exit":
    typer.echo(f"claimcheck: error: {msg}", err=True)
    return typer.Exit(EXIT_ERROR)


def _check_format(fmt: str):
    if fmt not in FORMATS:
        raise _fail(f"unknown --format {fmt!r}; choose from {', '.join(FORMATS)}")


class Progress:
    """A one-line progress counter on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool, unit: str = "articles"):
        self.enabled = enabled
        self.unit = unit
        self.n = self.sent = 0
        self.t0 = time.time()
        self.last = 0.0

    def update(self, sentences: int):
        self.n += 1
        self.sent += sentences
        if self.enabled and time.time() - self.last > 0.2:
            self.last = time.time()
            rate = self.sent / max(time.time() - self.t0, 1e-6)
            sys.stderr.write(f"\r{self.n} {self.unit}, {self.sent} sentences ({rate:.0f} sentences/s)")
            sys.stderr.flush()

    def close(self):
        if self.enabled and self.n:
            rate = self.sent / max(time.time() - self.t0, 1e-6)
            sys.stderr.write(f"\r{self.n} {self.unit}, {self.sent} sentences ({rate:.0f} sentences/s)\n")


def _open_out(output: Optional[Path], append: bool = False):
    if output is None or str(output) == "-":
        return sys.stdout, False
    return open(output, "a" if append else "w", encoding="utf-8", newline=""), True


def _completed_records(output: Path) -> int:
    """Count complete JSON lines in an interrupted output file and cut off a partial last line."""
    import json

    if not output.exists():
        return 0
    n, good_end = 0, 0
    with open(output, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                json.loads(line)
            except ValueError:
                break
            n += 1
            good_end += len(line)
    with open(output, "r+b") as f:
        f.truncate(good_end)
    typer.echo(f"claimcheck: resuming after {n} complete record(s) in {output}", err=True)
    return n


def _load_checker(model, threads, batch_size, device="cpu"):
    from .api import Checker
    from .model import ModelError

    try:
        return Checker.load(model, threads=threads, batch_size=batch_size, device=device)
    except ModelError as e:
        raise _fail(str(e))


@app.command()
def score(
    paths: List[str] = typer.Argument(..., help="Files, folders (recursive) or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Inputs are JSONL records, one article per line."),
    text_field: str = typer.Option("text", help="JSONL field holding the article text."),
    id_field: str = typer.Option("id", help="JSONL field holding the record id."),
    format: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    fail_under: Optional[float] = typer.Option(None, help="Exit 1 if any article scores below this (0-100)."),
    batch_size: int = typer.Option(64, min=1, help="Sentences per model batch."),
    threads: Optional[int] = typer.Option(None, min=1, help="Torch CPU threads (default: torch's choice)."),
    model: Optional[Path] = typer.Option(None, help="Model directory (default: the shipped model)."),
    device: str = typer.Option("cpu", help="torch device for the model: cpu (default) or cuda."),
    no_text: bool = typer.Option(False, "--no-text", help="Leave each article's full text out of JSON output."),
    workers: int = typer.Option(1, min=1, help="Worker processes, each with its own model (results stay in order)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: keep the complete records "
                                "already in --output (jsonl only) and append the rest."),
    engine: str = typer.Option("local", help="local, or ray (Ray Data; needs the 'ray' extra and --jsonl input)."),
    address: Optional[str] = typer.Option(None, help="Ray cluster address for --engine ray (default: start a local Ray)."),
):
    """Score articles for verifiable content (0-100) with a per-sentence report."""
    from .inputs import InputError, iter_records

    _check_format(format)
    if engine not in ("local", "ray"):
        raise _fail(f"unknown --engine {engine!r}; choose local or ray")
    done = 0
    if resume:
        if output is None or format != "jsonl":
            raise _fail("--resume needs --output FILE and --format jsonl")
        done = _completed_records(output)
    try:
        records = iter_records(paths, jsonl=jsonl, text_field=text_field, id_field=id_field)
        first = next(records, None)
    except InputError as e:
        raise _fail(str(e))

    def all_records():
        if first is not None:
            yield first
        yield from records

    from .model import ModelError, SentenceClassifier
    from .outputs import make_writer

    if engine == "ray" or workers > 1:
        try:
            SentenceClassifier.validate(model)
        except ModelError as e:
            raise _fail(str(e))
    if engine == "ray":
        if not jsonl:
            raise _fail("--engine ray reads JSONL input: add --jsonl")
        from .ray_engine import check_with_ray
        try:
            reports = check_with_ray(itertools.islice(all_records(), done, None), address=address, model=model,
                                     batch_size=batch_size, workers=workers, include_text=not no_text)
        except ImportError as e:
            raise _fail(f"--engine ray needs Ray: pip install 'claimcheck[ray]' ({e})")
    elif workers > 1:
        from .parallel import check_parallel
        reports = check_parallel(itertools.islice(all_records(), done, None), workers, model=model,
                                 threads_per_worker=threads or 1, batch_size=batch_size)
    else:
        checker = _load_checker(model, threads, batch_size, device)
        reports = checker.check_many(itertools.islice(all_records(), done, None))

    out, close = _open_out(output, append=resume)
    writer = make_writer(format, out, color=(format == "text" and not close and out.isatty()))
    multi = len(paths) > 1 or jsonl or any(Path(p).is_dir() for p in paths if p != "-")
    prog = Progress(multi and sys.stderr.isatty())
    errors = below = 0

    try:
        for d in reports:
            if not isinstance(d, dict):
                d = d.to_dict(include_text=not no_text)
            writer.write(d)
            prog.update(len(d.get("sentences", ())))
            if d.get("error") is not None:
                errors += 1
                typer.echo(f"claimcheck: {d['error']}", err=True)
            elif fail_under is not None and d["score"] is not None and d["score"] < fail_under:
                below += 1
            for w in d.get("warnings", ()):
                typer.echo(f"claimcheck: warning: {w}", err=True)
    except InputError as e:
        raise _fail(str(e))
    finally:
        writer.close()
        prog.close()
        if close:
            out.close()
    if errors:
        typer.echo(f"claimcheck: {errors} record(s) could not be read (see error records)", err=True)
        raise typer.Exit(EXIT_ERROR)
    if below:
        typer.echo(f"claimcheck: {below} article(s) scored below {fail_under:g}", err=True)
        raise typer.Exit(EXIT_BELOW)


@app.command()
def classify(
    file: str = typer.Argument("-", help="Sentences, one per line (or JSONL with --jsonl); - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Input is JSONL records with a sentence each."),
    text_field: str = typer.Option("text", help="JSONL field holding the sentence."),
    id_field: str = typer.Option("id", help="JSONL field holding the record id."),
    format: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    batch_size: int = typer.Option(64, min=1, help="Sentences per model batch."),
    threads: Optional[int] = typer.Option(None, min=1, help="Torch CPU threads."),
    model: Optional[Path] = typer.Option(None, help="Model directory (default: the shipped model)."),
    device: str = typer.Option("cpu", help="torch device for the model: cpu (default) or cuda."),
):
    """Label pre-split sentences (no segmentation), in input order; each is read on its own."""
    from .api import SentenceLabel
    from .inputs import decode, iter_jsonl
    from .outputs import make_writer

    _check_format(format)
    if file != "-" and not Path(file).is_file():
        raise _fail(f"no such file: {file}")
    stream = sys.stdin.buffer if file == "-" else open(file, "rb")
    where = "<stdin>" if file == "-" else file
    items = []  # (id, text or None, error)
    warnings = []
    if jsonl:
        for r in iter_jsonl(stream, where, text_field, id_field):
            items.append((r.ident, r.text if r.error is None else None, r.error))
            warnings += r.warnings
    else:
        text, warnings = decode(stream.read(), where)
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                items.append((i, line.strip(), None))
    if file != "-":
        stream.close()
    for w in warnings:
        typer.echo(f"claimcheck: warning: {w}", err=True)
    checker = _load_checker(model, threads, batch_size, device)
    good = [t for _, t, e in items if e is None]
    labelled = iter(checker.classify(good))
    out, close = _open_out(output)
    writer = make_writer(format, out, color=(format == "text" and not close and out.isatty()), sentences=True)
    errors = 0
    try:
        for ident, text, err in items:
            if err is not None:
                errors += 1
                typer.echo(f"claimcheck: {err}", err=True)
                writer.write({"id": ident, "text": None, "label": None, "probabilities": None, "error": err}
                             if format in ("json", "jsonl") else
                             {"id": ident, "text": f"<error: {err}>", "label": "boilerplate",
                              "probabilities": {"specific": 0.0, "speculative": 0.0, "boilerplate": 0.0}})
                continue
            lab: SentenceLabel = next(labelled)
            lab.id = ident
            writer.write(lab.to_dict())
    finally:
        writer.close()
        if close:
            out.close()
    if errors:
        raise typer.Exit(EXIT_ERROR)


@app.command()
def train(
    out: Path = typer.Option(Path("models/claimcheck-minilm"), help="Where to write the model."),
    shared: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared)."),
    aux: bool = typer.Option(True, "--aux/--no-aux", help="First train on auxiliary public data (the shipped model: ClaimBuster, chosen on dev)."),
    aux_source: Optional[list[str]] = typer.Option(None, "--aux-source", metavar="SOURCE", help="With --aux: use this source (repeatable): claimbuster (default), wiki_weasel, bioscope."),
    epochs: int = typer.Option(3, min=1, help="Maximum epochs (early stopping on dev macro-F1)."),
    context: bool = typer.Option(False, "--context/--no-context", help="Let the model read the neighbouring sentences (off in the shipped model: ~2x slower, no clear gain)."),
    pooling: str = typer.Option("cls", help="Sentence vector fed to the classifier: cls (BERT's pooler over [CLS]) or mean (mean of the token states, as all-MiniLM-L6-v2 was pretrained)."),
    base: Optional[Path] = typer.Option(None, metavar="<dir>", help="Fine-tune this local transformers model folder instead of all-MiniLM-L6-v2 (e.g. the one tools/fetch_mpnet.py unpacks; --pooling cls only)."),
    lr: float = typer.Option(1e-4, min=0.0, help="Peak learning rate (1e-4 for the shipped model; lower for larger bases)."),
    seed: int = typer.Option(13, help="Random seed."),
    threads: Optional[int] = typer.Option(None, min=1, help="Torch CPU threads."),
    card: bool = typer.Option(True, "--card/--no-card", help="Regenerate the figures in models/README.md."),
):
    """Train the sentence classifier from the committed labels + ../shared/data."""
    from . import train as tr

    bad = sorted(set(aux_source or ()) - set(tr.AUX_SOURCES))
    if bad:
        raise _fail(f"unknown --aux-source {', '.join(bad)}; choose from {', '.join(tr.AUX_SOURCES)}")
    from .model import POOLINGS
    if pooling not in POOLINGS:
        raise _fail(f"unknown --pooling {pooling}; choose from {', '.join(POOLINGS)}")
    if base is not None and not (base / "config.json").is_file():
        raise _fail(f"--base {base}: not a transformers model folder (no config.json)")
    sources = tuple(aux_source) if aux_source else ("claimbuster",)
    meta = tr.run(out, shared, aux_sources=sources if aux else (), epochs=epochs, seed=seed,
                  threads=threads, context=tr.CONTEXT if context else None, pooling=pooling, base=base, lr=lr,
                  log=lambda m: typer.echo(m, err=True))
    if card:
        from .card import write_card
        write_card(out, meta)


@app.command()
def distill(
    teacher: List[Path] = typer.Option([Path("models/claimcheck-minilm")],
                                       help="A fine-tuned teacher model; repeat to distil the average of several "
                                            "(the student starts from the first)."),
    out: Path = typer.Option(Path("models/claimcheck-minilm-l2"), help="Where to write the student."),
    layers: int = typer.Option(2, min=1, help="Transformer layers kept in the student."),
    pool: int = typer.Option(20000, min=0, help="Unlabelled train-split sentences labelled by the teachers."),
    epochs: int = typer.Option(3, min=1, help="Student epochs (best dev macro-F1 kept)."),
    lr: float = typer.Option(1e-4, min=0.0, help="Student learning rate."),
    shared: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared)."),
    seed: int = typer.Option(13, help="Random seed."),
    threads: Optional[int] = typer.Option(None, min=1, help="Torch CPU threads."),
):
    """Distil one model, or the average of several, into one student: shallower for
    throughput (--layers 2), or full depth to fold an ensemble into one model's cost."""
    from . import train as tr

    tr.distill(teacher, out, shared, layers=layers, pool_size=pool, epochs=epochs, lr=lr, seed=seed,
               threads=threads, log=lambda m: typer.echo(m, err=True))


@app.command("eval")
def eval_(
    model: Optional[Path] = typer.Option(None, help="Model directory (default: the shipped model)."),
    shared: Optional[Path] = typer.Option(None, help="The shared data folder (default: ../shared)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write all figures as JSON here."),
    max_pairs: int = typer.Option(400, help="At most this many held-out pairs per corpus."),
    threads: Optional[int] = typer.Option(None, min=1, help="Torch CPU threads."),
    card: bool = typer.Option(False, "--card", help="Also refresh the figures in models/README.md "
                                                     "(writes eval.json into the model directory)."),
):
    """Held-out evaluation: sentence metrics, calibration, pairwise article accuracy (beside what the gold labels give), baselines."""
    from .evaluate import run_eval
    from .model import default_model_path

    mdir = Path(model) if model else default_model_path()
    if card and output is None:
        output = mdir / "eval.json"
    run_eval(model, shared, output, max_pairs=max_pairs, threads=threads)
    if card:
        from .card import write_card
        write_card(mdir)


def main():
    app()


if __name__ == "__main__":
    main()
