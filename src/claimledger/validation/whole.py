"""Validating a whole ledger: every compiled check and SHACL-SPARQL constraint as one query
over the store, run on every core; pyshacl, for what the compiler leaves to it, in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from claimledger import resources
from claimledger.validation.results import ValidationReport, ValidationResult
from claimledger.validation.shapes import ShapeSet, _dedupe
from claimledger.validation.support import WORKERS, term_text

Progress = Callable[[int, int], None]


# -- the whole ledger -------------------------------------------------------------------------

#: Claims per batch in a whole-ledger validation: big enough to amortise pyshacl's start-up,
#: small enough to keep memory flat however large the ledger.
CHUNK = 2000

_CL = "https://w3id.org/claimledger#"
_OA = "http://www.w3.org/ns/oa#"

#: The nodes ?r reaches by any path, with their triples.
_REACHABLE = """
CONSTRUCT { ?n ?p ?o }
WHERE {
  { SELECT DISTINCT ?n WHERE { #VALUES# ?r (<urn:x-claimledger:none>|!<urn:x-claimledger:none>)* ?n } }
  ?n ?p ?o .
}
"""





def validate_store(store, shapes: ShapeSet, *, chunk: int = CHUNK,
                   progress: Progress | None = None) -> ValidationReport:
    """Validate every node of the ledger in ``store`` against ``shapes``.

    Every compiled core constraint is one SPARQL query over the whole store, and every
    SHACL-SPARQL constraint too; they run :data:`WORKERS` at a time. Only shapes the compiler
    cannot translate go to pyshacl: claims are then checked in batches, each with its closure
    (see ``closure-claims.rq``), then sources with theirs, then every other node, each result
    kept once, from the batch that owns its focus node.

    :param progress: called with ``(done, total)`` steps as they finish.
    """
    results: list[ValidationResult] = []
    batches = _pyshacl_batches(store, chunk) if shapes.compiled.unsupported else None
    total = len(shapes.compiled.checks) + (len(batches) + 1 if batches is not None else 0) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    results.extend(shapes.run_compiled(store, None, progress=step, workers=WORKERS))
    if batches is not None:
        results.extend(_validate_with_pyshacl(store, shapes, batches, step))
    if shapes.sparql:
        results.extend(shapes.run_sparql(store, None, workers=WORKERS))
    step()
    return ValidationReport(_dedupe(results))


def _pyshacl_batches(store, chunk: int) -> list[tuple[str, list]]:
    claims = [r["c"] for r in store.query(f"SELECT ?c WHERE {{ ?c a <{_CL}Claim> }} ORDER BY ?c")]
    sources = [r["s"] for r in store.query(f"SELECT ?s WHERE {{ ?s a <{_CL}Source> }} ORDER BY ?s")]
    return ([("claim", claims[i:i + chunk]) for i in range(0, len(claims), chunk)]
            + [("source", sources[i:i + chunk * 4]) for i in range(0, len(sources), chunk * 4)])


def _validate_with_pyshacl(store, shapes: ShapeSet, batches, step) -> list[ValidationResult]:
    """pyshacl over closures, batch by batch, for the shapes the compiler left to it."""
    results: list[ValidationResult] = []
    owned: set[str] = set()
    for kind, batch in batches:
        if kind == "claim":
            graph = _construct(store, resources.query("closure-claims"), "claim", batch)
            mine = _claim_owned(graph, batch)
        else:
            graph = _construct(store, resources.query("closure-sources"), "source", batch)
            mine = {s.value for s in batch}
            mine |= {str(d) for d in graph.objects(None, URIRef(_CL + "discredited"))}
        owned |= mine
        results.extend(r for r in shapes._core(graph, None) if r.focus in mine)
        step()
    rest = [r["s"] for r in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
            if term_text(r["s"]) not in owned]
    if rest:
        # Every other node (agents, policies, and whatever a claim or source does not reach)
        # is checked with all it links to, so that sh:class and paths see their targets.
        named = [s for s in rest if isinstance(s, ox.NamedNode)]
        graph = _construct(store, _REACHABLE, "r", named) if named else rdflib.Graph()
        text = "".join(f"{t} .\n" for s in rest if not isinstance(s, ox.NamedNode)
                       for t in store.triples(s, None, None))
        if text:
            graph.parse(data=text, format="nt")
        mine = {term_text(s) for s in rest}
        results.extend(r for r in shapes._core(graph, None) if r.focus in mine)
    step()
    return results




def _construct(store, query: str, var: str, nodes: Sequence) -> rdflib.Graph:
    values = f"VALUES ?{var} {{ {' '.join(str(n) for n in nodes)} }}"
    triples = store.query(query.replace("#VALUES#", values))
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


def _claim_owned(graph: rdflib.Graph, claims: Sequence) -> set[str]:
    """The nodes a batch of claims owns: the claims, their evidence, quotes, verdicts and
    the retractions of their evidence."""
    mine = {c.value for c in claims}
    claim_link = URIRef(_CL + "claim")
    for ev, claim in graph.subject_objects(claim_link):
        if str(claim) in mine:
            mine.add(str(ev))
    for ev in [URIRef(n) for n in list(mine)]:
        for p in (URIRef(_OA + "hasSelector"), URIRef(_CL + "retraction"), URIRef(_CL + "verdict")):
            mine.update(str(o) for o in graph.objects(ev, p))
    return mine
