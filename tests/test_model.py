import shutil

import pytest

from claimcheck import LABELS, Checker, ModelError
from claimcheck.model import default_model_path

# Clear cases of each label, written for this test (ANNOTATION.md style).
CLEAR = {
    "specific": [
        "Revenue fell 12% to $4.1 billion in the third quarter, the company said on Thursday.",
        "Oman's foreign minister, Sayyid Badr Albusaidi, spoke by telephone with Sergei Lavrov on Tuesday.",
        "The fire destroyed 14 homes in the village of Ashby on Friday, police said.",
    ],
    "speculative": [
        "Discussions likely touched upon opportunities for increased trade.",
        "Further cooperation in the energy sector seems highly probable.",
        "The move could signal a shift in the region's strategy in the coming months.",
    ],
    "boilerplate": [
        "This commitment to international diplomacy is a cornerstone of the country's foreign policy.",
        "In a world often characterized by escalating tensions, this shared emphasis is particularly significant.",
        "Readers interested in learning more are encouraged to explore official government resources.",
    ],
}


def test_shipped_model_carries_its_labels(checker):
    assert set(checker.classifier.labels) == set(LABELS)
    assert checker.classifier.temperature > 0


@pytest.mark.parametrize("label", LABELS)
def test_shipped_model_gets_clear_cases_right(checker, label):
    got = checker.classify(CLEAR[label])
    assert [g.label for g in got] == [label] * len(CLEAR[label]), [(g.text, g.probabilities) for g in got]


def test_probabilities_sum_to_one_and_order_is_restored(checker):
    sents = [s for v in CLEAR.values() for s in v] + ["Short.", "A much longer sentence " * 20]
    batched = checker.classifier.predict(sents, batch_size=4)
    single = [checker.classifier.predict([s])[0] for s in sents]
    for b, s in zip(batched, single):
        assert abs(sum(b.probabilities.values()) - 1) < 1e-3
        assert b.label == s.label
        for lab in LABELS:
            assert b.probabilities[lab] == pytest.approx(s.probabilities[lab], abs=2e-3)


def test_long_sentence_truncated_and_flagged(checker):
    r = checker.classify(["word " * 3000])[0]
    assert r.truncated


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError) as e:
        Checker.load(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(e.value)


def test_corrupt_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(default_model_path(), bad)
    (bad / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError) as e:
        Checker.load(bad)
    assert str(bad) in str(e.value)


def test_incomplete_model_names_missing_file(tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(default_model_path(), bad)
    (bad / "claimcheck.json").unlink()
    with pytest.raises(ModelError, match="claimcheck.json"):
        Checker.load(bad)


def test_neighbours_pairs_each_sentence_with_previous_and_next():
    from claimcheck.model import neighbours

    assert neighbours(["a", "b", "c"]) == [("", "b"), ("a", "c"), ("b", "")]
    assert neighbours(["only"]) == [("", "")]
    assert neighbours([]) == []


def test_encode_puts_context_tail_and_head_in_the_second_segment(checker):
    from claimcheck.model import encode

    tok = checker.classifier.tokenizer
    ctx = {"prev_tokens": 3, "next_tokens": 2}
    sent = "The council approved the budget on Monday."
    [(ids, types, truncated)] = encode(tok, [sent], [("one two three four five", "six seven eight nine")], 128, ctx)
    n_sent = len(tok(sent)["input_ids"])
    assert ids[:n_sent] == tok(sent)["input_ids"] and set(types[:n_sent]) == {0}
    assert tok.convert_ids_to_tokens(ids[n_sent:]) == ["three", "four", "five", "[SEP]", "six", "seven", "[SEP]"]
    assert types[n_sent:] == [1] * 7 and not truncated
    # without a context setting the sentence is encoded alone
    [(ids0, types0, _)] = encode(tok, [sent], [("x", "y")], 128, None)
    assert ids0 == tok(sent)["input_ids"] and set(types0) == {0}
    # an over-long sentence is cut to max_length before the context and flagged
    [(ids2, _, truncated2)] = encode(tok, ["word " * 300], [("a", "b")], 16, ctx)
    assert truncated2 and ids2[15] == tok.sep_token_id and len(ids2) == 16 + 4


def test_classify_rejects_mismatched_contexts(checker):
    with pytest.raises(ValueError):
        checker.classify(["One.", "Two."], contexts=[("", "")])
