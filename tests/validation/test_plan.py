"""The plan: what the store's engine runs for a shape set, as plain data, and the cache that
lets a write's check run it without reading the shapes (or loading rdflib)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimledger.core.facts import closure_triples
from claimledger.core.view import StateView
from claimledger.errors import RuleViolation
from claimledger.ledger import Ledger
from claimledger.store.base import ChangeSet
from claimledger.store.memory import MemoryStore
from claimledger.validation import ShapeSet
from claimledger.validation import plan as plan_module
from claimledger.validation.plan import Plan, cached
from tests.conftest import seed_builder

POLICY = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix cl: <https://w3id.org/claimledger#> .
@prefix desk: <https://example.org/desk/> .
desk:TextNeedsAuthor a sh:NodeShape ; sh:targetClass cl:Claim ;
  sh:sparql [ sh:message "a claim's text must not say TODO" ;
              sh:select "SELECT $this WHERE { $this <http://schema.org/text> ?t FILTER(CONTAINS(?t, 'TODO')) }" ] ;
  sh:property [ sh:path <http://schema.org/text> ; sh:maxLength 60 ; sh:severity sh:Warning ;
                sh:message "a long statement: quote the passage instead"@en ] .
"""


def _seed_closure(ledger_dir: Path):
    """The seed ledger's claims and a store of their closure, as a write's check sees them."""
    with Ledger.open(ledger_dir) as led:
        view = StateView(led.store, ChangeSet())
        claims = {r["c"] for r in led.store.query(
            "SELECT ?c WHERE { ?c a <https://w3id.org/claimledger#Claim> }")}
        return claims, MemoryStore(closure_triples(view, claims))


def test_a_plan_read_back_from_json_is_the_plan(tmp_path):
    shapes = ShapeSet.builtin([("desk", POLICY)])
    plan = shapes.plan
    assert plan.checks and plan.jobs and plan.targets  # core checks and a SPARQL constraint
    again = Plan.from_json(json.loads(json.dumps(plan.to_json())))
    assert again == plan


@pytest.mark.parametrize("bad", [{}, {"format": 99}, {"format": plan_module.FORMAT},
                                 {"format": plan_module.FORMAT, "checks": [["q"]], "jobs": [],
                                  "targets": [], "fallback": [], "advanced": False}])
def test_what_is_not_a_plan_is_refused(bad):
    with pytest.raises(ValueError):
        Plan.from_json(bad)


@pytest.fixture(scope="module")
def seed_ledger_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "ledger"
    seed_builder("build_seed_ledger_for_plan").build(path, agent="tester")
    return path


def test_the_cached_plan_gives_the_shape_sets_results_on_the_seed_ledger(seed_ledger_dir, tmp_path):
    """A write's check from the plan read back from the cache, and the shape set's own
    validation of the same closure: the same results, in the same order."""
    claims, store = _seed_closure(seed_ledger_dir)
    texts = [("desk", POLICY)]
    shapes = ShapeSet.builtin(texts)
    cached(texts, lambda: shapes.plan, folder=tmp_path)  # written
    plan = cached(texts, lambda: pytest.fail("the plan was compiled again"), folder=tmp_path)
    ours = plan.validate(store, claims, full=lambda: pytest.fail("the shapes were needed"))
    theirs = shapes.validate(None, focus=[c.value for c in claims], sparql_store=store)
    assert ours.results and ours.results == theirs.results
    assert [r.describe() for r in ours.results] == [r.describe() for r in theirs.results]
    assert ours.to_graph().isomorphic(theirs.to_graph())


def test_a_cache_file_that_is_not_a_plan_for_its_key_is_made_again(tmp_path):
    texts = [("desk", POLICY)]
    shapes = ShapeSet.builtin(texts)
    path = tmp_path / f"plan-{plan_module.key(texts)}.json"
    other = tmp_path / "elsewhere.json"
    other.write_text(json.dumps({"key": plan_module.key(texts), "plan": shapes.plan.to_json()}))
    for damage in (lambda: path.write_bytes(b"{not json"),
                   lambda: path.write_text(json.dumps({"key": "another", "plan": shapes.plan.to_json()})),
                   lambda: path.write_text(json.dumps({"key": plan_module.key(texts), "plan": {"format": 0}})),
                   lambda: path.symlink_to(other)):
        if path.exists() or path.is_symlink():
            path.unlink()
        damage()
        built = []
        plan = cached(texts, lambda: built.append(1) or shapes.plan, folder=tmp_path)
        assert built == [1] and plan == shapes.plan
        assert not path.is_symlink()  # replaced by a file of its own
        assert json.loads(path.read_text())["key"] == plan_module.key(texts)


