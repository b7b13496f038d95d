"""Hostile and malformed input: a correct write or a clear error (exit 2) — nothing else.

Property-based (hypothesis): slugs, IRIs, CURIEs, literals with every kind of quote, newline,
escape and Unicode (RTL marks, NUL, lone surrogates, huge), dates, grades — through the CLI
for ``source add``, ``claim add``, ``evidence add``, ``claim verdict`` and ``source link``.
Each case ends in exit 0 with the value stored verbatim (read back through ``show --format
json``), or in exit 1/2 with ``Error: …`` (a JSON error object with ``--format json``) and
the ledger byte-for-byte unchanged; never a
traceback. Then whole files to import (truncated Turtle/TriG, invalid and deeply nested
JSON-LD, huge literals, over-size files, RDF/XML with external or exponential entities,
remote ``@context``, RDF-star) and SPARQL injection in every text field and every report
parameter.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
from datetime import date, datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.query import reports
from claimledger.model import vocab as V
from claimledger.cli import cli
from claimledger.errors import InputError
from claimledger.ledger import Ledger
from claimledger.model.terms import canonical

from conftest import BASE, EX, snapshot

from benchmarks import torture

HYPOTHESIS = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "25")), deadline=None,
                      derandomize=not os.environ.get("HOSTILE_RANDOM"),
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                             HealthCheck.function_scoped_fixture,
                                             HealthCheck.filter_too_much])

MAX_TEXT = 1 << 20
INJECTIONS = list(torture.INJECTIONS)
PIECES = ['"', "'", '"""', "'''", "\\", "\\u0022", "\\U0001F600", "\\n", "\n", "\r", "\r\n", "\t",
          "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u200e", "\u200f", "\u202e", "\u2066",
          "\ufeff", "\uffff", "\ud800", "\udfff", "\U0001F600", "漢字", "עברית", "e\u0301",
          "\u2028", " ", "{", "}", "<", ">", "#", ";", "@en", "?s", "٣", "x"] + INJECTIONS

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SLUG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_])?")
#: What may never appear in a stored IRI (RFC 3987: excluded characters, controls, bidi marks).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]')


# -- strategies ---------------------------------------------------------------------------------

def texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(st.characters(exclude_categories=[]), max_size=40),   # any code point, surrogates too
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join),
        st.sampled_from(INJECTIONS),
        st.sampled_from(["", " ", "\t\n", "\u00a0", "\u3000"]),
    )


def slugs() -> st.SearchStrategy[str]:
    return st.one_of(
        st.from_regex(_SLUG, fullmatch=True),
        st.text(st.characters(exclude_categories=[]), min_size=1, max_size=10),
        st.builds(lambda a, b: a + b, st.from_regex(_SLUG, fullmatch=True),
                  st.sampled_from(["\n", "\r", " ", "/x", "..y", "#", "?", "%20", "\ud800", "\u0660", ".", "-"])),
        st.sampled_from(["a" * 128, "a" * 129, "a..b", "-a", ".a", "a-", "a.", "_a"]),
    )


def iris() -> st.SearchStrategy[str]:
    local = st.text(st.characters(exclude_categories=[]), max_size=12)
    return st.one_of(
        local.map(lambda s: "ex:" + s),
        local.map(lambda s: "<https://e.org/" + s + ">"),
        local.map(lambda s: "https://e.org/" + s),
        st.sampled_from(["ex:ok", "<https://e.org/a>b>", "ex:a>", "ex://evil", "<ex:a>", "<>", "<relative/x>",
                         "urn:x:y", "mailto:a@b.c", "javascript:alert(1)", "zz:a", "http://[::1",
                         "https://e.org/\u202eevil", "https://e.org/%ZZ", "_:b0", '"lit"', "ex:a\n",
                         "<https://e.org/x> ; DROP ALL", "https://e.org/a#b#c", "ex:" + "a" * 3000]),
        st.sampled_from(INJECTIONS),
    )


def text_ok(value: str, *, allow_empty: bool = False) -> bool:
    """Independent statement of what a text field accepts."""
    return ((allow_empty or bool(value.strip())) and not _SURROGATE.search(value)
            and not _CONTROL.search(value) and len(value) <= MAX_TEXT)


# -- the ledger and the runner ------------------------------------------------------------------

