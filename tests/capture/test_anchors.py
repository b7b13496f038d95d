"""Finding a quote in a text: one normalisation for both sides, exact positions, 32-character
context, occurrences, and the closest passage when it is not there."""

from __future__ import annotations

import pytest

from claimledger.capture import anchors


@pytest.mark.parametrize("text, quote", [
    ("He said \u201cno\u201d twice.", 'said "no" twice'),
    ("It\u2019s done", "It's done"),
    ("1990\u20132000 \u2014 a decade", "1990-2000 - a decade"),
    ("the bridge\u00a0fell", "the bridge fell"),
    ("the   bridge\n\tfell", "the bridge fell"),
    ("infor\u00admation age", "information age"),
    ("wait\u2026 what", "wait... what"),
    ("narrow\u202fspace", "narrow space"),
    ("zero\u200bwidth", "zerowidth"),
    ("\u00abQuoted\u00bb", '"Quoted"'),
])
def test_both_sides_are_normalised_the_same_way(text, quote):
    spots = anchors.occurrences(text, quote)
    assert len(spots) == 1
    start, end = spots[0]
    assert anchors.squeeze(text[start:end]) == anchors.squeeze(quote)
    # and the other way round: the typographic original is found in a plain copy
    assert len(anchors.occurrences(anchors.squeeze(text), text[start:end])) == 1


@pytest.mark.parametrize("text, quote", [
    ("The Bridge fell", "the bridge fell"),      # case matters
    ("the bridge fel", "the bridge fell"),       # spelling matters
    ("the bridge, fell", "the bridge fell"),     # punctuation matters
])
def test_nothing_else_is_forgiven(text, quote):
    assert anchors.occurrences(text, quote) == []


def test_positions_prefix_and_suffix():
    before = "x" * 40 + " and then "
    text = before + "the mayor said\n  the bridge fell" + ", and nobody came to help at all that night."
    m = anchors.locate(text, "the mayor said the bridge fell")
    assert (m.start, m.end) == (len(before), len(before) + len("the mayor said\n  the bridge fell"))
    assert m.exact == text[m.start:m.end] == "the mayor said\n  the bridge fell"
    assert m.prefix == text[m.start - 32:m.start] and len(m.prefix) == 32
    assert m.suffix == text[m.end:m.end + 32] and len(m.suffix) == 32
    assert (m.occurrence, m.occurrences) == (1, 1)
    short = anchors.locate("the end", "end")
    assert (short.prefix, short.suffix) == ("the ", "")


def test_occurrences_and_context():
    text = "He said yes. Later she said yes. Then they said yes."
    assert len(anchors.occurrences(text, "said yes")) == 3
    assert anchors.locate(text, "said yes", occurrence=2).start == text.index("she said") + 4
    assert anchors.locate(text, "said yes", occurrence=4) is None
    assert anchors.locate(text, "said yes", prefix="they ").start == text.index("they said") + 5
    assert anchors.context_fits(text, anchors.occurrences(text, "said yes")[1], "she", None)


def test_the_closest_passage_is_found_and_measured():
    text = ("Officials spoke at length. The mayor said the bridge had collapsed in the night. "
            "Reporters left early.")
    near = anchors.closest(text, "the mayor said the bridge had fallen in the night")
    assert near.passage.startswith("The mayor said the bridge had collapsed")
    assert 0.7 < near.similarity < 1
    assert anchors.closest("", "x") is None
