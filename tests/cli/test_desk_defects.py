"""The smaller defects a fact-checker hit at the terminal (issue 16), one test each."""

import json

import pytest

from conftest import snapshot


@pytest.fixture
def desk(run):
    run.ok("source", "add", "wire", "--title", "Wire story", "--reliability", "B")
    run.ok("source", "add", "outlet", "--title", "Outlet", "--reliability", "C")
    run.ok("source", "add", "registry", "--title", "Registry", "--kind", "official-record",
           "--reliability", "A")
    run.ok("claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed its jailed members")
    return run


def refused(run, ledger_dir, *args, code=2):
    before = snapshot(ledger_dir)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert snapshot(ledger_dir) == before
    return result


def test_supports_and_contradicts_together_are_refused(desk, ledger_dir):
    result = refused(desk, ledger_dir, "evidence", "add", "freed", "wire", "--supports",
                     "--contradicts", "--quote", "q")
    assert "--supports/--contradicts: " in result.stderr and "not both" in result.stderr
    result = refused(desk, ledger_dir, "evidence", "add", "freed", "wire", "--quote", "q")
    assert "give exactly one of --supports and --contradicts" in result.stderr


def test_messages_name_the_option_given(desk, ledger_dir):
    result = refused(desk, ledger_dir, "claim", "add", "y", "--subject", "ex:a", "--predicate",
                     "ex:p", "--object", "ex:o", "--text", "t", "--text-lang", "en gb")
    assert result.stderr.startswith("Error: --text-lang: 'en gb' is not a valid language tag")
    result = refused(desk, ledger_dir, "claim", "add", "y", "--subject", "ex:a", "--predicate",
                     "ex:p", "--value", "1", "--lang", "en gb", "--text", "t")
    assert result.stderr.startswith("Error: --lang: ")
    result = refused(desk, ledger_dir, "claim", "show", "nope")
    assert result.stderr.startswith("Error: CLAIM: ")
    assert "claim show [OPTIONS] CLAIM\n" in desk.ok("claim", "show", "--help").stdout


def test_a_policy_that_is_not_turtle_gets_the_whole_parse_message(desk, ledger_dir, tmp_path):
    bad = tmp_path / "newsroom.ttl"
    bad.write_text('@prefix sh: <http://www.w3.org/ns/shacl#> .\nex:a sh:path [ \n', encoding="utf-8")
    result = refused(desk, ledger_dir, "policy", "add", str(bad))
    line = result.stderr.strip()
    assert line == ("Error: shapes 'newsroom' do not parse as Turtle: Parser error at line 2 "
                    "between columns 1 and 5: The prefix ex: has not been declared (line 2)")


@pytest.mark.parametrize("args, code, kind, argument", [
    (["claim", "show", "nope", "--format", "json"], 2, "NotFoundError", "CLAIM"),
    (["claim", "confidence", "freed", "high", "--format", "json"], 1, "RuleViolation", None),
    (["claim", "list", "--limit", "-1", "--format", "json"], 2, "UsageError", "--limit"),
    (["report", "nope", "--format", "json"], 2, "InputError", "NAME"),
    (["report", "stale", "--format", "sparql-json"], 2, "InputError", "--param"),
    (["source", "add", "bad slug", "--title", "T", "--format", "json"], 2, "InputError", "SLUG"),
])
def test_with_format_json_errors_are_a_json_object_on_stderr(desk, ledger_dir, args, code,
                                                              kind, argument):
    result = refused(desk, ledger_dir, *args, code=code)
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert (error["exit_code"], error["type"], error.get("argument")) == (code, kind, argument)
    assert error["error"]
    if kind == "RuleViolation":
        assert error["violations"][0]["rule"] == "high-confidence-sourcing"
    # without --format json the same error is the usual line
    plain = desk(*[a for a in args if a not in ("--format", "json", "sparql-json")])
    assert plain.stderr.startswith("Error: ") or plain.stderr.startswith("Usage: ")


def test_write_output_says_only_what_changed(desk, ledger_dir):
    desk.ok("evidence", "add", "freed", "wire", "--supports", "--quote", "freed")
    desk.ok("evidence", "add", "freed", "outlet", "--supports", "--quote", "freed")
    desk.ok("evidence", "add", "freed", "registry", "--contradicts", "--locator", "entry 4")
    # contested on two origins; learning that outlet reprints wire leaves it contested
    out = desk.ok("source", "link", "outlet", "--derived-from", "wire", "--reason", "a reprint")
    assert "contested → contested" not in out.stdout
    assert "freed: contested, independent origins 2 → 1" in out.stdout