class Run:
    """The CLI in process; any traceback or exit code other than 0, 1, 2 fails the test."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args: str):
        env = {"CLAIMLEDGER_LEDGER": str(self.path), "CLAIMLEDGER_AGENT": "tester",
               "CLAIMLEDGER_DEBUG": "", "CLAIMLEDGER_LOCK_TIMEOUT": "10"}
        r = self.runner.invoke(cli, list(args), env=env, catch_exceptions=True)
        out = r.stdout + r.stderr
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise AssertionError(f"{args!r} raised {r.exception!r}") from r.exception
        assert r.exit_code in (0, 1, 2), f"{args!r} exited {r.exit_code}: {out[-500:]}"
        assert "Traceback" not in out and "internal error" not in out, f"{args!r}: {out[-800:]}"
        return r

    def expect(self, args: list[str], *, ok: bool | None, allow_rule: bool = False):
        """Run ``args``; ``ok`` True: must be accepted; False: must be refused; None: either.

        A refusal must say ``Error:`` (with ``--format json``: be one JSON error object with
        the exit code) and leave the ledger exactly as it was.
        """
        before = snapshot(self.path)
        r = self(*args)
        if r.exit_code == 0:
            assert ok is not False, f"accepted {args!r}: {r.stdout[-300:]}"
        else:
            assert ok is not True or (allow_rule and r.exit_code == 1), \
                f"refused {args!r} (exit {r.exit_code}): {r.stderr[-500:]}"
            assert "Error: " in r.stderr or _json_error(r.stderr, r.exit_code), r.stderr[-300:]
            assert snapshot(self.path) == before, f"refused {args!r} but the ledger changed"
        return r


def _json_error(stderr: str, code: int) -> bool:
    """Whether ``stderr`` ends with the JSON error object ``--format json`` gives."""
    try:
        data = json.loads(stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False
    return isinstance(data, dict) and bool(data.get("error")) and data.get("exit_code") == code


_count = itertools.count(1)


def fresh(prefix: str) -> str:
    return f"{prefix}{next(_count)}"


@pytest.fixture
def hostile(tmp_path_factory) -> Run:
    """A small ledger of its own for each test (snapshots stay cheap)."""
    path = tmp_path_factory.mktemp("hostile") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.sources.add("a", title="Source A", reliability="B")
        led.sources.add("b", title="Source B", reliability="C")
        led.claims.add("x", subject="ex:s", predicate="ex:p", object="ex:o", text="a claim")
    return Run(path)


def show_claim(run: Run, slug: str) -> dict:
    return json.loads(run("claim", "show", slug, "--format", "json").stdout)["claim"]


def show_source(run: Run, slug: str) -> dict:
    return json.loads(run("source", "show", slug, "--format", "json").stdout)


def stored_object(run: Run, slug: str):
    with Ledger.open(run.path) as led:
        return next(led.store.triples(led.iri("claim", slug), V.OBJECT, None)).object


# -- text fields --------------------------------------------------------------------------------

@HYPOTHESIS
@given(text=texts())
def test_source_title_and_justification(hostile, text):
    slug = fresh("st")
    r = hostile.expect(["source", "add", slug, "--title", text], ok=text_ok(text))
    if r.exit_code == 0:
        assert show_source(hostile, slug)["title"] == text
    slug = fresh("sj")
    r = hostile.expect(["source", "add", slug, "--title", "T", "--anonymous", "--justification", text,
                        "--known-to", "editor"], ok=text_ok(text))
    if r.exit_code == 0:
        assert show_source(hostile, slug)["justification"] == text


@HYPOTHESIS
@given(text=texts(), value=texts())
def test_claim_text_and_literal_value(hostile, text, value):
    slug = fresh("ct")
    r = hostile.expect(["claim", "add", slug, "--subject", "ex:s", "--predicate", "ex:p",
                        "--value", value, "--text", text],
                       ok=text_ok(text) and text_ok(value, allow_empty=True))
    if r.exit_code == 0:
        assert show_claim(hostile, slug)["text"] == text
        stored = stored_object(hostile, slug)
        assert isinstance(stored, ox.Literal) and stored.value == value
        assert stored.datatype == V.XSD_STRING


@HYPOTHESIS
@given(quote=texts(), locator=texts(), around=texts())
def test_evidence_quote_locator_prefix(hostile, quote, locator, around):
    r = hostile.expect(["evidence", "add", "x", "a", "--supports", "--quote", quote, "--prefix", around,
                        "--locator", locator, "--format", "json"],
                       ok=text_ok(quote) and text_ok(locator) and text_ok(around))
    if r.exit_code == 0:
        created = json.loads(r.stdout)["created"]
        ev = next(e for e in show_claim(hostile, "x")["evidence"] if e["id"] == created)
        assert ev["quote"] == quote
        assert ev["locator"] == locator
        with Ledger.open(hostile.path) as led:
            sel = ox.NamedNode(led.iri("evidence", created).value + "#quote")
            assert next(led.store.triples(sel, V.PREFIX, None)).object.value == around


@HYPOTHESIS
@given(reason=texts(), verdict=st.sampled_from(["refuted", "retracted", "false", "bogus", "",
                                                "refuted\n"]))
def test_verdict_reason(hostile, reason, verdict):
    # "false" is a rating on claimledger's own scale (it sets status refuted); "refuted\n" is
    # the same rating label once spaces are folded, as labels are matched.
    slug = fresh("cv")
    hostile.expect(["claim", "add", slug, "--subject", "ex:s", "--predicate", "ex:p", "--object", "ex:o",
                    "--text", "t"], ok=True)
    status = {"refuted": "refuted", "retracted": "retracted", "false": "refuted",
              "refuted\n": "refuted"}
    r = hostile.expect(["claim", "verdict", slug, verdict, "--reason", reason],
                       ok=text_ok(reason) and verdict in status)
    if r.exit_code == 0:
        got = show_claim(hostile, slug)
        assert [v["reason"] for v in got["verdicts"]] == [reason]
        assert got["status"] == status[verdict]


# -- names: slugs, IRIs, CURIEs -----------------------------------------------------------------

@HYPOTHESIS
@given(slug=slugs())
def test_slugs(hostile, slug):
    valid = bool(_SLUG.fullmatch(slug)) and ".." not in slug
    with Ledger.open(hostile.path) as led:
        taken = valid and any(True for _ in led.store.triples(led.iri("source", slug), None, None))
    r = hostile.expect(["source", "add", slug, "--title", "T"], ok=valid and not taken)
    if r.exit_code == 0:
        assert show_source(hostile, slug)["slug"] == slug
    # reading and linking by a hostile slug: found, or a clear error
    hostile.expect(["claim", "show", slug], ok=None)
    hostile.expect(["source", "link", "a", "--derived-from", slug], ok=None)
    hostile.expect(["evidence", "add", "x", slug, "--supports", "--quote", "q"], ok=None)
    hostile.expect(["log", slug], ok=None)


@HYPOTHESIS
@given(iri=iris(), where=st.sampled_from(["--subject", "--predicate", "--object", "--datatype"]))
def test_iris_and_curies_in_claims(hostile, iri, where):
    slug = fresh("ci")
    args = {"--subject": "ex:s", "--predicate": "ex:p", "--object": "ex:o"}
    if where == "--datatype":
        del args["--object"]
        args["--value"] = "v"
    args[where] = iri
    r = hostile.expect(["claim", "add", slug, *itertools.chain(*args.items()), "--text", "t"], ok=None)
    if r.exit_code == 0:
        prop = {"--subject": V.SUBJECT, "--predicate": V.PREDICATE, "--object": V.OBJECT,
                "--datatype": V.OBJECT}[where]
        with Ledger.open(hostile.path) as led:
            term = next(led.store.triples(led.iri("claim", slug), prop, None)).object
        stored = term.datatype.value if where == "--datatype" else term.value
        assert not _NOT_IN_IRI.search(stored), f"{iri!r} stored as the IRI {stored!r}"
        expected = (EX + iri[3:] if iri.startswith("ex:") else iri[1:-1] if iri.startswith("<")
                    else iri)
        assert stored == expected


@HYPOTHESIS
@given(iri=iris())
def test_iris_in_sources(hostile, iri):
    slug = fresh("su")
    r = hostile.expect(["source", "add", slug, "--title", "T", "--url", iri], ok=None)
    if r.exit_code == 0:
        url = show_source(hostile, slug)["url"]
        assert not _NOT_IN_IRI.search(url) and url == iri.strip("<>")
    hostile.expect(["source", "add", fresh("sk"), "--title", "T", "--anonymous",
                    "--justification", "j", "--known-to", iri], ok=None)
    hostile.expect(["evidence", "add", "x", "a", "--supports", "--quote", "q",
                    "--attributed-to", iri], ok=None)


# -- literals with a datatype or a language ------------------------------------------------------

DATATYPES = ["xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean", "xsd:date", "xsd:dateTime",
             "xsd:gYear", "xsd:byte", "xsd:duration", "xsd:time", "xsd:anyURI", "rdf:langString",
             "ex:custom", "xsd:string"]


@HYPOTHESIS
@given(value=st.one_of(texts(), st.sampled_from(["1", "-007", "+5", "1.5", "1e3", "INF", "NaN", "true",
                                                  "1\n", "١", "２", "999", "2017-03-14",
                                                  "2017-03-14T10:00:00Z", "2017-03-14 10:00",
                                                  "2017-02-30", "P1D", "P1", "12:00:00", "2017"])),
       datatype=st.one_of(st.none(), st.sampled_from(DATATYPES)),
       lang=st.one_of(st.none(), st.sampled_from(["en", "fr-CA", "EN-gb", "en\n", "x" * 9, "", "e n",
                                                   "\ud800", "de-1996", "en-"])))
def test_typed_and_tagged_literals(hostile, value, datatype, lang):
    slug = fresh("cl")
    args = ["claim", "add", slug, "--subject", "ex:s", "--predicate", "ex:p", "--value", value,
            "--text", "t"]
    if datatype is not None:
        args += ["--datatype", datatype]
    if lang is not None:
        args += ["--lang", lang]
    r = hostile.expect(args, ok=None)
    if r.exit_code != 0:
        return
    assert not (datatype is not None and lang is not None)
    stored = stored_object(hostile, slug)
    if lang is not None:
        assert stored.language == lang.lower() and stored.value == value
        return
    if datatype in (None, "xsd:string"):
        assert stored.value == value and stored.datatype == V.XSD_STRING
        return
    assert datatype != "rdf:langString"
    dt = ox.NamedNode((EX + datatype[3:]) if datatype.startswith("ex:") else
                      V.XSD + datatype[4:])
    assert stored == canonical(ox.Literal(value, datatype=dt))  # the value as typed, canonical
    if stored.datatype.value.startswith(V.XSD):
        typed = rdflib.Literal(stored.value, datatype=rdflib.URIRef(stored.datatype.value))
        assert typed.ill_typed is not True, f"{value!r}^^{datatype} stored ill-typed"


# -- dates and grades ---------------------------------------------------------------------------

_ASCII = re.ASCII


def date_ok(text: str) -> bool:
    """Independent statement of what --published accepts."""
    s = text.strip()
    now = datetime.now(timezone.utc)
    try:
        if re.fullmatch(r"\d{4}", s, _ASCII):
            return int(s) <= now.year
        if re.fullmatch(r"\d{4}-\d{2}", s, _ASCII):
            return 1 <= int(s[5:]) <= 12 and (int(s[:4]), int(s[5:])) <= (now.year, now.month)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s, _ASCII):
            return date(int(s[:4]), int(s[5:7]), int(s[8:])) <= now.date()
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
                         r"(Z|[+-]\d{2}:\d{2})?", s, _ASCII)
        if m:
            moment = datetime.fromisoformat(s.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment <= now
    except ValueError:
        return False
    return False


def dates() -> st.SearchStrategy[str]:
    past = st.dates(min_value=date(1000, 1, 1), max_value=date(2020, 12, 31))
    return st.one_of(
        past.map(lambda d: d.isoformat()), past.map(lambda d: d.isoformat()[:7]),
        past.map(lambda d: d.isoformat()[:4]),
        past.map(lambda d: d.isoformat() + "T10:20:30Z"), past.map(lambda d: d.isoformat() + " 10:20"),
        past.map(lambda d: d.isoformat() + "T10:20:30.5+05:30"),
        st.dates(min_value=date(2999, 1, 1)).map(lambda d: d.isoformat()),
        st.sampled_from(["2017-13", "2017-02-30", "0000", "٢٠١٧", "２０１７", "2017-01-01T25:00:00",
                         "2017-01-01T00:00:00+25:00", "2017-01-01\n", " 2017-03-14 ", "1e3", "", " ",
                         "last spring", "-2017", "2017-1-1", "20170101", "2017-03-14T", "\ud800",
                         "2017\x00", "9999", "2017-00"]),
        st.text(st.characters(exclude_categories=[]), max_size=12),
    )


@HYPOTHESIS
@given(published=dates())
def test_publication_dates(hostile, published):
    slug = fresh("sd")
    r = hostile.expect(["source", "add", slug, "--title", "T", "--published", published],
                       ok=date_ok(published))
    if r.exit_code == 0:
        stored = show_source(hostile, slug)["published"]
        s = published.strip()
        if len(s) <= 10:
            assert stored == s
        else:
            given_dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            given_dt = given_dt if given_dt.tzinfo else given_dt.replace(tzinfo=timezone.utc)
            assert datetime.fromisoformat(stored.replace("Z", "+00:00")) == given_dt


def grades(valid: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(valid), st.text(st.characters(exclude_categories=[]), max_size=3),
                     st.sampled_from([v + "\n" for v in valid] + [" " + valid[0], "０", "Ⅰ", "1.0"]))


@HYPOTHESIS
@given(reliability=grades(tuple("ABCDEF")), credibility=grades(tuple("123456")),
       confidence=grades(("low", "moderate", "high")))
def test_grades(hostile, reliability, credibility, confidence):
    slug = fresh("sg")
    r = hostile.expect(["source", "add", slug, "--title", "T", "--reliability", reliability],
                       ok=reliability in tuple("ABCDEF"))
    if r.exit_code == 0:
        assert show_source(hostile, slug)["reliability"] == reliability
    r = hostile.expect(["evidence", "add", "x", "b", "--contradicts", "--locator", "p. 1",
                        "--credibility", credibility, "--format", "json"],
                       ok=credibility in tuple("123456"))
    if r.exit_code == 0:
        created = json.loads(r.stdout)["created"]
        ev = next(e for e in show_claim(hostile, "x")["evidence"] if e["id"] == created)
        assert ev["credibility"] == credibility
    # an unsourced claim may only be held at low confidence: moderate and high are rule refusals
    hostile.expect(["claim", "add", fresh("cg"), "--subject", "ex:s", "--predicate", "ex:p",
                    "--object", "ex:o", "--text", "t", "--confidence", confidence],
                   ok=confidence == "low" if confidence in ("low", "moderate", "high") else False,
                   allow_rule=False)


# -- revisions and corrections -------------------------------------------------------------

@HYPOTHESIS
@given(text=texts(), value=texts(), reason=texts(), new=slugs())
def test_claim_revise(hostile, text, value, reason, new):
    old = fresh("rv")
    hostile.expect(["claim", "add", old, "--subject", "ex:s", "--predicate", "ex:p", "--object", "ex:o",
                    "--text", "t"], ok=True)
    valid_new = bool(_SLUG.fullmatch(new)) and ".." not in new
    with Ledger.open(hostile.path) as led:
        taken = valid_new and any(True for _ in led.store.triples(led.iri("claim", new), None, None))
    r = hostile.expect(["claim", "revise", old, new, "--text", text, "--value", value, "--reason", reason],
                       ok=None)
    if r.exit_code == 0:
        assert valid_new and not taken and text_ok(text) and text_ok(reason)
        revised = show_claim(hostile, new)
        assert revised["text"] == text and stored_object(hostile, new).value == value
        assert show_claim(hostile, old)["status"] == "retracted"


@HYPOTHESIS
@given(title=texts(), reason=texts(), published=dates(), reliability=grades(tuple("ABCDEF")))
def test_source_update(hostile, title, reason, published, reliability):
    slug = fresh("up")
    hostile.expect(["source", "add", slug, "--title", "Before"], ok=True)
    r = hostile.expect(["source", "update", slug, "--title", title, "--published", published,
                        "--reliability", reliability, "--reason", reason], ok=None)
    if r.exit_code == 0:
        assert text_ok(title) and text_ok(reason) and date_ok(published)
        assert reliability in tuple("ABCDEF")
        record = show_source(hostile, slug)
        assert record["title"] == title and record["reliability"] == reliability


# -- argv that is not UTF-8, in a real process ----------------------------------------------------

@pytest.mark.parametrize("args", [
    [b"source", b"add", b"s\xff", b"--title", b"T"],
    [b"source", b"add", b"s1", b"--title", b"T\xff\xfe"],
    [b"claim", b"add", b"c1", b"--subject", b"ex:a\xc3\x28", b"--predicate", b"ex:p", b"--object",
     b"ex:o", b"--text", b"t"],
    [b"claim", b"add", b"c2", b"--subject", b"ex:a", b"--predicate", b"ex:p", b"--value",
     b"\xed\xa0\x80", b"--text", b"t"],
    [b"evidence", b"add", b"x", b"a", b"--supports", b"--quote", b"q\x80"],
    [b"claim", b"show", b"\xff"],
    [b"report", b"impact", b"--param", b"source=\xfe"],
])
def test_argv_that_is_not_utf8(hostile, args):
    before = snapshot(hostile.path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    env.update(CLAIMLEDGER_LEDGER=str(hostile.path), CLAIMLEDGER_AGENT="tester")
    proc = subprocess.run([sys.executable, "-m", "claimledger.cli", *args], capture_output=True,
                          env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(b"Error: ")
    assert b"Traceback" not in proc.stderr + proc.stdout
    assert snapshot(hostile.path) == before


def test_a_ledger_path_that_is_not_utf8_is_refused_before_anything_is_created(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    target = os.fsencode(tmp_path) + b"/ledger\xff"
    proc = subprocess.run([sys.executable, "-m", "claimledger.cli", "init", "--agent", "t",
                           "--ledger", target], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(b"Error: ") and b"Traceback" not in proc.stderr
    assert os.listdir(os.fsencode(tmp_path)) == []


# -- files to import ------------------------------------------------------------------------------

def import_outcome(run: Run, path: Path, *extra: str, ok: bool | None = None):
    return run.expect(["import", str(path), *extra], ok=ok)


def _doc(n: int) -> str:
    return (
        "@prefix cl: <https://w3id.org/claimledger#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix ex: <https://example.org/e/> .\n"
        f"<{BASE}source/imp{n}> a cl:Source ; schema:name \"Imported \\\"{n}\\\"\\n\" ;\n"
        "  cl:kind cl:kind-dataset ; cl:reliability cl:reliability-C ; cl:anonymous false .\n"
        f"<{BASE}claim/imp{n}> a cl:Claim ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ex:a ;\n"
        "  <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ex:b ;\n"
        "  <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> \"o ' \\\" } ; DROP ALL ; #\" ;\n"
        "  schema:text \"imported claim\"@en ; cl:confidence cl:confidence-low ;\n"
        f"  <http://www.w3.org/ns/prov#wasAttributedTo> <{BASE}agent/importer> ;\n"
        "  <http://www.w3.org/ns/prov#generatedAtTime> \"2020-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    )


@HYPOTHESIS
@given(cut=st.floats(min_value=0.0, max_value=1.0), trig=st.booleans())
def test_truncated_turtle_and_trig_import_all_or_nothing(hostile, tmp_path_factory, cut, trig):
    n = next(_count)
    text = _doc(n)
    if trig:
        prefixes, _, body = text.rpartition("@prefix ex: <https://example.org/e/> .\n")
        text = prefixes + "@prefix ex: <https://example.org/e/> .\n{\n" + body + "}\n"
    data = text.encode()[: int(len(text.encode()) * cut)]
    path = tmp_path_factory.mktemp("trunc") / f"doc{n}.{'trig' if trig else 'ttl'}"
    path.write_bytes(data)
    try:
        parsed = list(ox.parse(data, ox.RdfFormat.TRIG if trig else ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        parsed = None
    r = import_outcome(hostile, path, ok=False if parsed is None else None)
    if r.exit_code == 0:  # whole: every triple of the file is in the ledger
        with Ledger.open(hostile.path) as led:
            for q in parsed:
                assert any(True for _ in led.store.triples(q.subject, q.predicate, q.object)), q


@HYPOTHESIS
@given(data=st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                 lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                     st.sampled_from(["@id", "@type", "@context", "@value", "@list", "@graph",
                                      "https://e.org/p", "@vocab", "@language"]), kids, max_size=3),
                 max_leaves=12).map(lambda v: json.dumps(v).encode()),
))
def test_invalid_jsonld_import(hostile, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("jsonld") / f"doc{next(_count)}.jsonld"
    path.write_bytes(data)
    import_outcome(hostile, path, ok=None)


def _run_import_in_subprocess(ledger: Path, path: Path, *extra: str, timeout: float = 300):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    env.update(CLAIMLEDGER_LEDGER=str(ledger), CLAIMLEDGER_AGENT="tester")
    return subprocess.run([sys.executable, "-m", "claimledger.cli", "import", str(path), *extra],
                          capture_output=True, text=True, env=env, timeout=timeout)


@pytest.mark.parametrize("depth", [100, 10_000, 100_000, 1_000_000])
@pytest.mark.parametrize("shape", ["objects", "arrays"])
def test_deeply_nested_json(hostile, tmp_path, depth, shape):
    path = tmp_path / "deep.jsonld"
    if shape == "objects":
        path.write_text('{"https://e.org/p": ' * depth + '"leaf"' + "}" * depth)
    else:
        path.write_text("[" * depth + "]" * depth)
    before = snapshot(hostile.path)
    proc = _run_import_in_subprocess(hostile.path, path)  # a stack overflow would kill only it
    assert proc.returncode in (0, 2), proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.startswith("Error: ")
        assert snapshot(hostile.path) == before


def test_deeply_nested_turtle_and_rdfxml(hostile, tmp_path):
    ttl = tmp_path / "deep.ttl"
    ttl.write_text("<https://e.org/a> <https://e.org/p> " + "[ <https://e.org/p> " * 3000 + '"x"'
                   + " ]" * 3000 + " .\n")
    xml = tmp_path / "deep.rdf"
    xml.write_text('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:ex="https://e.org/">' + "<rdf:Description><ex:p>" * 2000
                   + "</ex:p></rdf:Description>" * 2000 + "</rdf:RDF>")
    for path in (ttl, xml):
        proc = _run_import_in_subprocess(hostile.path, path)
        assert proc.returncode in (0, 2), proc.stderr[-500:]
        assert "Traceback" not in proc.stderr


def test_huge_literals(hostile, tmp_path):
    big = tmp_path / "big.nt"
    value = "\u00e9\"\\" + "z" * (2 << 20)
    big.write_text(f"<https://e.org/big> <https://e.org/p> {ox.Literal(value)} .\n", encoding="utf-8")
    import_outcome(hostile, big, ok=True)
    with Ledger.open(hostile.path) as led:
        stored = next(led.store.triples(ox.NamedNode("https://e.org/big"), None, None)).object
        assert stored.value == value
    # a term over the parser's 16 MiB buffer: refused, whichever import path the size takes
    huge = tmp_path / "huge.ttl"
    huge.write_bytes(b'<https://e.org/huge> <https://e.org/p> "' + b"h" * (17 << 20) + b'" .\n')
    import_outcome(hostile, huge, ok=False)
    # and through the command line's own text limit
    hostile.expect(["source", "add", fresh("big"), "--title", "t" * MAX_TEXT], ok=True)
    hostile.expect(["source", "add", fresh("big"), "--title", "t" * (MAX_TEXT + 1)], ok=False)


def test_over_size_files_are_refused_before_reading(hostile, tmp_path):
    path = tmp_path / "doc.ttl"
    path.write_text(_doc(next(_count)))
    size = path.stat().st_size
    for limit in (0, 1, size - 1):
        r = import_outcome(hostile, path, "--max-size", str(limit), ok=False)
        assert "--max-size" in r.stderr
    import_outcome(hostile, path, "--max-size", str(size), ok=True)


MARKER = "HOSTILE-SECRET-MARKER-51d2"


@pytest.mark.parametrize("declaration", [
    '<!ENTITY xxe SYSTEM "file://{secret}">',
    '<!ENTITY xxe SYSTEM "{secret}">',
    "<!ENTITY xxe SYSTEM '{secret}'>",
    '<!ENTITY xxe PUBLIC "-//claimledger//x//EN" "file://{secret}">',
    '<!ENTITY % xxe SYSTEM "file://{secret}"> %xxe;',
])
def test_xml_external_entities_are_never_resolved(hostile, tmp_path, declaration):
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    path = tmp_path / "xxe.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ ' + declaration.format(secret=secret)
                    + ' ]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:ex="https://e.org/"><rdf:Description rdf:about="https://e.org/xxe">'
                    "<ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>")
    r = import_outcome(hostile, path, ok=False)
    assert MARKER not in r.stdout + r.stderr
    with Ledger.open(hostile.path) as led:
        assert not bool(led.store.query(
            'ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(CONTAINS(STR(?o), "%s")) }'
            % MARKER))


def test_xml_internal_entities_are_refused_outright(hostile, tmp_path):
    internal = tmp_path / "internal.rdf"
    internal.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "https://e.org/"> ]>\n'
                        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://e.org/">'
                        '<rdf:Description rdf:about="&ex;internal"><ex:p>v</ex:p></rdf:Description></rdf:RDF>')
    r = import_outcome(hostile, internal, ok=False)
    assert "DTD" in r.stderr
    levels = 10  # 10**10 characters from a 700-byte file: once, this aborted the process
    ents = ['<!ENTITY a "aaaaaaaaaa">'] + [f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                                           for i in range(levels - 1)]
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text('<?xml version="1.0"?><!DOCTYPE rdf:RDF [ ' + " ".join(ents) + " ]>"
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://e.org/">'
                      f'<rdf:Description rdf:about="https://e.org/lol"><ex:p>&{chr(96 + levels)};</ex:p>'
                      "</rdf:Description></rdf:RDF>")
    proc = _run_import_in_subprocess(hostile.path, laughs, timeout=60)
    assert proc.returncode == 2 and proc.stderr.startswith("Error: "), proc.stderr[-500:]
    cycle = tmp_path / "cycle.rdf"
    cycle.write_text('<?xml version="1.0"?><!DOCTYPE r [ <!ENTITY a "&b;"> <!ENTITY b "&a;"> ]>'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://e.org/">'
                     '<rdf:Description rdf:about="https://e.org/c"><ex:p>&a;</ex:p></rdf:Description></rdf:RDF>')
    import_outcome(hostile, cycle, ok=False)


class _Listener:
    """A local TCP listener that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("context", ["https://schema.org/", "http://127.0.0.1:{port}/context.jsonld",
                                     ["http://127.0.0.1:{port}/a.jsonld", {"x": "https://e.org/x"}]])
