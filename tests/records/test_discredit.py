"""``source discredit``: evidence from, attributed to, or derived from a discredited source stops
counting; every affected claim is re-derived in the same write; who, when and why are kept."""

from __future__ import annotations

import json

import pytest

from claimledger.ledger import Ledger
from conftest import snapshot


@pytest.fixture
def desk(ledger_dir, run):
    """``target`` (B) with ``reprint`` derived from it, and four claims each backed by
    ``target`` in one way plus an independent source."""
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        src = led.sources.add
        src("target", title="Target", reliability="B")
        src("reprint", title="Reprint", derived_from=["target"])
        src("indie", title="Independent", reliability="A")
        src("article", title="Article", reliability="B")
        src("other", title="Other", reliability="C")

        def claim(slug):
            led.claims.add(slug, subject="ex:s", predicate="ex:p", object=f"ex:{slug}",
                           text=f"The {slug} claim")

        claim("direct")              # found in target
        led.evidence.add("direct", "target", stance="supports", quote="q")
        led.evidence.add("direct", "indie", stance="supports", quote="q")
        led.claims.set_confidence("direct", "high")
        claim("attributed")          # an article quoting target
        led.evidence.add("attributed", "article", stance="supports", attributed_to="target",
                         quote="q")
        led.evidence.add("attributed", "indie", stance="supports", quote="q")
        claim("derived")             # found in a reprint of target
        led.evidence.add("derived", "reprint", stance="supports", quote="q")
        led.evidence.add("derived", "indie", stance="supports", quote="q")
        claim("alone")               # target is all it has
        led.evidence.add("alone", "target", stance="supports", quote="q")
        led.claims.set_confidence("alone", "moderate")
        claim("untouched")           # target plays no part
        led.evidence.add("untouched", "indie", stance="supports", quote="q")
        led.evidence.add("untouched", "other", stance="supports", quote="q")
    return run


def claim_json(run, slug):
    return json.loads(run.ok("claim", "show", slug, "--format", "json").stdout)["claim"]


def test_discredit_prints_what_changed(desk):
    result = desk.ok("source", "discredit", "target", "--reason", "fabricated, per the review")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("discredited source target (event ")
    assert lines[1:] == [
        "  alone: single-source → unsourced (0 independent origins)",
        "    confidence lowered moderate → low: its sourcing no longer supports more",
        "  attributed: corroborated → single-source (1 independent origin)",
        "  derived: corroborated → single-source (1 independent origin)",
        "  direct: corroborated → single-source (1 independent origin)",
        "    confidence lowered high → moderate: its sourcing no longer supports more",
    ]


def test_discredit_json_lists_the_status_changes(desk):
    out = desk.ok("source", "discredit", "target", "--reason", "fabricated",
                  "--format", "json").stdout
    data = json.loads(out)
    assert data["message"] == "discredited source target"
    assert [(c["claim"], c["before"], c["after"], c["independent_origins"])
            for c in data["status_changes"]] == [
        ("alone", "single-source", "unsourced", 0),
        ("attributed", "corroborated", "single-source", 1),
        ("derived", "corroborated", "single-source", 1),
        ("direct", "corroborated", "single-source", 1),
    ]


def test_direct_attributed_and_derived_evidence_stop_counting(desk):
    desk.ok("source", "discredit", "target", "--reason", "fabricated")
    expected = {
        "direct": ("single-source", 1, "moderate", {"direct-1": False, "direct-2": True}),
        "attributed": ("single-source", 1, "low", {"attributed-1": False, "attributed-2": True}),
        "derived": ("single-source", 1, "low", {"derived-1": False, "derived-2": True}),
        "alone": ("unsourced", 0, "low", {"alone-1": False}),
        "untouched": ("corroborated", 2, "low", {"untouched-1": True, "untouched-2": True}),
    }
    for slug, (status, origins, confidence, counts) in expected.items():
        data = claim_json(desk, slug)
        assert (data["status"], data["independent_origins"], data["confidence"]) == (
            status, origins, confidence), slug
        assert {e["id"]: e["counts"] for e in data["evidence"]} == counts, slug


def test_one_write_does_it_all_and_the_chain_verifies(desk):
    before = json.loads(desk.ok("log", "--format", "json").stdout)
    desk.ok("source", "discredit", "target", "--reason", "fabricated")
    after = json.loads(desk.ok("log", "--format", "json").stdout)
    assert len(after) == len(before) + 1
    assert after[-1]["command"] == "source discredit"
    desk.ok("verify")
    desk.ok("validate")