def test_a_warning_is_not_repeated_on_every_write(desk):
    out = desk.ok("evidence", "add", "freed", "wire", "--supports", "--quote", "freed")
    assert "warning: [single-origin] rests on a single origin: Wire story (freed)" in out.stderr
    out = desk.ok("evidence", "add", "freed", "wire", "--supports", "--locator", "para 9")
    assert "single-origin" not in out.stderr  # the same warning, said once already
    data = json.loads(desk.ok("evidence", "add", "freed", "wire", "--supports", "--locator",
                              "para 10", "--format", "json").stdout)
    assert [(w["rule"], w["new"]) for w in data["warnings"]] == [("single-origin", False)]
    out = desk.ok("claim", "add", "other", "--subject", "ex:a", "--predicate", "ex:p",
                  "--object", "ex:o", "--text", "t")
    assert "unsourced-claim" in out.stderr  # a new claim's warning is new


def test_no_op_writes_are_refused(desk, ledger_dir):
    result = refused(desk, ledger_dir, "claim", "confidence", "freed", "low")
    assert "already low: nothing to change" in result.stderr
    result = refused(desk, ledger_dir, "source", "update", "wire", "--reliability", "B",
                     "--reason", "r")
    assert "already has those values" in result.stderr


def test_claim_show_has_the_quote_context_and_why_evidence_does_not_count(desk):
    desk.ok("source", "add", "reprint", "--title", "Reprint", "--derived-from", "outlet")
    desk.ok("evidence", "add", "freed", "reprint", "--supports", "--quote", "freed its",
            "--prefix", "The Taliban ", "--suffix", " jailed members")
    desk.ok("evidence", "add", "freed", "wire", "--supports", "--quote", "freed")
    desk.ok("evidence", "retract", "freed-2", "--reason", "misquoted")
    desk.ok("source", "discredit", "outlet", "--reason", "fabricated quotes")
    text = desk.ok("claim", "show", "freed").stdout
    assert "in context: …The Taliban [freed its] jailed members…" in text
    assert ("freed-1: supports — reprint; origins: outlet (does not count: found in "
            "discredited source outlet through reprint (fabricated quotes))") in text
    assert "freed-2: supports — wire; origins: wire (does not count: retracted — misquoted)" in text
    data = json.loads(desk.ok("claim", "show", "freed", "--format", "json").stdout)["claim"]
    first = data["evidence"][0]
    assert (first["prefix"], first["suffix"]) == ("The Taliban ", " jailed members")
    assert first["not_counted"].startswith("found in discredited source outlet")


def test_log_fields_come_in_a_fixed_order(desk):
    lines = [line.strip() for line in desk.ok("log", "freed").stdout.splitlines()[1:]]
    assert lines == ["status: unsourced", "confidence: low",
                     "text: The Taliban freed its jailed members", "independent origins: 0",
                     "subject: ex:Taliban", "predicate: ex:freed", "object: ex:Prisoners"]
    assert [desk.ok("log", "freed").stdout for _ in range(3)] == [desk.ok("log", "freed").stdout] * 3


def test_describe_needs_no_format(desk, tmp_path):
    query = tmp_path / "d.rq"
    query.write_text("DESCRIBE <https://example.org/test/claim/freed>", encoding="utf-8")
    out = desk.ok("query", str(query)).stdout
    assert "The Taliban freed its jailed members" in out and "@prefix" in out
    assert desk.ok("query", str(query), "--format", "nquads").stdout.count(" .\n") > 5


@pytest.mark.parametrize("args", [
    ["claim", "list"], ["report", "--list"], ["source", "add", "w2", "--title", "T"],
    ["init"], ["restore", "x.nq"],
])
def test_a_negative_wait_is_refused(desk, ledger_dir, args):
    result = refused(desk, ledger_dir, *args, "--wait", "-5")
    assert "--wait: -5.0 is not a number of seconds to wait" in result.stderr


def test_slug_messages(desk, ledger_dir):
    result = refused(desk, ledger_dir, "source", "add", "bad slug!", "--title", "T")
    assert "ASCII letters, digits" in result.stderr
    # a Cyrillic "с" in place of a Latin "c": a slug message, not a CURIE one
    result = refused(desk, ledger_dir, "claim", "show", "fr\u0435ed")
    assert "is not a valid slug: 'е' (U+0435 CYRILLIC SMALL LETTER IE) is not ASCII" in result.stderr
    assert "CURIE" not in result.stderr
    result = refused(desk, ledger_dir, "evidence", "add", "freed", "wir", "--supports", "--quote", "q")
    assert "no source 'wir' in this ledger (did you mean 'wire'?)" in result.stderr
    result = refused(desk, ledger_dir, "claim", "show", "fred")
    assert "did you mean 'freed'?" in result.stderr
