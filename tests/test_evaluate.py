"""The article score computed from gold labels, and pairwise accuracy over it (no ../shared needed)."""
from claimcheck.corpora import Doc
from claimcheck.evaluate import gold_article_scores, gold_pairwise
from claimcheck.train import Example


def ex(text, label, doc, corpus="xsum_human"):
    return Example(text, label, "g:" + doc, corpus, doc)


def test_gold_score_weights_each_sentence_by_its_words():
    rows = [ex("The council voted 7-2 on Monday to close the Elm Street library.", "specific", "a"),  # 12 words
            ex("Time will tell.", "boilerplate", "a"),  # 3 words
            ex("Officials may reconsider.", "speculative", "a"),  # 3 words
            ex("Nothing here is checkable at all.", "boilerplate", "b"),
            ex("This was written for the tests.", "specific", "w", corpus="written")]
    g = gold_article_scores(rows)
    assert set(g) == {("xsum_human", "a"), ("xsum_human", "b")}  # hand-written sentences are not articles
    assert abs(g[("xsum_human", "a")] - 100 * 12 / 18) < 1e-9
    assert g[("xsum_human", "b")] == 0.0


def test_gold_pairwise_counts_wins_and_ties_only_over_labelled_pairs():
    d = lambda corpus, i: Doc(corpus, i, "g", "")
    gold = {("h", "1"): 80.0, ("m", "1"): 40.0,
            ("h", "2"): 50.0, ("m", "2"): 50.0,
            ("h", "3"): 10.0, ("m", "3"): 90.0,
            ("h", "4"): 99.0}  # machine twin of 4 unlabelled: left out
    pairs = [("xsum", d("h", i), d("m", i)) for i in "1234"]
    assert gold_pairwise(pairs, gold) == {"xsum": {"n": 3, "labels": 1, "ties": 1}}
