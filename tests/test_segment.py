from claimcheck.segment import split_sentences


def texts(t):
    units = split_sentences(t)
    for u in units:
        assert t[u.start:u.end] == u.text, "offsets must slice back to the sentence"
    return [u.text for u in units]


def test_offsets_slice_back_and_cover_all_words():
    t = "  First sentence here.  Second one!\n\nThird?   "
    got = texts(t)
    assert got == ["First sentence here.", "Second one!", "Third?"]


def test_abbreviations_decimals_money_do_not_split():
    t = ("The U.S. Senate voted 52-48 on Tuesday. Revenue fell 3.5% to $4.1bn in the third quarter, "
         "Mr. Smith said. Dr. Jones of Acme Inc. agreed.")
    assert texts(t) == ["The U.S. Senate voted 52-48 on Tuesday.",
                        "Revenue fell 3.5% to $4.1bn in the third quarter, Mr. Smith said.",
                        "Dr. Jones of Acme Inc. agreed."]


def test_quotes_stay_with_attribution():
    t = '"We will not raise rates this year," the governor told reporters. Markets rose.'
    assert texts(t) == ['"We will not raise rates this year," the governor told reporters.', "Markets rose."]


def test_headings_and_list_items_are_their_own_units():
    t = "Budget talks stall\n\nThe council met on Monday. It adjourned.\n\n- first item\n- second item\n"
    assert texts(t) == ["Budget talks stall", "The council met on Monday.", "It adjourned.",
                        "- first item", "- second item"]


def test_heading_line_directly_above_paragraph():
    t = "Harbour strike ends\nDock workers returned to work on Monday after a deal. The union accepted it."
    got = texts(t)
    assert got[0] == "Harbour strike ends"
    assert got[1].startswith("Dock workers")


def test_wrapped_prose_is_not_split_at_newlines():
    t = "The committee said on Tuesday that it would\nreview the decision in March, and that\nno date had been set."
    assert len(texts(t)) == 1


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n ") == []


def test_very_long_unpunctuated_run_is_bounded():
    t = " ".join(["word"] * 10000)
    units = split_sentences(t)
    assert sum(len(u.text.split()) for u in units) == 10000
    assert all(len(u.text) <= 20_000 for u in units)
