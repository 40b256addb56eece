"""The generated part of the model card follows the model's own claimcheck.json."""
import copy
import json

from claimcheck.card import END, START, render, write_card
from claimcheck.model import default_model_path


def _meta():
    return json.loads((default_model_path() / "claimcheck.json").read_text())


def test_card_figures_come_from_the_model_metadata():
    meta = copy.deepcopy(_meta())
    meta["test"]["macro_f1"] = 0.1234
    meta["temperature"] = 9.87
    text = render(default_model_path(), meta)
    assert text.startswith(START) and text.endswith(END)
    assert "macro-F1 **0.123**" in text and "temperature 9.87" in text
    meta["pooling"] = "mean"
    assert "sentence vector: mean of the token states" in render(default_model_path(), meta)


def test_card_of_a_distilled_model_lists_every_teacher(tmp_path):
    meta = copy.deepcopy(_meta())
    run = meta["training"]
    meta["distilled_from"] = {
        "layers": 6, "pool_sentences": 500, "seed": 13, "epochs": 2, "lr": 5e-5,
        "best_dev_macro_f1": 0.5, "seconds": 12,
        "history": [{"epoch": 1, "train_loss": 0.3, "dev_macro_f1": 0.5, "seconds": 6}],
        "teachers": [{"path": "runs/teacher-a", "training": run},
                     {"path": "runs/teacher-b", "training": dict(run, aux_sources=[], aux_examples=0)}]}
    meta["recipe"] = "`make-it --this-way`"
    text = render(default_model_path(), meta)
    assert "distilled from 2 teacher(s)" in text
    assert "teacher `teacher-a`" in text and "teacher `teacher-b`" in text
    assert "auxiliary first stage: none (0 examples)" in text
    assert "student: 6 layers" in text and "500 unlabelled" in text
    assert "`make-it --this-way`" in text


def test_write_card_keeps_the_hand_written_text(tmp_path):
    card = tmp_path / "README.md"
    card.write_text(f"# Card\n\nhand-written intro\n\n{START}\nold figures\n{END}\n\nhand-written errors\n")
    write_card(default_model_path(), card=card)
    text = card.read_text()
    assert "hand-written intro" in text and "hand-written errors" in text
    assert "old figures" not in text and text.count(START) == 1


def test_card_shows_the_gold_label_pairwise_table_from_eval():
    ev = json.loads((default_model_path() / "eval.json").read_text())
    ev["pairs_gold_labels"] = {"llmfake_open_ended": {"held_out_n": 7, "held_out_labels": 0.4286, "held_out_model": 0.5714,
                                                      "all_n": 70, "all_labels": 0.7, "all_ties": 3}}
    text = render(default_model_path(), _meta(), ev)
    assert "| llmfake_open_ended | 7 | 0.429 | 0.571 | 70 | 0.700 | 3 |" in text
    del ev["pairs_gold_labels"]
    assert "scored from the gold sentence labels" not in render(default_model_path(), _meta(), ev)
