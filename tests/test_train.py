"""Training code paths on a handful of project-written sentences (no ../shared needed).

These check the mechanics — a model trains, saves with its labels, loads and
predicts; temperature fitting; the document split; teacher checks in distillation —
not accuracy, which ``claimcheck eval`` measures on held-out data."""
import json
import shutil

import numpy as np
import pytest

from claimcheck import LABELS
from claimcheck import train as tr
from claimcheck.model import ModelError, SentenceClassifier, default_model_path

SENTENCES = {
    "specific": [
        "The council approved a 4.2 million pound budget on Tuesday by 31 votes to 9.",
        "Police said two men, aged 24 and 31, were arrested in Leeds on Friday night.",
        "The company reported revenue of $8.1bn for the quarter ending in June.",
        "Mayor Ana Ruiz told reporters the bridge would reopen on 3 March.",
        "Floodwater reached 1.8 metres at the Kelso gauge at 6am, the agency said.",
        "The match ended 2-1 after a late goal from substitute Tom Hale.",
    ],
    "speculative": [
        "The talks likely touched on energy cooperation.",
        "The move could signal a shift in the government's strategy.",
        "Prices may keep rising through the summer.",
        "It remains to be seen whether the deal will hold.",
        "Observers believe the minister might resign before the election.",
        "The decision is expected to reshape the regional market.",
    ],
    "boilerplate": [
        "This underscores the importance of dialogue.",
        "Continued engagement will be vital for navigating the challenges ahead.",
        "Readers are encouraged to explore official resources to learn more.",
        "In a rapidly changing world, such partnerships matter more than ever.",
        "The story is a reminder that communities are stronger together.",
        "Only time will tell what the future holds.",
    ],
}


def _examples():
    out = []
    for label, texts in SENTENCES.items():
        for i, t in enumerate(texts):
            out.append(tr.Example(t, label, group=f"doc{i}", corpus="written", doc=f"doc{i}"))
    return out


@pytest.mark.parametrize("pooling", ["cls", "mean"])
def test_train_save_load_predict_round_trip(tmp_path, pooling):
    ex = _examples()
    train = [e for e in ex if e.group != "doc5"]
    dev = [e for e in ex if e.group == "doc5"]
    logs = []
    model, tok, history, best = tr.train_model(train, dev, epochs=1, batch_size=8, threads=2, pooling=pooling,
                                               log=logs.append)
    assert len(history) == 1 and 0.0 <= best <= 1.0
    assert any("dev macro-F1" in line for line in logs)
    out = tmp_path / "tiny"
    meta = {"name": "tiny", "version": "test", "labels": list(LABELS), "temperature": 1.5, "max_length": 64,
            "context": None, "pooling": pooling}
    tr.save_model(model, tok, out, meta)
    assert json.loads((out / "claimcheck.json").read_text())["labels"] == list(LABELS)
    clf = SentenceClassifier.load(out, threads=1)
    assert tuple(clf.labels) == tuple(LABELS) and clf.temperature == 1.5 and clf.pooling == pooling
    # the loaded model scores as the trained one did (fp16 storage aside)
    trained = tr.predict_logits(model, tok, dev, pooling=pooling)
    assert np.allclose(clf.logits([e.text for e in dev])[0], trained, atol=0.02)
    preds = clf.predict([e.text for e in dev])
    assert len(preds) == len(dev)
    for p in preds:
        assert p.label in LABELS
        assert abs(sum(p.probabilities.values()) - 1.0) < 1e-3  # probabilities are rounded to 4 places


