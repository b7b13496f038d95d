"""Bad input gets a clear message naming what is wrong, exit 2, and nothing written."""

import json

import pytest

from conftest import snapshot


@pytest.fixture
def seeded(run):
    run.ok("source", "add", "a", "--title", "A", "--reliability", "B")
    run.ok("source", "add", "b", "--title", "B", "--derived-from", "a")
    run.ok("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "a b c")
    return run


@pytest.mark.parametrize("args, expected", [
    (["evidence", "add", "nope", "a", "--supports", "--quote", "q"], "no claim 'nope'"),
    (["evidence", "add", "x", "nope", "--supports", "--quote", "q"], "no source 'nope'"),
    (["claim", "add", "y", "--subject", "http://bad iri", "--predicate", "ex:p",
      "--object", "ex:o", "--text", "t"], "--subject"),
    (["claim", "add", "y", "--subject", "zz:a", "--predicate", "ex:p", "--object", "ex:o",
      "--text", "t"], "unknown prefix 'zz'"),
    (["claim", "add", "y", "--subject", "<https://e.org/a>b>", "--predicate", "ex:p",
      "--object", "ex:o", "--text", "t"], "--subject"),
    (["source", "add", "g", "--title", "G", "--reliability", "G"], "'G' is not a reliability grade"),
    (["evidence", "add", "x", "a", "--supports", "--quote", "q", "--credibility", "7"],
     "'7' is not a credibility grade"),
    (["source", "link", "a", "--derived-from", "b"], "derivation cycle"),
    (["source", "link", "a", "--derived-from", "a"], "derivation cycle"),
    (["source", "add", "bad slug!", "--title", "T"], "not a valid slug"),
    (["source", "add", "a", "--title", "Again"], "already exists"),
    (["source", "add", "p", "--title", "P", "--published", "2999-01-01"], "lies in the future"),
    (["source", "add", "p", "--title", "P", "--published", "last spring"], "not a date"),
    (["claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:p", "--value", "abc",
      "--datatype", "xsd:integer", "--text", "t"], "not a valid xsd:integer"),
    (["claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:p", "--value", "1",
      "--lang", "en gb", "--text", "t"], "not a valid language tag"),
    (["claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:p", "--text", "t"],
     "exactly one of --object"),
    (["claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:o",
      "--text", "nul \x00 inside"], "control character U+0000"),
    (["claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:o",
      "--text", "   "], "must not be empty"),
    (["evidence", "retract", "x-9", "--reason", "r"], "no evidence 'x-9'"),
    (["claim", "show", "nope"], "no claim 'nope'"),
])
def test_bad_input_is_refused_with_exit_2_and_nothing_written(seeded, ledger_dir, args, expected):
    before = snapshot(ledger_dir)
    result = seeded(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert snapshot(ledger_dir) == before


def test_a_write_without_an_agent_is_refused(seeded, ledger_dir):
    before = snapshot(ledger_dir)
    result = seeded("source", "add", "z", "--title", "Z", agent=None)
    assert result.exit_code == 2
    assert "--agent" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("text", [
    'He said "it\'s over"\nand then: \'no\'\r\n\ttabs \\ backslashes',
    'x" } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #',
    "\u202eRTL override and \u200fmarks, 漢字, emoji \U0001F600, \\u0022 escaped-looking",
    "'''triple''' \"\"\"quotes\"\"\" and <angle> {braces}",
])
def test_hostile_text_is_stored_verbatim_and_never_executed(seeded, text):
    seeded.ok("claim", "add", "h", "--subject", "ex:a", "--predicate", "ex:p",
              "--value", text, "--text", text)
    seeded.ok("evidence", "add", "h", "a", "--supports", "--quote", text, "--locator", text)
    data = json.loads(seeded.ok("claim", "show", "h", "--format", "json").stdout)["claim"]
    assert data["text"] == text
    assert data["evidence"][0]["quote"] == text
    assert data["evidence"][0]["locator"] == text
    assert data["object"] == repr(text)
    # nothing else appeared or vanished: the other claim is intact, the audit trail replays
    assert {c["slug"] for c in json.loads(seeded.ok("claim", "list", "--format", "json").stdout)} == {"h", "x"}
    seeded.ok("verify")


def test_unsupported_verdict_value_is_a_usage_error(seeded, ledger_dir):
    # "false" is a rating of claimledger's own scale now; a word on no scale is refused.
    before = snapshot(ledger_dir)
    result = seeded("claim", "verdict", "x", "bogus", "--reason", "r")
    assert result.exit_code == 2
    assert "RATING: 'bogus' is not a rating on claimledger's scale" in result.stderr
    assert snapshot(ledger_dir) == before


def test_repeated_report_parameters_are_refused(run):
    run.ok("source", "add", "a", "--title", "A")
    result = run("report", "impact", "--param", "source=a", "--param", "source=b")
    assert result.exit_code == 2
    assert "--param: source is given twice" in result.stderr
