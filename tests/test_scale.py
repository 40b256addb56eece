"""--workers, --resume after a kill, and the Ray Data engine equal the single-process output."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def make_input(path, n):
    dense = (EXAMPLES / "dense_wire_story.txt").read_text()
    padded = (EXAMPLES / "padded_story.txt").read_text()
    with open(path, "w") as f:
        for i in range(n):
            text = (dense if i % 2 else padded).replace("Tuesday", f"day {i}").replace("1,900", str(1900 + i))
            f.write(json.dumps({"id": f"r{i}" if i % 3 else i, "text": text}) + "\n")
        f.write("{not json\n")
        f.write(json.dumps({"id": "last", "body": "no text field"}) + "\n")


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "claimcheck.cli", *map(str, args)], capture_output=True,
                          text=True, **kw)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    src = d / "in.jsonl"
    make_input(src, 24)
    out = d / "single.jsonl"
    r = cli("score", "--jsonl", src, "-f", "jsonl", "-o", out, "--no-text")
    assert r.returncode == 2  # the two bad records
    lines = out.read_text().splitlines()
    assert len(lines) == 26
    return src, lines


def test_workers_equal_single_process(reference, tmp_path):
    src, lines = reference
    out = tmp_path / "w.jsonl"
    r = cli("score", "--jsonl", src, "-f", "jsonl", "-o", out, "--no-text", "--workers", "2")
    assert r.returncode == 2
    assert out.read_text().splitlines() == lines


def test_resume_after_kill_loses_and_duplicates_nothing(tmp_path):
    src = tmp_path / "in.jsonl"
    make_input(src, 240)
    full = tmp_path / "full.jsonl"
    assert cli("score", "--jsonl", src, "-f", "jsonl", "-o", full, "--no-text").returncode == 2
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "claimcheck.cli", "score", "--jsonl", str(src), "-f", "jsonl",
                          "-o", str(out), "--no-text"], stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.read_text().count("\n") < 5):
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = out.read_text().count("\n")
    assert 5 <= done < 242, "the run should have been killed midway"
    with open(out, "a") as f:
        f.write('{"id": "partial')  # a torn last line, as a crash mid-write leaves
    r = cli("score", "--jsonl", src, "-f", "jsonl", "-o", out, "--no-text", "--resume")
    assert r.returncode == 2
    assert out.read_text() == full.read_text()


def test_resume_needs_jsonl_output(tmp_path):
    src = tmp_path / "in.jsonl"
    make_input(src, 1)
    assert cli("score", "--jsonl", src, "--resume").returncode == 2


def test_ray_engine_equals_single_process(reference, tmp_path):
    src, lines = reference
    out = tmp_path / "ray.jsonl"
    r = cli("score", "--jsonl", src, "-f", "jsonl", "-o", out, "--no-text", "--engine", "ray", "--workers", "2",
            env={**os.environ, "RAY_DISABLE_USAGE_STATS": "1"})
    assert r.returncode == 2, r.stderr[-2000:]
    assert out.read_text().splitlines() == lines


def test_ray_scorer_in_a_map_batches_pipeline(tmp_path):
    import ray

    from claimcheck import Checker
    from claimcheck.ray_engine import RayScorer

    rows = [{"id": f"a{i}", "text": t} for i, t in enumerate(
        [(EXAMPLES / "dense_wire_story.txt").read_text(), (EXAMPLES / "padded_story.txt").read_text(), "  "])]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True)
    try:
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        ds = ray.data.read_json(str(src)).map_batches(
            RayScorer, fn_constructor_kwargs={"include_text": False}, batch_size=2, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=1))
        got = [json.loads(r["result"]) for r in ds.take_all()]
    finally:
        ray.shutdown()
    want = [r.to_dict(include_text=False) for r in Checker.load().check_many(rows)]
    assert got == want
