import pytest

from claimcheck.evidence import Evidence
from claimcheck.report import ArticleReport, SentenceResult, article_score, band_for


def sr(text, label, p_spec, p_spec_other=None, evidence=()):
    rest = 1.0 - p_spec
    probs = {"specific": p_spec, "speculative": rest / 2, "boilerplate": rest / 2}
    if label != "specific":
        probs = {"specific": p_spec, "speculative": rest if label == "speculative" else 0.0,
                 "boilerplate": rest if label == "boilerplate" else 0.0}
    return SentenceResult(text, 0, len(text), label, probs, list(evidence))


def test_score_is_word_weighted_probability_of_specific():
    s = [sr("one two three four", "specific", 0.9),        # 4 words
         sr("a b", "boilerplate", 0.1),                     # 2 words
         sr("w x y z v u", "speculative", 0.2)]             # 6 words
    expected = 100 * (4 * 0.9 + 2 * 0.1 + 6 * 0.2) / 12
    assert article_score(s) == pytest.approx(round(expected, 1))


def test_score_none_without_words():
    assert article_score([]) is None


@pytest.mark.parametrize("score,band", [(100, "dense"), (85, "dense"), (84.9, "solid"), (60, "solid"),
                                        (45, "mixed"), (20, "thin"), (19.9, "hollow"), (0, "hollow"),
                                        (None, None)])
def test_bands(score, band):
    assert band_for(score) == band


def test_counts_shares_anchors_and_worst():
    ev = [Evidence(0, 3, "$4m", "money"), Evidence(4, 9, "Acme", "name")]
    s = [sr("$4m Acme said", "specific", 0.95, evidence=ev),
         sr("$4m Acme again here", "specific", 0.9, evidence=[Evidence(0, 3, "$4M", "money")]),
         sr("It may rain", "speculative", 0.1),
         sr("Dialogue matters a lot", "boilerplate", 0.02)]
    r = ArticleReport("id", "x", sentences=s)
    r.score = article_score(s)
    assert r.counts() == {"specific": 2, "speculative": 1, "boilerplate": 1}
    assert r.words == 3 + 4 + 3 + 4
    assert r.word_shares() == {"specific": round(7 / 14, 4), "speculative": round(3 / 14, 4),
                               "boilerplate": round(4 / 14, 4)}
    # anchors are distinct (case-insensitive), from specific sentences only
    assert [a["text"] for a in r.anchors()] == ["$4m", "Acme"]
    assert r.anchor_density() == round(100 * 2 / 14, 2)
    worst = r.worst()
    assert [w["label"] for w in worst] == ["boilerplate", "speculative"]  # 0.98 then 0.9 confidence
    assert worst[0]["index"] == 3


def test_to_dict_contract():
    s = [sr("Acme said so", "specific", 0.9)]
    r = ArticleReport("path", "a.txt", text="Acme said so", sentences=s, score=article_score(s))
    d = r.to_dict()
    for k in ("path", "score", "band", "counts", "word_shares", "anchors", "anchor_density", "worst", "sentences",
              "words", "text"):
        assert k in d
    assert set(d["sentences"][0]) >= {"text", "start", "end", "label", "probabilities", "evidence"}


def test_error_record_dict():
    r = ArticleReport("id", 7, error="bad.jsonl:3: malformed JSON")
    d = r.to_dict()
    assert d == {"id": 7, "score": None, "band": None, "error": "bad.jsonl:3: malformed JSON"}
