"""A newsroom's own policies: `policy add / list / remove`, enforced on write and by validate."""

from __future__ import annotations

import json

import pytest
from conftest import BASE, snapshot

CLAIM = BASE + "claim/"
SOURCE = BASE + "source/"

PREFIXES = """
@prefix sh:     <http://www.w3.org/ns/shacl#> .
@prefix cl:     <https://w3id.org/claimledger#> .
@prefix schema: <http://schema.org/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix news:   <https://example.org/newsroom#> .
"""

#: Every source says where it can be found.
SOURCE_URL = PREFIXES + """
news:source-url a sh:NodeShape ;
    sh:targetClass cl:Source ;
    sh:severity sh:Violation ;
    sh:property [
        sh:path schema:url ; sh:minCount 1 ; sh:severity sh:Violation ;
        sh:message "Our desk records where every source can be found (--url)." ] .
"""

#: Moderate or high confidence needs two supporting pieces of evidence (the built-in rules
#: allow moderate on one).
TWO_PIECES = PREFIXES + """
news:two-pieces-of-evidence a sh:NodeShape ;
    sh:targetClass cl:Claim ;
    sh:severity sh:Violation ;
    sh:message "Our desk holds a claim above low confidence only on two supporting pieces of evidence." ;
    sh:or (
        [ sh:path cl:confidence ; sh:in ( cl:confidence-low ) ]
        [ sh:path [ sh:inversePath cl:claim ] ;
          sh:qualifiedValueShape [ sh:path cl:stance ; sh:hasValue cl:stance-supports ] ;
          sh:qualifiedMinCount 2 ]
    ) .
"""

#: A SHACL-SPARQL policy (run by Oxigraph): no hedging word in a claim's statement.
NO_REPORTEDLY = PREFIXES + """
news: sh:declare [ sh:prefix "schema" ; sh:namespace "http://schema.org/"^^xsd:anyURI ] .
news:no-reportedly a sh:NodeShape ;
    sh:targetClass cl:Claim ;
    sh:severity sh:Violation ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:prefixes news: ;
        sh:message "State the claim itself; 'reportedly' belongs in the evidence: {?text}" ;
        sh:select \"\"\"
            SELECT $this ?text WHERE {
                $this schema:text ?text .
                FILTER (CONTAINS(LCASE(STR(?text)), "reportedly"))
            }
        \"\"\" ] .
"""


