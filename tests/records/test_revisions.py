"""Nothing is deleted: claims are superseded by revisions, sources corrected and re-graded."""

import json

from conftest import snapshot


def show(run, kind, slug):
    return json.loads(run.ok(kind, "show", slug, "--format", "json").stdout)


def test_a_revision_supersedes_a_claim_and_keeps_the_old_one(run):
    run.ok("source", "add", "s", "--title", "S", "--reliability", "C")
    run.ok("claim", "add", "toll", "--subject", "ex:attack", "--predicate", "ex:killed",
           "--value", "12", "--datatype", "xsd:integer", "--text", "12 were killed")
    run.ok("evidence", "add", "toll", "s", "--supports", "--quote", "12 were killed")
    result = run.ok("claim", "revise", "toll", "toll-v2", "--value", "13",
                    "--text", "13 were killed", "--reason", "the toll was revised")
    assert "toll: single-source → retracted" in result.stdout
    old = show(run, "claim", "toll")["claim"]
    new = show(run, "claim", "toll-v2")["claim"]
    assert old["status"] == "retracted"
    assert "superseded by toll-v2: the toll was revised" in old["verdicts"][0]["reason"]
    assert len(old["evidence"]) == 1  # the old evidence stays with the old claim
    assert new["object"] == "'13'^^xsd:integer"  # the datatype carries over
    assert new["subject"] == "ex:attack" and new["status"] == "unsourced"
    run.ok("verify")


def test_revising_a_retracted_claim_is_refused(run, ledger_dir):
    run.ok("claim", "add", "c", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:o",
           "--text", "t")
    run.ok("claim", "verdict", "c", "refuted", "--reason", "false")
    before = snapshot(ledger_dir)
    result = run("claim", "revise", "c", "c2", "--reason", "r")
    assert result.exit_code == 2 and "already refuted" in result.stderr
    assert snapshot(ledger_dir) == before


def test_regrading_a_source_rederives_the_claims_it_reaches(run):
    run.ok("source", "add", "a", "--title", "A", "--reliability", "B")
    run.ok("source", "add", "b", "--title", "B", "--reliability", "C")
    run.ok("source", "add", "denial", "--title", "Denial", "--reliability", "E")
    run.ok("claim", "add", "c", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:o",
           "--text", "t")
    run.ok("evidence", "add", "c", "a", "--supports", "--quote", "q")
    run.ok("evidence", "add", "c", "b", "--supports", "--quote", "q")
    run.ok("evidence", "add", "c", "denial", "--contradicts", "--quote", "no")
    assert show(run, "claim", "c")["claim"]["status"] == "corroborated"
    result = run.ok("source", "update", "denial", "--reliability", "B",
                    "--reason", "its denials have held up")
    assert "c: corroborated → contested" in result.stdout
    assert show(run, "source", "denial")["reliability"] == "B"
    log = run.ok("log", "denial").stdout
    assert "reliability: E → B" in log and "its denials have held up" in log


def test_an_update_with_nothing_to_change_is_refused(run, ledger_dir):
    run.ok("source", "add", "a", "--title", "A")
    before = snapshot(ledger_dir)
    result = run("source", "update", "a", "--reason", "r")
    assert result.exit_code == 2 and "nothing to change" in result.stderr
    assert snapshot(ledger_dir) == before