def test_jsonld_remote_context_is_refused_without_touching_the_network(hostile, tmp_path, monkeypatch,
                                                                       context):
    listener = _Listener()
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    try:
        ctx = json.loads(json.dumps(context).replace("{port}", str(listener.port)))
        path = tmp_path / "remote.jsonld"
        path.write_text(json.dumps({"@context": ctx, "@id": "https://e.org/r", "name": "x"}))
        r = import_outcome(hostile, path, ok=False)
        assert "remote JSON-LD @context" in r.stderr
    finally:
        monkeypatch.undo()
        listener.close()
    assert attempts == []
    assert listener.connections == 0


@pytest.mark.parametrize("data", [
    "<< <https://e.org/a> <https://e.org/b> <https://e.org/c> >> <https://e.org/p> 1 .",
    "<https://e.org/s> <https://e.org/p> <<( <https://e.org/a> <https://e.org/b> <https://e.org/c> )>> .",
    "<https://e.org/s> <https://e.org/p> <https://e.org/o> ~ <https://e.org/r> {| <https://e.org/q> 1 |} .",
])
def test_rdf_star_triple_terms_are_refused(hostile, tmp_path, data):
    path = tmp_path / "star.ttl"
    path.write_text(data)
    import_outcome(hostile, path, ok=False)