def policy_file(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    return str(path)


def claim(run, slug: str, text: str = "The Taliban freed prisoners", **kwargs):
    return run("claim", "add", slug, "--subject", "ex:Taliban", "--predicate", "ex:freed",
               "--object", "ex:Prisoners", "--text", text, **kwargs)


def validate_json(run):
    result = run("validate", "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_policy_refuses_the_writes_it_forbids(run, ledger_dir, tmp_path):
    result = run.ok("policy", "add", policy_file(tmp_path, "desk", SOURCE_URL))
    assert "added policy desk" in result.stdout
    before = snapshot(ledger_dir)
    refused = run("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B")
    assert refused.exit_code == 1
    assert "source-url" in refused.stderr
    assert "Our desk records where every source can be found" in refused.stderr
    assert "wire-a" in refused.stderr
    assert snapshot(ledger_dir) == before
    run.ok("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B",
           "--url", "https://example.org/wire-a")


def test_policy_stricter_than_the_rules(run, ledger_dir, tmp_path):
    """The built-in rules allow moderate confidence on one report; this desk does not."""
    run.ok("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B")
    run.ok("source", "add", "outlet-c", "--title", "Outlet C", "--reliability", "C")
    assert claim(run, "freed").exit_code == 0
    run.ok("evidence", "add", "freed", "wire-a", "--supports", "--locator", "para 4")
    run.ok("policy", "add", policy_file(tmp_path, "two", TWO_PIECES), "--name", "two-pieces")
    before = snapshot(ledger_dir)
    refused = run("claim", "confidence", "freed", "moderate")
    assert refused.exit_code == 1
    assert "two-pieces-of-evidence" in refused.stderr and "freed" in refused.stderr
    assert snapshot(ledger_dir) == before
    run.ok("evidence", "add", "freed", "outlet-c", "--supports", "--locator", "para 2")
    run.ok("claim", "confidence", "freed", "moderate")


def test_sparql_policy_is_enforced_on_write_and_by_validate(run, ledger_dir, tmp_path):
    assert claim(run, "hedged", "The Taliban reportedly freed prisoners").exit_code == 0
    run.ok("policy", "add", policy_file(tmp_path, "plain", NO_REPORTEDLY))
    code, results = validate_json(run)
    assert code == 1
    [violation] = [r for r in results if r["severity"] == "Violation"]
    assert violation["rule"] == "no-reportedly" and violation["focus"] == CLAIM + "hedged"
    assert violation["message"].endswith(": The Taliban reportedly freed prisoners")
    before = snapshot(ledger_dir)
    refused = claim(run, "again", "Prisoners were reportedly freed")
    assert refused.exit_code == 1 and "no-reportedly" in refused.stderr
    assert snapshot(ledger_dir) == before
    assert claim(run, "plain", "Prisoners were freed").exit_code == 0


def test_validate_reports_what_was_recorded_before_the_policy(run, tmp_path):
    run.ok("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B")
    assert run("validate").exit_code == 0
    # Adding a policy does not re-check what is recorded; validate does.
    run.ok("policy", "add", policy_file(tmp_path, "desk", SOURCE_URL))
    code, results = validate_json(run)
    assert code == 1
    assert [(r["rule"], r["focus"]) for r in results if r["severity"] == "Violation"] == [
        ("source-url", SOURCE + "wire-a")]
    text = run("validate").stdout
    assert "source-url" in text and "Our desk records where every source can be found" in text


def test_list_and_remove(run, ledger_dir, tmp_path):
    assert "desk" not in run.ok("policy", "list").stdout
    run.ok("policy", "add", policy_file(tmp_path, "desk", SOURCE_URL))
    run.ok("policy", "add", policy_file(tmp_path, "two", TWO_PIECES), "--name", "two-pieces")
    listed = json.loads(run.ok("policy", "list", "--format", "json").stdout)
    assert [(p["name"], p["shapes"]) for p in listed] == [("desk", 1), ("two-pieces", 1)]
    assert listed[0]["recorded_by"] == "tester"
    table = run.ok("policy", "list").stdout
    assert "desk" in table and "two-pieces" in table

    assert run("source", "add", "wire-a", "--title", "Wire A").exit_code == 1
    run.ok("policy", "remove", "desk", "--reason", "URLs are optional again")
    run.ok("source", "add", "wire-a", "--title", "Wire A")
    assert run("validate").exit_code == 0
    assert [p["name"] for p in json.loads(run.ok("policy", "list", "--format", "json").stdout)] \
        == ["two-pieces"]
    assert "policy remove" in run.ok("log").stdout


def test_list_counts_shapes_declared_by_a_target_alone(run, tmp_path):
    """SHACL 2.1: a node with a target is a shape even without rdf:type sh:NodeShape."""
    untyped = PREFIXES + """
news:source-url sh:targetClass cl:Source ;
    sh:property [ sh:path schema:url ; sh:minCount 1 ] .
news:claim-text sh:targetClass cl:Claim ;
    sh:property [ sh:path schema:text ; sh:minCount 1 ] .
"""
    run.ok("policy", "add", policy_file(tmp_path, "untyped", untyped))
    listed = json.loads(run.ok("policy", "list", "--format", "json").stdout)
    assert [(p["name"], p["shapes"]) for p in listed] == [("untyped", 2)]


def test_removing_an_unknown_policy_exits_2(run):
    result = run("policy", "remove", "nothing")
    assert result.exit_code == 2
    assert "no policy 'nothing'" in result.stderr


def test_a_policy_name_is_used_once(run, tmp_path):
    path = policy_file(tmp_path, "desk", SOURCE_URL)
    run.ok("policy", "add", path)
    result = run("policy", "add", path)
    assert result.exit_code == 2 and "already exists" in result.stderr


@pytest.mark.parametrize("text, message", [
    ("@prefix sh: <http://www.w3.org/ns/shacl#> .\nnews:x a sh:NodeShape .",
     "do not parse as Turtle"),
    ("this is { not Turtle", "do not parse as Turtle"),
    (PREFIXES + "news:a schema:name \"just data\" .", "not SHACL"),
    ("", "not SHACL"),
    (PREFIXES + """news:s a sh:NodeShape ; sh:targetClass cl:Claim ;
        sh:sparql [ sh:select "SELECT ?x WHERE { ?x ?p ?o }" ] .""", "must project $this"),
])
def test_unusable_shapes_are_refused(run, ledger_dir, tmp_path, text, message):
    before = snapshot(ledger_dir)
    result = run("policy", "add", policy_file(tmp_path, "bad", text))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Error:" in result.stderr
    assert snapshot(ledger_dir) == before
    assert json.loads(run.ok("policy", "list", "--format", "json").stdout) == []


def test_unreadable_policy_file_exits_2(run, tmp_path):
    result = run("policy", "add", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


SWITCH_OFF = PREFIXES + """
@prefix rule: <https://w3id.org/claimledger/shapes#> .
rule:high-confidence-sourcing a sh:NodeShape ; sh:deactivated true .
"""

LOOSEN = PREFIXES + """
@prefix rule: <https://w3id.org/claimledger/shapes#> .
news:s a sh:NodeShape ; sh:targetClass cl:Source ; sh:property [ sh:path schema:name ; sh:minCount 1 ] .
rule:anonymous-source sh:message "whatever" .
"""


@pytest.mark.parametrize("text", [SWITCH_OFF, LOOSEN])
def test_a_policy_cannot_touch_the_built_in_rules(run, ledger_dir, tmp_path, text):
    before = snapshot(ledger_dir)
    path = policy_file(tmp_path, "off", text)
    result = run("policy", "add", path)
    assert result.exit_code == 2
    assert "claimledger's own rules" in result.stderr
    assert snapshot(ledger_dir) == before
    result = run("validate", "--shapes", path)
    assert result.exit_code == 2 and "claimledger's own rules" in result.stderr


def test_a_stored_policy_that_cannot_be_used_stops_writes_until_removed(run, ledger_dir):
    """A policy that got into the store without `policy add` (written directly here) and that
    claimledger refuses makes writes fail loudly (exit 2), never silently; removing it works."""
    from pyoxigraph import Literal, NamedNode

    from claimledger.model import vocab as V
    from claimledger.store import ChangeSet, EmbeddedStore

    node = NamedNode(BASE + "policy/off")
    changes = ChangeSet()
    changes.add(node, V.TYPE, V.POLICY)
    changes.add(node, V.SHAPES, Literal(SWITCH_OFF))
    with EmbeddedStore(ledger_dir, write=True) as store:
        store.apply(changes)
    result = run("source", "add", "wire-a", "--title", "Wire A")
    assert result.exit_code == 2 and "'off'" in result.stderr
    assert run("validate").exit_code == 2
    run.ok("policy", "remove", "off")
    run.ok("source", "add", "wire-a", "--title", "Wire A")


def _policy_file(tmp_path, slug: str, text: str) -> str:
    """A Turtle file that brings policy ``slug`` the way an export of a ledger carries it."""
    path = tmp_path / f"{slug}-import.ttl"
    path.write_text(f"<{BASE}policy/{slug}> a <https://w3id.org/claimledger#Policy> ;\n"
                    f"    <https://w3id.org/claimledger#shapes> {json.dumps(text)} .\n",
                    encoding="utf-8")
    return str(path)


@pytest.fixture(params=["update", "bulk"])
def import_path(request, monkeypatch):
    """Run a test through the ordinary import and through the bulk (staging) path."""
    if request.param == "bulk":
        from claimledger.interchange import rdf as interchange

        monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    return request.param


@pytest.mark.parametrize("text, message", [
    ("this is @@ not turtle", "do not parse as Turtle"),
    (PREFIXES + "news:x news:y news:z .", "declare no SHACL shape"),
    (SWITCH_OFF, "claimledger's own rules"),
])
def test_an_imported_policy_that_cannot_be_enforced_is_refused(run, ledger_dir, tmp_path,
                                                               import_path, text, message):
    """Found in review: an imported cl:Policy was not checked, and one that did not parse
    left a ledger on which every command failed."""
    before = snapshot(ledger_dir)
    result = run("import", _policy_file(tmp_path, "bad", text))
    assert result.exit_code == 2
    assert "cannot be enforced" in result.stderr and message in result.stderr
    assert snapshot(ledger_dir) == before
    run.ok("claim", "list")


def test_an_imported_policy_is_enforced_from_the_next_write(run, ledger_dir, tmp_path,
                                                            import_path):
    run.ok("import", _policy_file(tmp_path, "desk", SOURCE_URL))
    assert "desk" in run.ok("policy", "list").stdout
    refused = run("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B")
    assert refused.exit_code == 1 and "source-url" in refused.stderr
    run.ok("source", "add", "wire-a", "--title", "Wire story A", "--reliability", "B",
           "--url", "https://example.org/wire-a")


def test_an_imported_policy_does_not_replace_one_of_the_same_name(run, ledger_dir, tmp_path,
                                                                 import_path):
    run.ok("policy", "add", policy_file(tmp_path, "desk", SOURCE_URL))
    before = snapshot(ledger_dir)
    result = run("import", _policy_file(tmp_path, "desk", TWO_PIECES))
    assert result.exit_code == 2 and "already has a different policy" in result.stderr
    assert snapshot(ledger_dir) == before


def _select_policy(select: str, *, extra: str = "", ask: str | None = None) -> str:
    """A SHACL-SPARQL policy whose constraint runs ``select`` (URL: a local listener)."""
    import pyoxigraph as ox

    body = PREFIXES + extra + """
news:network a sh:NodeShape ;
    sh:targetClass cl:Claim ;
    sh:sparql [ sh:message "m" ; sh:prefixes news: ; sh:select SELECT_TEXT ] .
""".replace("SELECT_TEXT", str(ox.Literal(select)))
    if ask is not None:  # a SPARQL-based constraint component, run by pyshacl (rdflib)
        body += """
news:Component a sh:ConstraintComponent ;
    sh:parameter [ sh:path news:param ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:ask ASK_TEXT ] .
news:uses-component a sh:NodeShape ; sh:targetClass cl:Claim ; news:param true .
""".replace("ASK_TEXT", str(ox.Literal(ask)))
    return body


#: Policies whose SPARQL once reached the network on every write, past the old text check.
NETWORK_POLICIES = [
    _select_policy('# """\nSELECT $this WHERE { SERVICE <URL> { ?s ?p ?o } }\n# """'),
    _select_policy("SELECT $this WHERE { $this ?p ?o . VALUES ?svc { <URL> } BIND(1 AS ?a) "
                   "BIND(2 AS ?b) FILTER(?a<?b)SERVICE?svc{}FILTER(?b>?a) }"),
    _select_policy("SELECT $this WHERE { $this ?p ?o . SERVICE:x { } }",
                   extra='news: sh:declare [ sh:prefix "" ; sh:namespace "URL"^^xsd:anyURI ] .\n'),
    _select_policy("SELECT $this WHERE { $this ?p ?o . SERVICEex:x { } }",
                   extra='news: sh:declare [ sh:prefix "ex" ; sh:namespace "URL"^^xsd:anyURI ] .\n'),
    # a namespace pasted raw into the query's prologue
    _select_policy("SELECT $this WHERE { $this ?p ?o }",
                   extra='news: sh:declare [ sh:prefix "x" ; sh:namespace '
                         '"urn:x> SELECT $this WHERE { SERVICE <URL> { } } #"^^xsd:anyURI ] .\n'),
    _select_policy("SELECT $this WHERE { $this ?p ?o }",
                   ask='ASK { # """\nSERVICE <URL> { } # """\n}'),
]


@pytest.mark.parametrize("text", NETWORK_POLICIES)
def test_policies_and_shapes_that_reach_the_network_are_refused(run, ledger_dir, tmp_path,
                                                                 listener, text):
    path = policy_file(tmp_path, "network", text.replace("URL", listener.url))
    before = snapshot(ledger_dir)
    result = run("policy", "add", path, "--name", "network")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert "Turtle" not in result.stderr  # refused for what it says, not for its syntax
    assert snapshot(ledger_dir) == before
    result = run("validate", "--shapes", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    claim(run, "after-network")  # writes still work, and send nothing
    assert listener.reached == 0, listener.requests


#: Recursive shapes: an older claimledger accepted them, this one refuses them (SHACL leaves
#: their meaning undefined).
RECURSIVE = PREFIXES + """
news:chain a sh:NodeShape ; sh:targetClass cl:Source ; sh:node news:link .
news:link a sh:NodeShape ; sh:property [ sh:path news:next ; sh:node news:link ] .
"""


def test_a_stored_policy_this_claimledger_refuses_can_still_be_removed(run, ledger_dir,
                                                                       tmp_path):
    """A ledger holding a policy recorded by an older claimledger that this one no longer
    loads: every other write says which policy and how to get out; ``policy remove`` works
    (it is checked against the rules as they will be without that policy)."""
    from pyoxigraph import Literal, NamedNode, Quad

    from claimledger.ledger import Ledger
    from claimledger.model import vocab as V

    result = run("policy", "add", policy_file(tmp_path, "chain", RECURSIVE))
    assert result.exit_code == 2 and "recursive" in result.output
    node = NamedNode(BASE + "policy/chain")
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:  # as an older one wrote it
        led.store._store.extend([Quad(node, V.TYPE, V.POLICY),
                                 Quad(node, V.SHAPES, Literal(RECURSIVE))])
    refused = run("source", "add", "wire", "--title", "Wire")
    assert refused.exit_code != 0
    assert "policy 'chain' does not load" in refused.output
    assert "claimledger policy remove chain" in refused.output
    removed = run("policy", "remove", "chain")
    assert removed.exit_code == 0, removed.output
    run.ok("source", "add", "wire", "--title", "Wire")
