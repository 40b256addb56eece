import types

from claimcheck import ArticleReport

DENSE = ("Dock workers at the Port of Felixstowe returned to work on Monday after their union accepted a "
         "6.5% pay rise. About 1,900 workers took part in the eight-day walkout, which began on 21 August. "
         "Hutchison Ports said the deal would cost £12.4 million a year.")
PADDED = ("Discussions likely touched upon opportunities for increased trade. Further cooperation seems highly "
          "probable. This commitment to dialogue is a cornerstone of foreign policy. In a world often "
          "characterized by escalating tensions, this shared emphasis is particularly significant. "
          "Continued engagement will be vital for navigating the complex challenges ahead.")


def test_check_returns_report_with_offsets(checker):
    r = checker.check(DENSE, id="a")
    assert isinstance(r, ArticleReport)
    assert r.ident == "a"
    for s in r.sentences:
        assert DENSE[s.start:s.end] == s.text
    assert 0 <= r.score <= 100


def test_dense_scores_above_padded(checker):
    assert checker.check(DENSE).score > checker.check(PADDED).score + 30


def test_check_many_is_lazy_and_ordered(checker):
    seen = []
    n = 400

    def gen():
        for i in range(n):
            seen.append(i)
            yield {"id": f"r{i}", "text": DENSE if i % 2 else PADDED}

    it = checker.check_many(gen(), pool_sentences=1)
    assert isinstance(it, types.GeneratorType)
    first = next(it)
    assert first.ident == "r0"
    assert len(seen) <= checker.prefetch + 2 < n  # bounded lookahead, not the whole input
    rest = [next(it) for _ in range(4)]
    assert [r.ident for r in rest] == ["r1", "r2", "r3", "r4"]
    it.close()


def test_check_many_accepts_strings_and_bad_items(checker):
    out = list(checker.check_many(["A plain string.", {"id": 9, "body": "x"}, "", 42]))
    assert len(out) == 4
    assert out[0].ident == 0 and out[0].error is None
    assert out[1].error and "'text'" in out[1].error
    assert out[2].score is None and out[2].reason
    assert out[3].error


def test_to_dict_is_json_serialisable(checker):
    import json

    d = checker.check(DENSE, id=1).to_dict()
    json.dumps(d)
    assert set(d["counts"]) == {"specific", "speculative", "boilerplate"}
