"""Issue 3 (and 11): ``validate`` gives the same results as ONE plain pyshacl run of the sourcing
rules over a generated 2,000-claim ledger with a rule violation of every kind planted in it.

claimledger does not run pyshacl on a whole ledger: it compiles SHACL Core to SPARQL and runs
it, and the SHACL-SPARQL constraints, on Oxigraph. Plain pyshacl needs about 20 minutes of CPU
for that ledger, so its results are computed once by ``tests/validation/regenerate_expected.py``
and stored in ``tests/validation/expected/differential-2000.json``, with hashes of what they
depend on (``shapes/sourcing.ttl``, the generator and the planting code, the data pyshacl saw).
These tests rebuild the same ledger, check that nothing those results depend on has changed
(else they fail, naming the script that regenerates them), and compare the compiled engine's
results with them: the (focus node, named shape, severity) of every result, and every result
term for term (focus node, named shape, severity, constraint component, path, value).

For another size, ``CLAIMLEDGER_DIFF_CLAIMS=120`` (every kind of result and the planted
Violations still occur), pyshacl is run on the spot instead of reading the stored file.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import rdflib
import regenerate_expected as gen

from claimledger import resources
from claimledger.ledger import Ledger
from claimledger.validation import validate_store

N_CLAIMS = int(os.environ.get("CLAIMLEDGER_DIFF_CLAIMS", str(gen.CLAIMS)))
STALE = (f"the stored pyshacl results are out of date: regenerate them with "
         f"`.venv/bin/python {gen.SCRIPT} --claims {N_CLAIMS}` (about 20 min of CPU for 2,000 claims)")


def stored() -> dict | None:
    path = gen.expected_path(N_CLAIMS)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def test_stored_results_match_the_shapes_and_the_generator():
    """Fails, naming the regeneration script, when shapes/sourcing.ttl, the generator or the
    planting code change."""
    expected = stored()
    if expected is None:
        assert N_CLAIMS != gen.CLAIMS, f"{gen.expected_path(N_CLAIMS)} is missing: {STALE}"
        return  # another size: pyshacl runs on the spot below
    check_current(expected)


def check_current(expected: dict) -> None:
    now = gen.dependencies()
    changed = sorted(k for k, v in now.items() if expected.get(k) != v)
    assert not changed, f"{', '.join(changed)} changed: {STALE}"


def test_a_change_of_the_shapes_or_the_generator_is_caught(monkeypatch):
    expected = {**gen.dependencies()}
    check_current(expected)
    monkeypatch.setattr(gen.resources, "shapes", lambda name: "# edited\n")
    with pytest.raises(AssertionError, match="regenerate_expected.py") as caught:
        check_current(expected)
    assert "shapes_sha256" in str(caught.value)
    monkeypatch.undo()
    monkeypatch.setattr(gen.generator, "GENERATOR_VERSION", gen.generator.GENERATOR_VERSION + 1)
    with pytest.raises(AssertionError, match="generator_version"):
        check_current(expected)


@pytest.fixture(scope="module")
def planted_ledger(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("differential")
    path, planted = gen.build_ledger(tmp, N_CLAIMS)
    return path, planted


def _path(path) -> str | None:
    """A result path in the form the stored file uses (:func:`regenerate_expected.path_text`)."""
    if path is None:
        return None
    graph = rdflib.Graph()
    return gen.path_text(graph, path.to_rdf(graph))


def _as_rdflib_parses(term) -> str | None:
    """A value as pyshacl saw it. pyshacl reads the exported ledger through rdflib, which
    rewrites some lexical forms as it parses ("2999-01-01T00:00:00Z" becomes "…+00:00"): a
    deviation of rdflib's, not of either engine, so values are compared in rdflib's form."""
    if term is None:
        return None
    if isinstance(term, rdflib.Literal) and term.datatype is not None:
        return rdflib.Literal(str(term), datatype=term.datatype).n3()
    return term.n3()


def _row(focus: str, shape: str, severity: str, component: str, path, value) -> tuple:
    return (focus, shape, severity, component, path, value)


def theirs(planted_ledger) -> list[dict]:
    path, _planted = planted_ledger
    data = gen.state_graph(path)
    expected = stored()
    if expected is None:
        shapes = rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")
        return gen.pyshacl_results(data, shapes)
    assert gen.graph_hash(data) == expected["data_sha256"], f"the generated ledger changed: {STALE}"
    return expected["results"]


@pytest.mark.slow
def test_validate_equals_one_plain_pyshacl_run(planted_ledger):
    path, planted = planted_ledger
    with Ledger.open(path) as led:
        ours = validate_store(led.store, led.shapes)
    pyshacl_results = theirs(planted_ledger)

    def bare(n3: str | None) -> str | None:
        return n3[1:-1] if n3 and n3.startswith("<") else n3

    mine = {r.key() for r in ours.results}
    keys = {(bare(r["focus"]), r["shape"], r["severity"]) for r in pyshacl_results}
    only_ours, only_theirs = sorted(mine - keys), sorted(keys - mine)
    assert not only_ours and not only_theirs, (
        "validate and plain pyshacl disagree\n  only validate:\n    "
        + "\n    ".join(map(str, only_ours[:20]))
        + "\n  only pyshacl:\n    " + "\n    ".join(map(str, only_theirs[:20])))

    # Term for term, every result (a multiset: SHACL results need not be distinct).
    ours_full = Counter(_row(r.focus_node.n3(), r.shape, r.severity, r.component,
                             _path(r.result_path), _as_rdflib_parses(r.value_node))
                        for r in ours.results)
    theirs_full = Counter(_row(r["focus"], r["shape"], r["severity"], r["component"],
                               r["path"], r["value"]) for r in pyshacl_results)
    assert ours_full == theirs_full, (
        "results differ term for term\n  only validate: "
        + str(sorted((ours_full - theirs_full).elements())[:10])
        + "\n  only pyshacl: " + str(sorted((theirs_full - ours_full).elements())[:10]))

    # The comparison means something: a mix of Warnings and of the planted Violations.
    by_rule = {(shape.rsplit("#", 1)[-1], severity) for _focus, shape, severity in mine}
    for expected in [("single-origin", "Warning"), ("unsourced-claim", "Warning"),
                     ("unsourced-claim", "Violation"), ("high-confidence-sourcing", "Violation"),
                     ("corroborated-needs-two-origins", "Violation"),
                     ("claim-structure", "Violation"), ("source-structure", "Violation"),
                     ("anonymous-source", "Violation"), ("derivation-acyclic", "Violation"),
                     ("verdict-reason", "Violation"), ("dates", "Violation"),
                     ("evidence-structure", "Violation")]:
        assert expected in by_rule, f"no {expected} result: the data does not exercise it"
    flagged = {focus for focus, _shape, severity in mine if severity == "Violation"}
    for what, node in planted.items():
        assert node in flagged, f"planted {what} on {node} was not reported"