def test_mean_pooling_ignores_padding_and_differs_from_cls():
    """A sentence scores the same alone and beside a much longer one (padding is masked
    out of the mean), and mean pooling is not the [CLS] head under another name."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from claimcheck.model import encode, forward_logits, pad_batch

    base = str(tr.base_model_dir())
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(base, local_files_only=True, num_labels=3).eval()
    short, long = SENTENCES["speculative"][0], " ".join(SENTENCES["specific"])
    with torch.inference_mode():
        alone = forward_logits(model, pad_batch(encode(tok, [short]), tok.pad_token_id), "mean")[0]
        both = pad_batch(encode(tok, [short, long]), tok.pad_token_id)
        beside = forward_logits(model, both, "mean")[0]
        cls = forward_logits(model, both, "cls")[0]
    assert torch.allclose(alone, beside, atol=1e-5)
    assert not torch.allclose(beside, cls, atol=1e-3)


def test_unknown_pooling_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad-pooling"
    shutil.copytree(default_model_path(), bad)
    meta = json.loads((bad / "claimcheck.json").read_text())
    meta["pooling"] = "max"
    (bad / "claimcheck.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="pooling"):
        SentenceClassifier.load(bad)


def test_fit_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, size=400)
    logits = rng.normal(size=(400, 3))
    right = rng.random(400) < 0.6  # 60% right, but every prediction made with a margin of 8
    pred = np.where(right, gold, (gold + 1) % 3)
    logits[np.arange(400), pred] += 8.0
    assert tr.fit_temperature(logits, gold.tolist()) > 2.0


def test_split_never_puts_one_document_in_two_parts():
    ex = [tr.Example(f"s{i}", "specific", group=f"g{i % 97}") for i in range(2000)]
    train, dev, test = tr.split(ex)
    assert train and dev and test
    groups = [{e.group for e in part} for part in (train, dev, test)]
    assert not (groups[0] & groups[1]) and not (groups[0] & groups[2]) and not (groups[1] & groups[2])


def test_distill_rejects_a_teacher_with_labels_in_another_order(tmp_path):
    other = tmp_path / "reordered-teacher"
    shutil.copytree(default_model_path(), other)
    order = [LABELS[1], LABELS[0], LABELS[2]]
    meta = json.loads((other / "claimcheck.json").read_text())
    meta["labels"] = order
    (other / "claimcheck.json").write_text(json.dumps(meta))
    cfg = json.loads((other / "config.json").read_text())
    cfg["id2label"] = {str(i): l for i, l in enumerate(order)}
    cfg["label2id"] = {l: i for i, l in enumerate(order)}
    (other / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="labels in the order"):
        tr.distill([default_model_path(), other], tmp_path / "student", shared=tmp_path, layers=1, threads=1)


def test_train_command_reproduces_the_recorded_settings():
    cmd = tr.train_command({"aux_sources": ["claimbuster"], "epochs_max": 3, "seed": 7}, None, "runs/a")
    assert cmd == ("claimcheck train --out runs/a --threads 1 --epochs 3 --seed 7 --aux --aux-source claimbuster "
                   "--no-context")
    cmd = tr.train_command({"aux_sources": [], "epochs_max": 4, "seed": 13, "threads": 2}, dict(tr.CONTEXT), "m")
    assert cmd == "claimcheck train --out m --threads 2 --epochs 4 --seed 13 --no-aux --context"
    cmd = tr.train_command({"aux_sources": ["claimbuster"], "epochs_max": 3, "seed": 13, "threads": 2}, None, "m",
                           pooling="mean")
    assert cmd.endswith("--aux --aux-source claimbuster --no-context --pooling mean")
    cmd = tr.train_command({"aux_sources": ["claimbuster"], "epochs_max": 3, "seed": 13, "threads": 2,
                            "base": "/enc/all-mpnet-base-v2", "lr": 4e-05}, None, "m")
    assert cmd.endswith("--no-context --base /enc/all-mpnet-base-v2 --lr 4e-05")
    assert "--lr" not in tr.train_command({"epochs_max": 3, "seed": 13, "lr": tr.DEFAULT_LR}, None, "m")


def test_train_model_fine_tunes_the_base_it_is_given(tmp_path):
    """``base`` swaps the encoder: a two-layer, 32-wide BERT saved beside the shipped
    tokenizer comes back fine-tuned, not all-MiniLM-L6-v2."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    tok = AutoTokenizer.from_pretrained(str(tr.base_model_dir()), local_files_only=True)
    base = tmp_path / "tiny-bert"
    BertModel(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64)).save_pretrained(base)
    tok.save_pretrained(base)
    ex = _examples()
    model, _, history, _ = tr.train_model([e for e in ex if e.group != "doc5"], [e for e in ex if e.group == "doc5"],
                                          epochs=1, batch_size=8, threads=2, base=base, log=lambda m: None)
    assert model.config.hidden_size == 32 and model.config.num_hidden_layers == 2
    assert len(history) == 1


def test_mean_pooling_on_a_model_with_its_own_head_is_a_clear_error():
    """MPNet (a tiny random one) classifies through a head of its own, not a
    dropout + linear layer that a mean vector could be fed to."""
    import torch
    from transformers import MPNetConfig, MPNetForSequenceClassification
    from claimcheck.model import forward_logits, pad_batch

    cfg = MPNetConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                      intermediate_size=32, max_position_embeddings=40, num_labels=3)
    model = MPNetForSequenceClassification(cfg).eval()
    batch = pad_batch([([0, 5, 6, 2], [0, 0, 0, 0], False)], pad_id=1)
    with torch.inference_mode():
        assert forward_logits(model, batch, "cls").shape == (1, 3)
        with pytest.raises(ModelError, match="use pooling cls"):
            forward_logits(model, batch, "mean")


def test_a_model_fine_tuned_from_another_architecture_saves_loads_and_predicts(tmp_path):
    """What ``claimcheck train --base`` writes for a non-BERT encoder (a tiny random
    MPNet here) loads and classifies through the same inference path."""
    from transformers import AutoTokenizer, MPNetConfig, MPNetModel

    tok = AutoTokenizer.from_pretrained(str(tr.base_model_dir()), local_files_only=True)
    base = tmp_path / "tiny-mpnet"
    MPNetModel(MPNetConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=64, pad_token_id=tok.pad_token_id)).save_pretrained(base)
    tok.save_pretrained(base)
    ex = _examples()
    dev = [e for e in ex if e.group == "doc5"]
    model, tok, _, _ = tr.train_model([e for e in ex if e.group != "doc5"], dev, epochs=1, batch_size=8,
                                      threads=2, base=base, log=lambda m: None)
    out = tmp_path / "m"
    tr.save_model(model, tok, out, {"name": "m", "version": "test", "labels": list(LABELS), "temperature": 1.0,
                                    "max_length": 64, "context": None, "pooling": "cls"})
    clf = SentenceClassifier.load(out, threads=1)
    assert type(clf.model).__name__ == "MPNetForSequenceClassification"
    assert np.allclose(clf.logits([e.text for e in dev])[0], tr.predict_logits(model, tok, dev), atol=0.02)
