from claimcheck.evidence import concrete_anchors, evidence_for, hedge_cues


def kinds(s):
    return {(e.kind, e.text) for e in concrete_anchors(s)}


def test_hedge_cues():
    assert [e.text for e in hedge_cues("Discussions likely touched upon trade.")] == ["likely"]
    assert [e.text for e in hedge_cues("Further cooperation seems highly probable.")] == ["seems highly probable"]
    assert "is expected to" in [e.text for e in hedge_cues("The bill is expected to pass.")]
    assert hedge_cues("The council voted 31-17 on Wednesday.") == []


def test_concrete_anchors():
    k = kinds('Revenue fell 12% to $4.1 billion on 3 March 2024, "a blow", Acme Corp said.')
    assert ("percent", "12%") in k
    assert ("money", "$4.1 billion") in k
    assert any(kind == "date" for kind, _ in k)
    assert ("quote", '"a blow"') in k
    assert ("attribution", "said") in k
    assert ("name", "Acme Corp") in k


def test_offsets_are_relative_to_sentence():
    s = "Shares of Tesco rose 3.5% on Monday."
    for e in concrete_anchors(s):
        assert s[e.start:e.end].strip() == e.text


def test_abbreviated_names_and_first_word():
    k = kinds("Officials from the U.S. met the Bank of England.")
    assert ("name", "U.S.") in k and ("name", "Bank of England") in k
    assert not any(t == "Officials" for _, t in k)


def test_boilerplate_has_no_evidence():
    assert evidence_for("This underscores the importance of dialogue.", "boilerplate") == []
