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
    model = {("h", "1"): 70.0, ("m", "1"): 75.0, ("h", "2"): 60.0, ("m", "2"): 20.0,
             ("h", "3"): 55.0, ("m", "3"): 30.0, ("h", "4"): 90.0, ("m", "4"): 10.0}
    assert gold_pairwise(pairs, gold, model) == {"xsum": {"n": 3, "labels": 1, "ties": 1, "model": 2}}


def test_paired_bootstrap_matches_f1_report_and_resamples_documents():
    import random

    from claimcheck.evaluate import paired_bootstrap
    from claimcheck.labels import LABELS
    from claimcheck.train import f1_report

    rng = random.Random(3)
    gold = [rng.choice(LABELS) for _ in range(600)]
    groups = [f"doc{i // 6}" for i in range(600)]
    noisy = lambda p_keep: [g if rng.random() < p_keep else rng.choice(LABELS) for g in gold]
    a, b = noisy(0.6), noisy(0.9)
    r = paired_bootstrap(gold, a, b, groups, n=300)
    assert abs(r["diff"] - (f1_report(gold, b)["macro_f1"] - f1_report(gold, a)["macro_f1"])) < 1e-3
    assert 0 < r["low"] < r["diff"] < r["high"]
    same = paired_bootstrap(gold, a, a, groups, n=50)
    assert same == {"diff": 0.0, "low": 0.0, "high": 0.0, "n": 50}