def test_the_key_changes_with_the_shapes_and_with_the_code(monkeypatch):
    one = plan_module.key([("desk", POLICY)])
    assert plan_module.key([("desk", POLICY + "\n")]) != one
    assert plan_module.key([("other", POLICY)]) != one
    monkeypatch.setattr(plan_module, "_code_digest", lambda: "another version of the code")
    assert plan_module.key([("desk", POLICY)]) != one


def test_no_cache_directory_means_no_file(ledger_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMLEDGER_CACHE_DIR", "")
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        led.claims.add("c1", subject="ex:a", predicate="ex:b", object="ex:c", text="t")
    assert not list(tmp_path.rglob("plan-*.json"))


def test_a_write_with_the_plan_cached_loads_neither_rdflib_nor_the_shapes(ledger_dir, tmp_path):
    """The second process that writes to a ledger reads the plan the first one left: its
    check runs without rdflib (and so without parsing the shapes), and still refuses what
    the rules refuse."""
    env = {**os.environ, "CLAIMLEDGER_CACHE_DIR": str(tmp_path / "cache"),
           "CLAIMLEDGER_AGENT": "tester"}
    code = """
import sys
from claimledger.cli import main
sys.argv = ["claimledger", *sys.argv[2:], "--ledger", sys.argv[1]]
try:
    main()
except SystemExit as exc:
    print("exit", exc.code, "rdflib" in sys.modules, "pyshacl" in sys.modules, file=sys.stderr)
"""

    def run(*args):
        out = subprocess.run([sys.executable, "-c", code, str(ledger_dir), *args],
                             capture_output=True, text=True, env=env, check=True)
        return out.stderr.strip().splitlines()[-1], out.stderr

    claim = ["claim", "add", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
             "--text", "a claim"]
    first, _ = run(*claim[:2], "c1", *claim[2:])
    assert first == "exit 0 True False", _  # the first compiles the shapes and keeps the plan
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 1
    second, said = run(*claim[:2], "c2", *claim[2:])
    assert second == "exit 0 False False", said
    assert "unsourced-claim" in said  # the rules ran: their warning
    refused, said = run(*claim[:2], "c3", *claim[2:], "--confidence", "high")
    assert refused == "exit 1 False False", said  # and their refusal
    with Ledger.open(ledger_dir) as led:
        recorded = {r["c"].value.rsplit("/", 1)[-1] for r in led.store.query(
            "SELECT ?c WHERE { ?c a <https://w3id.org/claimledger#Claim> }")}
    assert recorded == {"c1", "c2"}


def test_a_policy_added_is_enforced_by_the_next_process(ledger_dir, tmp_path, monkeypatch):
    """The plan is keyed by the policies' texts: a process after ``policy add`` does not
    run the plan of the rules before it."""
    monkeypatch.setenv("CLAIMLEDGER_CACHE_DIR", str(tmp_path / "cache"))
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        led.claims.add("c1", subject="ex:a", predicate="ex:b", object="ex:c", text="fine")
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        led.policies.add("desk", POLICY)
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        with pytest.raises(RuleViolation, match="TODO"):
            led.claims.add("c2", subject="ex:a", predicate="ex:b", object="ex:d", text="TODO")
    assert len(list((tmp_path / "cache").glob("plan-*.json"))) == 2


def test_a_blank_focus_node_goes_to_the_shape_set():
    """A SPARQL constraint cannot be given a blank node as ``$this``: the plan says so, and
    its check is the shape set's."""
    shapes = ShapeSet.builtin([("desk", POLICY)])
    store = MemoryStore([ox.Triple(ox.BlankNode("b"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(
        "https://w3id.org/claimledger#Claim"))])
    _results, needs = shapes.plan.run(store, {ox.BlankNode("b")})
    assert needs
    called = []
    shapes.plan.validate(store, {ox.BlankNode("b")}, full=lambda: called.append(1) or shapes)
    assert called == [1]


def test_the_checks_of_some_rules_give_those_rules_results(seed_ledger_dir):
    """What a write checks again on the ledger as it stood (the rules that warned now):
    exactly the results of those rules, every other rule's left out."""
    claims, store = _seed_closure(seed_ledger_dir)
    plan = ShapeSet.builtin([("desk", POLICY)]).plan
    everything, _ = plan.run(store, claims)
    rules = {r.rule for r in everything}
    assert len(rules) >= 2
    some = set(sorted(rules)[:1])
    chosen, _ = plan.run(store, claims, rules=some)
    assert sorted(chosen, key=lambda r: r.sort_key()) == sorted(
        (r for r in everything if r.rule in some), key=lambda r: r.sort_key())
