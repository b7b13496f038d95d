"""The lexical spaces of XSD datatypes (``sh:datatype``): the Python rules against independent
references (Python's calendar and integers), and the SPARQL expression against the Python
rules, string by string, on Oxigraph."""

from __future__ import annotations

import calendar
import datetime as dt
import random

import pyoxigraph as ox
import pytest

from claimledger.validation import xsd

XSD = xsd.XSD


def sparql_answers(pairs: list[tuple[str, str]], casts: bool = True) -> list[bool]:
    """For each ``(lexical, datatype)``: :func:`xsd.sparql_valid` evaluated by Oxigraph."""
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    for i, (lexical, datatype) in enumerate(pairs):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p,
                          ox.Literal(lexical, datatype=ox.NamedNode(datatype))))
    answers = {}
    for i, (lexical, datatype) in enumerate(pairs):
        s = ox.NamedNode(f"http://example.org/s{i}")
        term = next(store.quads_for_pattern(s, p, None)).object
        if term.value != lexical or term.datatype.value != datatype:
            answers[i] = None  # Oxigraph rewrote it: the engine never compiles such data
            continue
        ask = f"ASK {{ {s} {p} ?w . FILTER ({xsd.sparql_valid('?w', datatype, casts=casts)}) }}"
        answers[i] = bool(store.query(ask))
    return [answers[i] for i in range(len(pairs))]


def test_leap_years_follow_the_proleptic_gregorian_calendar():
    for year in list(range(0, 2500)) + [10000, 10400, 10100, 99996, 100000, 123456]:
        text = f"{year:04d}-02-29"
        assert xsd.valid(text, XSD + "date") == calendar.isleap(year), text
        assert xsd.valid(f"-{text}", XSD + "date") == calendar.isleap(year), text
    assert xsd.valid("0000-02-29", XSD + "date")  # year 0000 (1 BCE) is a leap year


def test_days_of_the_month():
    for month in range(1, 13):
        for day in range(0, 33):
            text = f"2023-{month:02d}-{day:02d}"
            try:
                dt.date(2023, month, day)
                expected = True
            except ValueError:
                expected = False
            assert xsd.valid(text, XSD + "date") == expected, text
            assert xsd.valid(text + "T00:00:00Z", XSD + "dateTime") == expected, text


@pytest.mark.parametrize("datatype, good, bad", [
    ("integer", ["0", "-5", "+12", "007"], ["", " 5", "5 ", "1.0", "1e3", "five", "5\n"]),
    ("byte", ["127", "-128", "+0", "0000000000000000000000001"], ["128", "-129", "300", "c"]),
    ("unsignedLong", ["18446744073709551615", "-0"], ["18446744073709551616", "-1"]),
    ("nonNegativeInteger", ["99999999999999999999999999999", "-0"], ["-1"]),
    ("positiveInteger", ["1", "+007"], ["0", "-0", "+0"]),
    ("negativeInteger", ["-1"], ["0", "-0", "1"]),
    ("decimal", ["1", "1.", ".5", "-1.50"], [".", "1e3", "1.5.", "INF"]),
    ("double", ["1e3", "-INF", "+INF", "NaN", ".5E-2"], ["nan", "1e", "e3", "Infinity"]),
    ("boolean", ["true", "false", "1", "0"], ["TRUE", "tru", "01", " true"]),
    ("dateTime", ["2024-02-29T24:00:00Z", "0000-01-01T00:00:00.5+14:00", "-0044-03-15T12:00:00"],
     ["2023-02-29T00:00:00", "2024-01-01T24:00:01", "2024-01-01T00:00:00+14:01", "2024-01-01"]),
    ("dateTimeStamp", ["2024-01-01T00:00:00Z"], ["2024-01-01T00:00:00"]),
    ("time", ["23:59:59.999", "24:00:00"], ["12:61:00", "25:00:00"]),
    ("gYear", ["2024", "-0001", "12345Z"], ["abc", "024", "02024"]),
    ("gYearMonth", ["2024-12"], ["2021-13", "2021-1"]),
    ("gMonthDay", ["--02-29", "--12-31"], ["--02-30", "--04-31"]),
    ("gDay", ["---31"], ["---32", "--31"]),
    ("gMonth", ["--12"], ["--13", "-12"]),
    ("duration", ["P1Y", "PT1.5S", "-P1DT2H"], ["P", "PT", "P1Q", "P1S"]),
    ("dayTimeDuration", ["P1D", "PT1M"], ["P1Y", "P1M"]),
    ("yearMonthDuration", ["P1Y2M"], ["P1D", "P"]),
    ("hexBinary", ["", "0A", "ff00"], ["abc", "0G"]),
    ("base64Binary", ["", "QQ==", "QUJD"], ["Q", "QQ=", "A==="]),
    ("language", ["en", "en-GB", "x-klingon"], ["1 2", "en_GB", "toolongtag"]),
    ("token", ["a b", ""], [" a", "a  b", "a\tb"]),
    ("normalizedString", ["a  b"], ["a\nb"]),
    ("NCName", ["a", "_x-1"], ["1a", "a:b", ""]),
    ("Name", ["a:b"], ["1a", ""]),
    ("NMTOKEN", ["1a"], ["a b", ""]),
])
def test_lexical_spaces(datatype, good, bad):
    iri = XSD + datatype
    assert [xsd.valid(g, iri) for g in good] == [True] * len(good)
    assert [xsd.valid(b, iri) for b in bad] == [False] * len(bad)
    answers = sparql_answers([(v, iri) for v in good + bad])
    expected = [True] * len(good) + [False] * len(bad)
    assert [a for a, e in zip(answers, expected) if a is not None and a != e] == []


@pytest.mark.parametrize("casts", [True, False], ids=["casts", "regular-expressions"])
def test_sparql_agrees_with_python_on_random_strings(casts):
    """Random strings built from the characters of every lexical space, for every datatype;
    both forms of the SPARQL check (casts where exact, regular expressions everywhere)."""
    rng = random.Random(12)
    alphabet = "0123456789+-.:eETZPYMDHS ABINFaft_x=/\t\n"
    pairs = []
    for name in xsd.PATTERNS:
        for _ in range(150):
            pairs.append(("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))),
                          XSD + name))
    # and near misses of valid dates, times and numbers
    for _ in range(300):
        y, m, d = rng.randint(0, 2500), rng.randint(0, 13), rng.randint(0, 32)
        pairs.append((f"{y:04d}-{m:02d}-{d:02d}", XSD + "date"))
        pairs.append((f"{y:04d}-{m:02d}-{d:02d}T{rng.randint(0, 25):02d}:00:00Z", XSD + "dateTime"))
        pairs.append((f"--{m:02d}-{d:02d}", XSD + "gMonthDay"))
        pairs.append((str(rng.randint(-70000, 70000)), XSD + rng.choice(list(xsd.RANGES))))
    answers = sparql_answers(pairs, casts)
    wrong = [(v, t, a) for (v, t), a in zip(pairs, answers) if a is not None and a != xsd.valid(v, t)]
    assert wrong == []
    assert sum(a is not None for a in answers) > len(pairs) // 2  # the SPARQL side was exercised


def test_what_is_decided_here():
    assert xsd.known(XSD + "byte") and xsd.known("http://example.org/myType")
    assert xsd.known(xsd.RDF + "langString")
    assert not xsd.known(XSD + "QName") and not xsd.known(xsd.RDF + "XMLLiteral")
    assert xsd.valid("anything at all", "http://example.org/myType")