# -- SPARQL injection -----------------------------------------------------------------------------

def _quads(path: Path) -> set[bytes]:
    return set(snapshot(path).splitlines())


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_in_every_text_field_is_stored_verbatim(hostile, text):
    before = _quads(hostile.path)
    c, s = fresh("inj"), fresh("inj")
    hostile.expect(["source", "add", s, "--title", text, "--anonymous", "--justification", text,
                    "--known-to", "editor"], ok=True)
    hostile.expect(["claim", "add", c, "--subject", "ex:s", "--predicate", "ex:p", "--value", text,
                    "--text", text, "--reason", text], ok=True)
    r = hostile.expect(["evidence", "add", c, s, "--supports", "--quote", text, "--prefix", text,
                        "--suffix", text, "--locator", text, "--format", "json"], ok=True)
    hostile.expect(["claim", "verdict", c, "refuted", "--reason", text], ok=True)
    hostile.expect(["source", "link", s, "--derived-from", "b", "--reason", text], ok=True)
    source = show_source(hostile, s)
    assert source["title"] == source["justification"] == text
    claim = show_claim(hostile, c)
    assert claim["text"] == text and stored_object(hostile, c).value == text
    ev = claim["evidence"][0]
    assert ev["id"] == json.loads(r.stdout)["created"] and ev["quote"] == ev["locator"] == text
    assert claim["verdicts"][0]["reason"] == text
    # nothing else changed: no quad was removed except the old head pointer and the counts of
    # the tallies the new claim moved, and every new quad is about the new source, claim,
    # evidence or verdict, the tallies, the claim's support per origin, or the audit trail
    after = _quads(hostile.path)
    removed = before - after
    assert all(b"#head>" in q or q.startswith(f"<{BASE}tally/".encode()) for q in removed), removed
    ours = (f"{BASE}source/{s}", f"{BASE}claim/{c}", f"{BASE}evidence/{c}-", f"{BASE}verdict/{c}-",
            f"{BASE}event/", f"{BASE}audit", f"{BASE}source/b>", f"{BASE}agent/", f"{BASE}tally/",
            f"{BASE}support/")
    for q in after - before:
        assert any(o.encode() in q for o in ours), q
    assert not any(q.startswith(b"<urn:") for q in after)  # nothing was inserted by the text