def test_who_when_and_why_are_recorded(desk):
    desk.ok("source", "discredit", "target", "--reason", "fabricated, per the review",
            agent="jdoe")
    record = json.loads(desk.ok("source", "show", "target", "--format", "json").stdout)
    assert record["discredited"] == "fabricated, per the review"
    assert record["discredited_by"] == "jdoe"
    assert record["discredited_at"].endswith("Z")
    text = desk.ok("source", "show", "target").stdout
    assert (f"discredited:   fabricated, per the review ({record['discredited_at']} by jdoe)"
            in text)
    log = desk.ok("log", "target").stdout.splitlines()
    last = [line for line in log if line.startswith("#")][-1]
    assert last.endswith("jdoe: source discredit — fabricated, per the review")
    assert record["discredited_at"] in last
    entries = json.loads(desk.ok("log", "target", "--format", "json").stdout)
    assert entries[-1]["reason"] == "fabricated, per the review"
    assert entries[-1]["agent"] == "jdoe"
    listing = desk.ok("source", "list").stdout.splitlines()
    assert [line.split()[-2] for line in listing if line.startswith("target ")] == ["yes"]


def test_discrediting_twice_is_refused(desk, ledger_dir):
    desk.ok("source", "discredit", "target", "--reason", "fabricated")
    before = snapshot(ledger_dir)
    result = desk("source", "discredit", "target", "--reason", "again")
    assert result.exit_code == 2
    assert "source 'target' is already discredited" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("args, expected", [
    (["source", "discredit", "target"], "--reason"),
    (["source", "discredit", "target", "--reason", "  "], "must not be empty"),
    (["source", "discredit", "nope", "--reason", "r"], "no source 'nope'"),
])
def test_bad_discredit_is_refused(desk, ledger_dir, args, expected):
    before = snapshot(ledger_dir)
    result = desk(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert snapshot(ledger_dir) == before


def test_discredit_needs_an_agent(desk, ledger_dir):
    before = snapshot(ledger_dir)
    result = desk("source", "discredit", "target", "--reason", "r", agent=None)
    assert result.exit_code == 2
    assert "agent" in result.stderr
    assert snapshot(ledger_dir) == before


def test_impact_foresaw_it(desk):
    """The impact report, run before, names exactly the claims that then fall."""
    rows = json.loads(desk.ok("report", "impact", "--param", "source=target",
                              "--format", "sparql-json").stdout)["results"]["bindings"]
    foreseen = {r["claim"]["value"].rsplit("/", 1)[1]: (r["status_after"]["value"],
                                                         int(r["origins_after"]["value"]))
                for r in rows}
    out = json.loads(desk.ok("source", "discredit", "target", "--reason", "r",
                             "--format", "json").stdout)
    assert {c["claim"]: (c["after"], c["independent_origins"])
            for c in out["status_changes"]} == foreseen


def test_a_claim_left_with_only_a_credible_contradiction_is_unsourced_and_on_the_todo_list(
        run, ledger_dir):
    # The defect: after its only support was discredited, a claim credibly contradicted stayed
    # contested at moderate confidence, resting on nothing, in neither report.
    run.ok("source", "add", "tip", "--title", "A tip", "--reliability", "C")
    run.ok("source", "add", "registry", "--title", "The registry", "--kind", "official-record",
           "--reliability", "B")
    run.ok("claim", "add", "freed", "--subject", "ex:t", "--predicate", "ex:freed",
           "--object", "ex:p", "--text", "They freed the prisoners")
    run.ok("evidence", "add", "freed", "tip", "--supports", "--quote", "freed them")
    run.ok("evidence", "add", "freed", "registry", "--contradicts", "--locator", "entry 12")
    run.ok("claim", "confidence", "freed", "moderate")
    assert claim_json(run, "freed")["status"] == "contested"
    out = run.ok("source", "discredit", "tip", "--reason", "made it up").stdout
    assert "freed: contested → unsourced (0 independent origins)" in out
    assert "confidence lowered moderate → low" in out
    got = claim_json(run, "freed")
    assert (got["status"], got["confidence"]) == ("unsourced", "low")
    [row] = json.loads(run.ok("report", "unsourced", "--format", "json").stdout)
    assert (row["claim"], row["evidence"], row["contradicted_by"]) == ("freed", 2, "registry [B]")
    result = run("claim", "confidence", "freed", "moderate")
    assert result.exit_code == 1 and "unsourced-claim" in result.stderr
    assert run("validate").exit_code == 0
