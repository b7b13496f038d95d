"""Cases: claims and sources tagged into investigations; every list and report by case."""

import json

import pytest

from conftest import snapshot


@pytest.fixture
def desk(run):
    run.ok("case", "add", "kunduz", "--title", "Taliban–ISIS cooperation in Kunduz")
    run.ok("case", "add", "airport", "--title", "The airport attack",
           "--description", "What was known before 26 August")
    run.ok("source", "add", "wire", "--title", "Wire", "--reliability", "B", "--case", "kunduz")
    run.ok("source", "add", "ministry", "--title", "Ministry", "--kind", "organization",
           "--reliability", "A")
    run.ok("source", "add", "blog", "--title", "A blog", "--reliability", "E")
    for slug, case in (("coop", "kunduz"), ("attack", "airport"), ("other", None)):
        args = ["claim", "add", slug, "--subject", "ex:s", "--predicate", "ex:p",
                "--object", f"ex:{slug}", "--text", f"The {slug} claim"]
        run.ok(*args, *(["--case", case] if case else []))
    run.ok("evidence", "add", "coop", "wire", "--supports", "--quote", "q")
    run.ok("evidence", "add", "attack", "wire", "--supports", "--quote", "q")
    run.ok("evidence", "add", "attack", "ministry", "--supports")
    return run


def show(run, slug):
    return json.loads(run.ok("case", "show", slug, "--format", "json").stdout)


def test_a_case_collects_its_claims_and_sources(desk):
    got = show(desk, "kunduz")
    assert got["case"]["title"] == "Taliban–ISIS cooperation in Kunduz"
    assert (got["case"]["claims"], got["case"]["sources"]) == (["coop"], ["wire"])
    assert got["case"]["statuses"]["single-source"] == 1
    assert [c["slug"] for c in got["claims"]] == ["coop"]
    desk.ok("case", "tag", "kunduz", "--claim", "attack", "--claim", "other",
            "--source", "blog", "--reason", "the same network")
    got = show(desk, "kunduz")
    assert got["case"]["claims"] == ["attack", "coop", "other"]
    assert {k: v for k, v in got["case"]["statuses"].items() if v} == {
        "single-source": 1, "corroborated": 1, "unsourced": 1}
    assert show(desk, "airport")["case"]["claims"] == ["attack"]  # in two cases
    text = desk.ok("case", "show", "kunduz").stdout
    assert "claims:      3 (1 unsourced, 1 single-source, 1 corroborated)" in text
    assert "sources:     blog, wire" in text
    listed = json.loads(desk.ok("case", "list", "--format", "json").stdout)
    assert [(c["slug"], len(c["claims"])) for c in listed] == [("airport", 1), ("kunduz", 3)]


def test_untagging_is_recorded_and_nothing_else_changes(desk):
    desk.ok("case", "untag", "airport", "--claim", "attack", "--reason", "another story")
    assert show(desk, "airport")["case"]["claims"] == []
    assert "case untag — another story" in desk.ok("log", "attack").stdout
    desk.ok("verify")


def test_every_list_and_report_takes_case(desk):
    claims = json.loads(desk.ok("claim", "list", "--case", "airport", "--format", "json").stdout)
    assert [c["slug"] for c in claims] == ["attack"]
    sources = json.loads(desk.ok("source", "list", "--case", "kunduz", "--format", "json").stdout)
    assert [s["slug"] for s in sources] == ["wire"]
    rows = json.loads(desk.ok("report", "single-anecdote", "--case", "kunduz",
                              "--format", "json").stdout)
    assert [r["claim"] for r in rows] == ["coop"]
    assert json.loads(desk.ok("report", "single-anecdote", "--case", "airport",
                              "--format", "json").stdout) == []
    assert [r["claim"] for r in json.loads(desk.ok(
        "report", "unsourced", "--format", "json").stdout)] == ["other"]
    assert json.loads(desk.ok("report", "unsourced", "--case", "kunduz",
                              "--format", "json").stdout) == []
    summary = {r["status"]: r["claims"] for r in json.loads(desk.ok(
        "report", "summary", "--case", "airport", "--format", "json").stdout)}
    assert summary["corroborated"] == 1 and summary["total"] == 1 and summary["unsourced"] == 0
    record = json.loads(desk.ok("report", "source-record", "--case", "kunduz",
                                "--format", "json").stdout)
    assert [r["source"] for r in record] == ["wire"]
    for name, params in (("impact", ["--param", "source=wire"]),
                         ("stale", ["--param", "before=2020"]), ("contested", []),
                         ("circular-reporting", []), ("anonymous-only", [])):
        desk.ok("report", name, *params, "--case", "kunduz")


@pytest.mark.parametrize("args, message", [
    (["case", "add", "kunduz", "--title", "Again"], "case 'kunduz' already exists"),
    (["case", "add", "bad slug", "--title", "T"], "not a valid slug"),
    (["case", "tag", "nope", "--claim", "coop"], "no case 'nope'"),
    (["case", "tag", "kunduz"], "name at least one --claim or --source"),
    (["case", "tag", "kunduz", "--claim", "coop"], "everything named is already in case"),
    (["case", "tag", "kunduz", "--claim", "cop"], "no claim 'cop' in this ledger (did you mean 'coop'?)"),
    (["case", "untag", "airport", "--claim", "coop", "--reason", "r"], "is not in case"),
    (["claim", "list", "--case", "kundus"], "did you mean 'kunduz'?"),
    (["report", "summary", "--case", "nope"], "--case: no case 'nope'"),
    (["claim", "add", "z", "--subject", "ex:s", "--predicate", "ex:p", "--object", "ex:z",
      "--text", "t", "--case", "nope"], "--case: no case 'nope'"),
])
def test_bad_case_input_is_refused(desk, ledger_dir, args, message):
    before = snapshot(ledger_dir)
    result = desk(*args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert snapshot(ledger_dir) == before