def _report_params() -> list[tuple[str, str]]:
    return [(s.name, p.name) for s in reports.available() for p in s.params]


@pytest.mark.parametrize("value", INJECTIONS + ["\ud800", "x\x00y", "", "a" * 5000])
def test_injection_in_every_report_parameter(hostile, value):
    params = _report_params()
    assert params, "the packaged reports declare parameters"
    for name, param in params:
        r = hostile.expect(["report", name, "--param", f"{param}={value}", "--format", "json"], ok=None)
        if r.exit_code == 0:
            json.loads(r.stdout)
    hostile.expect(["report", "impact", "--param", "source=a", "--param", f"extra={value}"], ok=False)
    hostile.expect(["report", value or "x", "--format", "csv"], ok=None)


ECHO = Path(__file__).with_name("hostile_echo.rq")


@HYPOTHESIS
@given(text=texts(), iri=iris())
def test_report_parameters_are_bound_as_terms_never_pasted(hostile, text, iri):
    """Every parameter kind through ``reports.bind``, with a report of our own."""
    spec = reports.parse_spec("hostile-echo", ECHO.read_text(encoding="utf-8"))
    assert {p.kind for p in spec.params} == {"text", "iri", "source", "claim", "date"}
    before = snapshot(hostile.path)
    with Ledger.open(hostile.path) as led:
        try:
            bindings = reports.bind(led, spec, {"t": text, "i": iri, "s": "a", "c": "x", "d": "2017"})
        except InputError:
            return  # refused, clearly: a bad text or IRI
        table = reports.to_table(led.store.query(spec.sparql, bindings))
    assert text_ok(text)  # text that is not valid is never bound
    row = dict(zip(table.columns, table.rows[0]))
    assert row["t"] == ox.Literal(text) and row["n"].value == str(len(text))
    assert isinstance(row["i"], ox.NamedNode) and not _NOT_IN_IRI.search(row["i"].value)
    assert snapshot(hostile.path) == before


