import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def articles(tmp_path):
    (tmp_path / "dense.txt").write_text((EXAMPLES / "dense_wire_story.txt").read_text())
    (tmp_path / "padded.txt").write_text((EXAMPLES / "padded_story.txt").read_text())
    return tmp_path


def jsonl(out):
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def test_score_jsonl_contract_and_order(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(
        ["The council voted 31-17 on Wednesday.", "It may rain.", "Dialogue is vital."])) + "\n")
    r = run("score", "--jsonl", src, "--format", "jsonl")
    assert r.exit_code == 0, r.output
    recs = jsonl(r.stdout)
    assert [x["id"] for x in recs] == ["a0", "a1", "a2"]
    for x in recs:
        assert {"id", "score", "band", "counts", "sentences"} <= set(x)
        for s in x["sentences"]:
            assert {"text", "start", "end", "label", "probabilities", "evidence"} <= set(s)
            assert set(s["probabilities"]) == {"specific", "speculative", "boilerplate"}


def test_score_paths_use_path_key(articles):
    r = run("score", articles, "-f", "jsonl")
    assert r.exit_code == 0
    recs = jsonl(r.stdout)
    assert [Path(x["path"]).name for x in recs] == ["dense.txt", "padded.txt"]
    text = (articles / "dense.txt").read_text()
    for s in recs[0]["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"]


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv", "md"])
def test_every_format_for_score(articles, fmt):
    r = run("score", articles / "dense.txt", articles / "padded.txt", "--format", fmt)
    assert r.exit_code == 0, r.output
    out = r.stdout
    if fmt == "json":
        data = json.loads(out)
        assert len(data) == 2 and data[0]["score"] > data[1]["score"]
    elif fmt == "jsonl":
        assert len(jsonl(out)) == 2
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 2 and float(rows[0]["score"]) > float(rows[1]["score"])
    elif fmt == "md":
        assert out.count("## path:") == 2 and "**Score:" in out
    else:
        assert "score:" in out and "[SPEC" in out and ("[HEDG" in out or "[FILL" in out)
        assert "\x1b[" not in out  # no colour codes when not on a terminal


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv", "md"])
def test_every_format_for_classify(fmt):
    r = run("classify", "-", "--format", fmt,
            input="Revenue fell 12% to $4.1 billion in the third quarter.\nDiscussions likely touched upon trade.\n")
    assert r.exit_code == 0, r.output
    if fmt == "jsonl":
        recs = jsonl(r.stdout)
        assert [x["id"] for x in recs] == [1, 2]
        assert set(recs[0]) >= {"id", "text", "label", "probabilities"}
    elif fmt == "json":
        assert len(json.loads(r.stdout)) == 2
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(r.stdout)))) == 2
    else:
        assert "Revenue fell" in r.stdout


