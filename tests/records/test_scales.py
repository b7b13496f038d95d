"""Verdict scales: claimledger's own, an outlet's adopted one, and verdicts rated on them."""

import json
from pathlib import Path

import pytest

from pyoxigraph import NamedNode

from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.records import scales as S
from conftest import snapshot

METER = Path(__file__).parent / "data" / "meter.ttl"

#: The status precedence the README documents for each rating of claimledger's own scale.
BUILTIN = {
    "true": ("true", "confirmed"), "mostly-true": ("true", "confirmed"),
    "half-true": ("mixture", "mixed"), "mostly-false": ("false", "refuted"),
    "false": ("false", "refuted"), "misleading": ("mixture", "mixed"),
    "missing-context": ("mixture", "mixed"), "unproven": ("other", "inconclusive"),
    "refuted": ("false", "refuted"), "retracted": ("other", "retracted"),
}


@pytest.fixture
def claim(run):
    run.ok("source", "add", "a", "--title", "A", "--reliability", "B")
    run.ok("source", "add", "gone", "--title", "Gone", "--reliability", "B")
    run.ok("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "a b c")
    run.ok("claim", "add", "y", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:d",
           "--text", "a b d")
    run.ok("evidence", "add", "x", "a", "--supports", "--quote", "a b c")
    run.ok("evidence", "add", "y", "a", "--supports", "--quote", "a b d")
    return run


def show(run, slug):
    return json.loads(run.ok("claim", "show", slug, "--format", "json").stdout)["claim"]


def test_claimledgers_own_scale_maps_every_rating():
    own = S.builtin()
    assert own.name == "claimledger" and own.builtin
    assert {r.notation: (r.normalised, r.status) for r in own.ratings} == BUILTIN
    assert [r.notation for r in own.ratings][:5] == ["true", "mostly-true", "half-true",
                                                      "mostly-false", "false"]


@pytest.mark.parametrize("rating", sorted(BUILTIN))
def test_every_rating_sets_its_status(claim, rating):
    claim.ok("claim", "verdict", "x", rating, "--reason", "checked")
    got = show(claim, "x")
    assert got["status"] == BUILTIN[rating][1]
    [verdict] = got["verdicts"]
    assert (verdict["scale"], verdict["normalised"], verdict["in_force"]) == (
        "claimledger", BUILTIN[rating][0], True)


def test_labels_match_whatever_the_case_accents_and_punctuation(ledger):
    own = ledger.scales
    assert own.resolve("Mostly-TRUE").notation == "mostly-true"
    assert own.resolve("missing  context").notation == "missing-context"
    assert own.resolve("Pants on fire").notation == "false"            # an alternative label
    assert own.resolve("cl:verdict-unproven").notation == "unproven"    # a CURIE
    assert own.resolve("5").notation == "true"                          # a rating value
    assert S.fold("Pantalónes—en llamas") == "pantalones en llamas"


def test_an_outlets_scale_is_adopted_and_rated_on(claim, ledger_dir):
    out = claim.ok("scale", "add", str(METER), "--name", "meter").stdout
    assert "adopted scale meter" in out
    listed = json.loads(claim.ok("scale", "list", "--format", "json").stdout)
    assert [s["name"] for s in listed] == ["claimledger", "meter"]
    meter = json.loads(claim.ok("scale", "show", "meter", "--format", "json").stdout)
    assert [r["label"] for r in meter["ratings"]] == [
        "True", "Mostly True", "Half True", "Mostly False", "False", "Pants on Fire!", "Satire"]
    assert {r["label"]: r["status"] for r in meter["ratings"]}["Satire"] == "inconclusive"
    assert (meter["best"], meter["worst"]) == ("6", "1")

    claim.ok("claim", "verdict", "x", "pantalones en llamas", "--scale", "meter",
             "--evidence", "x-1", "--reason", "the registry says otherwise")
    got = show(claim, "x")
    assert got["status"] == "refuted"
    [v] = got["verdicts"]
    assert (v["rating"], v["scale"], v["normalised"], v["evidence"]) == (
        "Pants on Fire!", "meter", "false", ["x-1"])
    with Ledger.open(ledger_dir) as led:
        rating = led.scales.resolve("Halb wahr", scale="meter")
        assert (rating.iri, rating.status) == ("https://outlet.example.org/meter#half-true", "mixed")
        assert led.scales.rating("https://outlet.example.org/meter#satire").normalised == "other"
    claim.ok("verify")


def test_the_default_scale_is_looked_at_first(claim):
    claim.ok("scale", "add", str(METER), "--name", "meter", "--default")
    claim.ok("claim", "verdict", "x", "False", "--reason", "r")
    assert show(claim, "x")["verdicts"][0]["scale"] == "meter"
    claim.ok("claim", "verdict", "y", "refuted", "--reason", "r")   # not on meter: claimledger's
    assert show(claim, "y")["verdicts"][0]["scale"] == "claimledger"
    claim.ok("scale", "default", "claimledger")
    claim.ok("claim", "verdict", "x", "False", "--supersede", "--reason", "r")
    assert show(claim, "x")["verdicts"][1]["scale"] == "claimledger"


def test_a_rating_on_another_scale_says_which(claim, ledger_dir):
    claim.ok("scale", "add", str(METER), "--name", "meter")
    before = snapshot(ledger_dir)
    result = claim("claim", "verdict", "x", "Satire", "--reason", "r")
    assert result.exit_code == 2
    assert "'Satire' is not a rating on claimledger's scale; it is one on meter: " \
           "give --scale meter" in result.stderr
    result = claim("claim", "verdict", "x", "bogus", "--reason", "r")
    assert result.exit_code == 2 and "choose one of: true, mostly-true" in result.stderr
    assert snapshot(ledger_dir) == before


BAD_SCALES = [
    ("this is { not turtle", "does not parse as Turtle"),
    ("", "holds no triples"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . <urn:s> a skos:ConceptScheme .",
     "has no ratings"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:t> a skos:ConceptScheme .", "exactly one"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
     "<urn:s> a skos:ConceptScheme . [] skos:inScheme <urn:s> .", "blank node"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; skos:prefLabel \"R\" .",
     "needs exactly one cl:normalisedRating"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; "
     "cl:normalisedRating cl:normalised-true .", "needs a skos:prefLabel"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; skos:prefLabel \"R\" ; "
     "cl:normalisedRating cl:normalised-true ; cl:status cl:status-corroborated .",
     "is not a property a scale file may use"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; skos:prefLabel \"R\" ; "
     "cl:normalisedRating cl:normalised-true . <urn:claim> a cl:Claim .",
     "neither the scheme nor one of its ratings"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; skos:prefLabel \"Fake\" ; "
     "cl:normalisedRating cl:normalised-false . <urn:q> skos:inScheme <urn:s> ; "
     "skos:prefLabel \"FAKE!\" ; cl:normalisedRating cl:normalised-true .", "names two ratings"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "cl:mine a skos:ConceptScheme . <urn:r> skos:inScheme cl:mine ; skos:prefLabel \"R\" ; "
     "cl:normalisedRating cl:normalised-true .", "claimledger's own namespace"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cl: <https://w3id.org/claimledger#> .\n"
     "<urn:s> a skos:ConceptScheme . <urn:r> skos:inScheme <urn:s> ; skos:prefLabel \"R\" ; "
     "cl:normalisedRating cl:normalised-maybe .", "needs exactly one cl:normalisedRating"),
]


@pytest.mark.parametrize("text, message", BAD_SCALES)
def test_a_bad_scale_file_is_refused_and_nothing_written(run, ledger_dir, tmp_path, text, message):
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    before = snapshot(ledger_dir)
    result = run("scale", "add", str(path), "--name", "bad")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stderr.startswith("Error: FILE: ")
    assert snapshot(ledger_dir) == before


def test_a_parse_error_is_reported_whole(run, tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:s> a skos:ConceptScheme\n"
                    "<urn:r> skos:inScheme <urn:s> .\n", encoding="utf-8")
    result = run("scale", "add", str(path), "--name", "bad")
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "does not parse as Turtle" in line and "line 3" in line  # where it broke


def test_a_scale_name_or_iri_cannot_be_taken_twice(run, ledger_dir):
    run.ok("scale", "add", str(METER), "--name", "meter")
    before = snapshot(ledger_dir)
    for name, message in (("meter", "already exists"), ("claimledger", "already exists"),
                          ("other", "already in the ledger")):
        result = run("scale", "add", str(METER), "--name", name)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert snapshot(ledger_dir) == before


def test_a_second_verdict_needs_supersede_and_a_wrong_one_can_be_withdrawn(claim, ledger_dir):
    claim.ok("claim", "verdict", "x", "false", "--reason", "the registry says otherwise")
    before = snapshot(ledger_dir)
    result = claim("claim", "verdict", "x", "true", "--reason", "changed my mind")
    assert result.exit_code == 2
    assert "already has a verdict in force (x-1: refuted); give --supersede" in result.stderr
    assert snapshot(ledger_dir) == before

    out = claim.ok("claim", "verdict", "x", "half-true", "--supersede",
                   "--reason", "partly right after all").stdout
    assert "x: refuted → mixed" in out
    got = show(claim, "x")
    assert [(v["id"], v["verdict"], v["supersedes"], v["in_force"]) for v in got["verdicts"]] == [
        ("x-1", "refuted", None, False), ("x-2", "mixed", "x-1", True)]

    out = claim.ok("claim", "withdraw-verdict", "x", "--reason", "rated the wrong claim").stdout
    assert "x: mixed → refuted" in out  # the superseded verdict is in force again
    claim.ok("claim", "withdraw-verdict", "x", "--reason", "that one too")
    got = show(claim, "x")
    assert got["status"] == "single-source" and len(got["verdicts"]) == 2  # nothing deleted
    assert [v["withdrawn"] for v in got["verdicts"]] == ["that one too", "rated the wrong claim"]
    result = claim("claim", "withdraw-verdict", "x", "--reason", "r")
    assert result.exit_code == 2 and "no verdict in force" in result.stderr
    result = claim("claim", "verdict", "x", "true", "--supersede", "--reason", "r")
    assert result.exit_code == 2 and "no verdict in force to supersede" in result.stderr
    log = claim.ok("log", "x").stdout
    assert "claim withdraw-verdict — rated the wrong claim" in log
    claim.ok("verify")


def test_a_verdict_cites_only_counted_evidence_of_its_own_claim(claim, ledger_dir):
    claim.ok("evidence", "add", "x", "gone", "--supports", "--quote", "a b c")
    claim.ok("source", "discredit", "gone", "--reason", "fabricated")
    before = snapshot(ledger_dir)
    for ev, message in (("y-1", "is not about claim 'x'"), ("x-2", "does not count"),
                        ("x-9", "no evidence 'x-9'")):
        result = claim("claim", "verdict", "x", "true", "--evidence", ev, "--reason", "r")
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("bulk", [False, True], ids=["ordinary", "bulk"])
def test_an_export_with_scales_cases_and_ratings_imports_into_another_ledger(
        claim, tmp_path, monkeypatch, bulk):
    """Import admission knows the records that came after it: an adopted scale, its ratings,
    a verdict rated on it, a case and its claims arrive in a ledger of another base."""
    from claimledger.interchange import rdf

    if bulk:
        monkeypatch.setattr(rdf, "BULK_BYTES", 0)
    claim.ok("scale", "add", str(METER), "--name", "meter")
    claim.ok("claim", "verdict", "x", "Pants on Fire!", "--scale", "meter", "--reason", "r")
    claim.ok("case", "add", "desk", "--title", "The desk's case")
    claim.ok("case", "tag", "desk", "--claim", "x")
    out = tmp_path / "ledger.trig"
    claim.ok("export", "--format", "trig", "-o", str(out))
    other = tmp_path / "other"
    Ledger.create(other, base="https://example.org/other/", agent="other").close()
    result = claim("import", str(out), "--ledger", str(other), agent="other")
    assert result.exit_code == 0, result.output
    base = "https://example.org/test/"
    with Ledger.open(other) as led:
        rating = led.scales.resolve("Pants on Fire!", scale="meter")
        assert (rating.normalised, rating.status) == ("false", "refuted")
        assert [t.object.value for t in led.store.triples(
            NamedNode(base + "claim/x"), V.IN_CASE, None)] == [base + "case/desk"]
        assert list(led.store.triples(NamedNode(base + "case/desk"), V.TYPE, V.CASE))
    got = json.loads(claim.ok("claim", "show", f"<{base}claim/x>", "--ledger", str(other),
                              "--format", "json", agent="other").stdout)["claim"]
    assert got["status"] == "refuted"
    assert got["verdicts"][0]["rating"] == "Pants on Fire!"
    claim.ok("verify", "--ledger", str(other), agent="other")