@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DROP ALL",
    "  clear default",
    "# a comment\nDELETE WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 ; DROP ALL",
    "PREFIX x: <urn:x>\nLOAD <file:///etc/passwd>",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "ASK { ?s ?p ?o",
])
def test_user_queries_never_write_or_reach_the_network(hostile, tmp_path, query):
    listener = _Listener()
    try:
        path = tmp_path / "q.rq"
        path.write_text(query.replace("{port}", str(listener.port)))
        hostile.expect(["query", str(path)], ok=False)
    finally:
        listener.close()
    assert listener.connections == 0


def test_shapes_with_service_are_refused(hostile, tmp_path):
    listener = _Listener()
    try:
        path = tmp_path / "policy.ttl"
        path.write_text(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix cl: <https://w3id.org/claimledger#> .\n"
            "<https://e.org/Evil> a sh:NodeShape ; sh:targetClass cl:Claim ;\n"
            '  sh:sparql [ sh:message "evil" ; sh:select """SELECT $this WHERE { SERVICE '
            f'<http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}""" ] .\n')
        hostile.expect(["policy", "add", str(path), "--name", "evil"], ok=False)
        hostile.expect(["validate", "--shapes", str(path)], ok=False)
    finally:
        listener.close()
    assert listener.connections == 0