def test_classify_jsonl_contract(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"id": "x", "text": "The IMF expects growth of 3.1% in 2025."}\n{broken\n')
    r = run("classify", src, "--jsonl", "-f", "jsonl")
    assert r.exit_code == 2
    recs = jsonl(r.stdout)
    assert len(recs) == 2
    assert recs[0]["id"] == "x" and recs[0]["label"] in ("specific", "speculative", "boilerplate")
    assert "s.jsonl:2" in recs[1]["error"]


def test_output_file(articles, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("score", articles, "-f", "jsonl", "-o", out)
    assert r.exit_code == 0
    assert len(jsonl(out.read_text())) == 2 and r.stdout == ""


def test_fail_under_exit_codes(articles):
    assert run("score", articles / "dense.txt", "--fail-under", 1, "-f", "jsonl").exit_code == 0
    r = run("score", articles, "--fail-under", 99.9, "-f", "jsonl")
    assert r.exit_code == 1
    assert len(jsonl(r.stdout)) == 2  # results still written


def test_usage_errors_exit_2(tmp_path):
    assert run("score", tmp_path / "missing.txt").exit_code == 2
    assert run("score", tmp_path, "--format", "xml").exit_code == 2
    assert run("score").exit_code == 2
    assert run("score", tmp_path, "--model", tmp_path / "nomodel").exit_code == 2


def test_bad_records_yield_error_records_and_exit_2(tmp_path):
    src = tmp_path / "mixed.jsonl"
    src.write_text('{"id": 1, "text": "The council voted 31-17 on Wednesday."}\n'
                   '{"id": 2, "text": "   "}\n'
                   'not json\n'
                   '{"id": 4, "body": "wrong field"}\n'
                   '{"id": 5, "text": "Prices may rise."}\n')
    r = run("score", "--jsonl", src, "-f", "jsonl")
    assert r.exit_code == 2
    recs = jsonl(r.stdout)
    assert len(recs) == 5  # every input record gets exactly one output record
    assert recs[0]["score"] is not None
    assert recs[1]["score"] is None and "empty" in recs[1]["reason"]
    assert "mixed.jsonl:3" in recs[2]["error"]
    assert recs[3]["id"] == 4 and "mixed.jsonl:4" in recs[3]["error"]
    assert recs[4]["id"] == 5 and recs[4]["score"] is not None
    assert "mixed.jsonl:3" in r.stderr


def test_binary_and_undecodable_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "b.txt").write_bytes(b"The caf\xe9 opened on 3 May, its owner said.")
    r = run("score", tmp_path, "-f", "jsonl")
    assert r.exit_code == 2
    recs = jsonl(r.stdout)
    assert len(recs) == 2
    assert "binary" in recs[0]["error"] and "a.txt" in recs[0]["error"]
    assert recs[1]["score"] is not None and "undecodable" in recs[1]["warnings"][0]


def test_empty_file_scores_null_with_reason(tmp_path):
    (tmp_path / "e.txt").write_text("  \n\n ")
    r = run("score", tmp_path / "e.txt", "-f", "json")
    assert r.exit_code == 0
    rec = json.loads(r.stdout)[0]
    assert rec["score"] is None and rec["reason"]


def test_stdin_dash(tmp_path):
    r = run("score", "-", "-f", "jsonl", input="The council voted 31-17 on Wednesday.")
    assert r.exit_code == 0 and jsonl(r.stdout)[0]["path"] == "-"


def test_markdown_and_html_examples(tmp_path):
    r = run("score", EXAMPLES / "council_budget_draft.md", EXAMPLES / "flood_report.html", "-f", "jsonl")
    assert r.exit_code == 0
    md, html = jsonl(r.stdout)
    assert md["sentences"][0]["text"] == "Council approves £48m budget for 2025"
    assert "- " not in [s["text"][:2] for s in md["sentences"]]
    assert not any("Subscribe" in s["text"] or "Cookie" in s["text"] for s in html["sentences"])


def test_long_inputs_finish(tmp_path):
    # a 10,000-word sentence with no punctuation, and a ~5 MB file
    (tmp_path / "long.txt").write_text(" ".join(["word"] * 10000))
    para = (EXAMPLES / "dense_wire_story.txt").read_text() + "\n\n"
    (tmp_path / "big.txt").write_text(para * (5_000_000 // len(para) + 1))
    r = run("score", tmp_path, "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 2
    big = rows[0] if rows[0]["key"].endswith("big.txt") else rows[1]
    assert int(big["words"]) > 700_000
    assert "truncated" in r.stderr


def test_help_lists_commands():
    r = run("--help")
    assert r.exit_code == 0
    for cmd in ("score", "classify", "train", "eval"):
        assert cmd in r.stdout


def test_train_refuses_a_base_that_is_not_a_model_folder(tmp_path):
    r = run("train", "--out", tmp_path / "m", "--base", tmp_path, "--no-card")
    assert r.exit_code == 2
    assert "not a transformers model folder" in r.stderr
    assert not (tmp_path / "m").exists()
