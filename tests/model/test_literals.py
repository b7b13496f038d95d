"""claimledger's canonical literal forms and canonical N-Triples, computed by claimledger
itself: checked against the XSD rules and against what an engine (Oxigraph) makes of the
same values — whatever form the engine keeps, claimledger reads back the same canonical one."""

from __future__ import annotations

import struct
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.model import literals, ntriples
from claimledger.model.literals import XSD, LexicalError, canonical_form

_STORE = ox.Store()


def engine_form(value: str, local: str) -> str:
    """What Oxigraph keeps of a literal and gives back."""
    _STORE.clear()
    node = ox.NamedNode("urn:s")
    _STORE.add(ox.Quad(node, node, ox.Literal(value, datatype=ox.NamedNode(XSD + local)),
                       ox.DefaultGraph()))
    return next(iter(_STORE)).object.value


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_doubles_read_back_the_same_whatever_the_engine_keeps(x):
    typed = repr(x)
    form = canonical_form(typed, XSD + "double")
    assert float(form) == x  # the value is kept exactly
    assert canonical_form(engine_form(typed, "double"), XSD + "double") == form
    mantissa, exponent = form.split("E")
    assert mantissa.lstrip("-")[1] == "." and (x == 0 or mantissa.lstrip("-")[0] != "0")


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_floats_keep_32_bit_values(x):
    form = canonical_form(repr(x), XSD + "float")
    assert struct.unpack("<f", struct.pack("<f", float(form)))[0] == x
    assert canonical_form(engine_form(repr(x), "float"), XSD + "float") == form


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_decimals(d):
    typed = format(d, "f")
    form = canonical_form(typed, XSD + "decimal")
    assert Decimal(form) == d
    assert canonical_form(engine_form(typed, "decimal"), XSD + "decimal") == form
    assert not form.startswith("+") and (form == "0" or not form.lstrip("-").startswith("00"))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10 ** 30), max_value=10 ** 30), st.sampled_from(["", "+", "000"]))
def test_integers(n, decoration):
    typed = (decoration if n >= 0 else "-" + decoration.lstrip("+")) + str(abs(n))
    assert canonical_form(typed, XSD + "integer") == str(n)
    assert canonical_form(engine_form(typed, "integer"), XSD + "integer") == str(n)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(), st.sampled_from(["", "Z", "+00:00", "-00:00", "+05:30", "-11:00"]),
       st.sampled_from(["", "0", "260", "5000", "123456"]))
def test_date_times(moment, zone, fraction):
    typed = (f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%S")
             + (f".{fraction}" if fraction else "") + zone)
    form = canonical_form(typed, XSD + "dateTime")
    assert form == engine_form(typed, "dateTime")
    assert not form.endswith("+00:00") and ".0" not in form[-4:]


@pytest.mark.parametrize("value,local,form", [
    ("INF", "double", "INF"), ("-INF", "double", "-INF"), ("NaN", "double", "NaN"),
    ("-0", "double", "-0.0E0"), ("1e39", "float", "INF"), ("0", "boolean", "false"),
    ("PT90M", "dayTimeDuration", "PT1H30M"), ("P24M", "yearMonthDuration", "P2Y"),
    ("P0Y", "yearMonthDuration", "P0M"), ("--02-29", "gMonthDay", "--02-29"),
    ("2017-12-31T24:00:00Z", "dateTime", "2018-01-01T00:00:00Z"),
])
def test_special_values(value, local, form):
    assert canonical_form(value, XSD + local) == form


@pytest.mark.parametrize("value,local", [
    ("1.5", "integer"), ("", "integer"), ("e3", "double"), ("true ", "boolean"),
    ("2017-13-01", "date"), ("2019-02-29", "date"), ("10:60:00", "time"), ("P", "duration"),
    ("PT1H", "yearMonthDuration"), ("P1M", "dayTimeDuration"), ("--13", "gMonth"),
    ("---32", "gDay"), ("300", "byte"), ("1", "long"), ("x", "base64Binary"),
])
def test_what_does_not_fit_is_refused(value, local):
    with pytest.raises(LexicalError):
        canonical_form(value, XSD + local)


def test_other_datatypes_are_kept_as_written():
    wkt = "http://www.opengis.net/ont/geosparql#wktLiteral"
    assert canonical_form("POINT( 1  2 )", wkt) == "POINT( 1  2 )"


def test_store_reads_are_lenient_input_is_strict():
    bad = ox.Literal("c", datatype=ox.NamedNode(XSD + "integer"))
    assert literals.canonical(bad, strict=False) is bad
    with pytest.raises(LexicalError):
        literals.canonical(bad)
    tagged = ox.Literal("x", language="en")
    assert literals.canonical(tagged) is tagged


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_canonical_n_triples_round_trip_through_a_parser(text):
    triple = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(text))
    line = ntriples.line(triple)
    (parsed,) = list(ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    assert parsed.triple == triple
    body = line[len("<urn:s> <urn:p> "):-2]
    assert all(ord(c) >= 0x20 and ord(c) != 0x7F for c in body)  # no raw control characters


def test_canonical_n_triples_escapes():
    lit = ox.Literal('a"b\\c\nd\re\tf\x08g\x0ch\x01i\x7fj')
    assert ntriples.term(lit) == '"a\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u007Fj"'
    assert ntriples.term(ox.Literal("x", language="en-gb")) == '"x"@en-gb'
    assert ntriples.term(ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))) == \
        f'"7"^^<{XSD}integer>'
    assert ntriples.term(ox.Literal("s", datatype=ox.NamedNode(XSD + "string"))) == '"s"'