def test_export_to_a_path_that_cannot_be_written(hostile, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for output in (tmp_path / "missing" / "x.trig", blocker / "x.trig"):
        hostile.expect(["export", "-o", str(output)], ok=False)
        assert not output.with_name(output.name + ".part").exists()


@pytest.mark.parametrize("wait", ["nan", "abc", "-1", "1e999", ""])
def test_wait_values(hostile, wait):
    r = hostile(*["claim", "list", "--wait", wait])
    assert r.exit_code in (0, 2)
    if r.exit_code == 2:
        assert "Error" in r.stderr


# -- generated attacks (benchmarks/attacks.py) -----------------------------------------------------

import random  # noqa: E402

from benchmarks import attacks  # noqa: E402
from conftest import Listener  # noqa: E402


@HYPOTHESIS
@given(seed=st.integers(0, 2 ** 32))
def test_generated_service_queries_never_reach_the_network(hostile, seed):
    rng = random.Random(seed)
    listener = Listener()
    try:
        attack = attacks.service_query(rng, listener.url, rng.randrange(1000))
        r = hostile.expect(["query", _query_file(hostile, attack.text)],
                           ok=False if attack.live else None)
        if attack.live:
            assert "SERVICE" in r.stderr or "SPARQL syntax error" in r.stderr or "\\u" in r.stderr
    finally:
        listener.close()
    assert listener.reached == 0, (attack.text, listener.requests)


def _query_file(run: Run, text: str) -> str:
    path = run.path.parent / f"q{next(_count)}.rq"
    path.write_text(text, encoding="utf-8")
    return str(path)


@HYPOTHESIS
@given(seed=st.integers(0, 2 ** 32))
def test_generated_policies_never_reach_the_network(hostile, seed):
    rng = random.Random(seed)
    listener = Listener()
    try:
        attack = attacks.service_policy(rng, listener.url, rng.randrange(1000))
        path = hostile.path.parent / f"policy{next(_count)}.ttl"
        path.write_text(attack.text, encoding="utf-8")
        name = fresh("pol")
        hostile.expect(["policy", "add", str(path), "--name", name], ok=False if attack.live else None)
        assert hostile("validate", "--shapes", str(path)).exit_code in (0, 1, 2)
        hostile.expect(["source", "add", fresh("after"), "--title", "a write runs every policy"],
                       ok=None, allow_rule=True)
    finally:
        listener.close()
    assert listener.reached == 0, (attack.text, listener.requests)


def _reserved(run: Run) -> tuple[int, frozenset, str, dict]:
    """What only claimledger writes: the number of events, the named graphs, the ledger
    node's configuration, the prefixes."""
    with Ledger.open(run.path) as led:
        from claimledger import audit

        graphs = frozenset(r["g"].value for r in led.store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        config = sorted(str(t) for t in led.store.triples(led.node, None, None))
        return audit.head(led.store, led.base).sequence, graphs, "\n".join(config), dict(led.prefixes)


@HYPOTHESIS
@given(seed=st.integers(0, 2 ** 32), bulk=st.booleans())
def test_generated_imports_aimed_at_reserved_graphs_write_nothing_there(hostile, seed, bulk):
    rng = random.Random(seed)
    from claimledger.interchange import rdf as interchange

    events, graphs, config, prefixes = _reserved(hostile)
    ext, data = attacks.reserved_import(rng, BASE, events, next(_count))
    path = hostile.path.parent / f"reserved{next(_count)}{ext}"
    path.write_bytes(data)
    saved = interchange.BULK_BYTES
    interchange.BULK_BYTES = 0 if bulk else saved
    try:
        r = hostile.expect(["import", str(path)], ok=None)
    finally:
        interchange.BULK_BYTES = saved
    after_events, after_graphs, after_config, after_prefixes = _reserved(hostile)
    new = {f"{BASE}event/{after_events}/added", f"{BASE}event/{after_events}/removed"}
    assert after_graphs - graphs <= (new if after_events > events else set()), (data, r.stdout)
    assert after_config == config or after_events > events and set(config.splitlines()) <= set(
        after_config.splitlines()), (data, after_config)
    assert {k: v for k, v in after_prefixes.items() if k in prefixes} == prefixes
    hostile.expect(["verify"], ok=True)


@HYPOTHESIS
@given(seed=st.integers(0, 2 ** 32),
       command=st.sampled_from([["claim", "list"], ["source", "add", "{fresh}", "--title", "T"],
                                ["export", "-o", "{out}"], ["verify"], ["log"],
                                ["import", "{import}"]]))
def test_generated_symlinks_never_touch_anything_outside(hostile, tmp_path_factory, seed, command):
    rng = random.Random(seed)
    outside_dir = tmp_path_factory.mktemp("outside")
    canary = outside_dir / "canary.txt"
    canary.write_text("outside the ledger\n")
    canary_dir = outside_dir / "dir"
    canary_dir.mkdir()
    (canary_dir / "keep.txt").write_text("keep\n")
    where, name = attacks.link_targets(rng)
    ledger = hostile.path
    out_dir = outside_dir / "exports"
    out_dir.mkdir()
    store = ledger / "store"
    moved = None
    if where == "ledger":
        link = ledger / name
    elif where == "store":
        link = store / name
    elif where == "store-dir":
        link = store
    else:
        link = out_dir / name.replace("OUT", "out.trig")
    target = canary_dir if (where == "store-dir" or name.startswith("store-")) else canary
    if link.exists() or link.is_symlink():
        moved = outside_dir / ("moved-" + link.name)
        link.rename(moved)
    link.symlink_to(target)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (canary, canary_dir / "keep.txt")}
    data = outside_dir / "one.nt"
    data.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n")
    args = [a.format(fresh=fresh("l"), out=out_dir / "out.trig", **{"import": data}) for a in command]
    try:
        r = hostile(*args)
        assert r.exit_code in (0, 2), r.output
        if r.exit_code == 2:
            assert r.stderr.startswith("Error: "), r.stderr
    finally:
        link.unlink()
        if moved is not None:
            moved.rename(link)
    for p, (content, mtime) in before.items():
        assert p.read_bytes() == content and p.stat().st_mtime_ns == mtime, (where, name, args)
    assert sorted(x.name for x in canary_dir.iterdir()) == ["keep.txt"]
    hostile.expect(["verify"], ok=True)
