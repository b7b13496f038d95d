"""SHACL-SPARQL constraints (``sh:sparql`` on node shapes), run on Oxigraph.

pyshacl runs such a constraint through rdflib's SPARQL engine once per focus node, about 8 ms
each — 28 minutes for 200,000 nodes. Here each constraint is one query: over the whole ledger
for ``validate`` (``$this`` left free, the solutions matched to the shape's targets), or once
per focus node over an in-memory copy of a write's closure (``$this`` bound). Constraints
must project ``$this``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib import RDF as R_RDF
from rdflib import SH as R_SH
from rdflib import Literal as RLiteral

from claimledger.errors import InputError
from claimledger.model import sparql
from claimledger.validation.results import ValidationResult
from claimledger.validation.support import each, local, ox_node, short, term_text


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint of a node shape, ready to run on Oxigraph."""

    shape: str
    rule: str
    severity: str
    select: str
    message: str
    targets: tuple[tuple[str, str], ...]


#: The SPARQL texts a shapes graph can hold: the SHACL vocabulary's executables
#: (sh:SPARQLSelectExecutable, sh:SPARQLAskExecutable, sh:SPARQLConstructExecutable,
#: sh:SPARQLUpdateExecutable). Every one is checked before any engine sees it.
SPARQL_EXECUTABLES = (R_SH.select, R_SH.ask, R_SH.construct, R_SH.update)


def _sparql_constraints(graph: rdflib.Graph) -> list[SparqlConstraint]:
    out = []
    for shape, constraint in graph.subject_objects(R_SH.sparql):
        if (shape, R_SH.deactivated, RLiteral(True)) in graph:
            continue
        if (constraint, R_SH.deactivated, RLiteral(True)) in graph:
            continue
        if (shape, R_SH.path, None) in graph or (shape, R_RDF.type, R_SH.PropertyShape) in graph:
            raise InputError(f"{local(str(shape))}: sh:sparql is supported on node shapes only")
        select = graph.value(constraint, R_SH.select)
        if select is None:
            raise InputError(f"{local(str(shape))}: a sh:sparql constraint needs sh:select")
        prefixes = _prefix_block(graph, constraint)
        severity = graph.value(shape, R_SH.severity) or R_SH.Violation
        message = graph.value(constraint, R_SH.message) or graph.value(shape, R_SH.message)
        targets = []
        for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            for value in graph.objects(shape, R_SH[kind]):
                targets.append((kind, str(value)))
        if (shape, R_RDF.type, rdflib.RDFS.Class) in graph:
            targets.append(("targetClass", str(shape)))
        out.append(SparqlConstraint(
            shape=str(shape), rule=local(str(shape)), severity=local(str(severity)),
            select=prefixes + str(select), message=str(message) if message else "SPARQL constraint",
            targets=tuple(targets),
        ))
    return out


def _prefix_block(graph: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    """The PREFIX lines of an executable's ``sh:prefixes``, each name and namespace checked
    (:func:`claimledger.model.sparql.prologue`), never pasted raw.

    :raises InputError: for a bad name or namespace, or a name declared twice differently.
    """
    declared: dict[str, str] = {}
    for ontology in graph.objects(constraint, R_SH.prefixes):
        for decl in graph.objects(ontology, R_SH.declare):
            prefix = graph.value(decl, R_SH.prefix)
            ns = graph.value(decl, R_SH.namespace)
            if prefix is None or ns is None:
                continue
            if declared.get(str(prefix), str(ns)) != str(ns):
                raise InputError(f"the prefix {str(prefix)!r} is declared twice, as "
                                 f"<{declared[str(prefix)]}> and <{ns}>")
            declared[str(prefix)] = str(ns)
    return sparql.prologue(declared, argument="sh:declare")


def _targets(store, targets: Sequence[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for kind, value in targets:
        term = ox.NamedNode(value)
        if kind == "targetNode":
            found.add(value)
            continue
        if kind == "targetClass":
            # ?c is projected because Oxigraph substitutes projected variables only.
            rows = store.query(
                "SELECT ?n ?c WHERE { ?n a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }",
                {"c": term})
            found.update(term_text(r["n"]) for r in rows)
        elif kind == "targetSubjectsOf":
            found.update(term_text(t.subject) for t in store.triples(None, term, None))
        elif kind == "targetObjectsOf":
            found.update(term_text(t.object) for t in store.triples(None, term, None))
    return found


def _fill(template: str, row: ox.QuerySolution) -> str:
    def sub(m: re.Match[str]) -> str:
        value = _opt(row, m.group(1))
        return short(value) if value is not None else m.group(0)
    return re.sub(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}", sub, template)


def _opt(row: ox.QuerySolution, name: str) -> str | None:
    try:
        value = row[name]
    except (KeyError, IndexError):
        return None
    return term_text(value) if value is not None else None


class SparqlRunner:
    """The SHACL-SPARQL part of a :class:`~claimledger.validation.shapes.ShapeSet`
    (its :attr:`sparql` constraints)."""

    sparql: list[SparqlConstraint]

    def run_sparql(self, store, focus: list[str] | None, *,
                   workers: int = 1) -> list[ValidationResult]:
        """Run every SPARQL constraint on ``store``, for ``focus`` or for all targets
        (``workers`` as for :meth:`run_compiled`)."""

        def evaluate(c: SparqlConstraint) -> list[ox.QuerySolution]:
            targets = _targets(store, c.targets)
            if focus is not None:
                targets &= set(focus)
                rows: list[ox.QuerySolution] = []
                for node in sorted(targets):
                    rows.extend(store.query(c.select, {"this": ox_node(node)}))
                return rows
            return [row for row in store.query(c.select) if term_text(row["this"]) in targets]

        results: list[ValidationResult] = []
        for c, rows in zip(self.sparql, each(evaluate, self.sparql, workers)):
            for row in rows:
                this = term_text(row["this"])
                value = _opt(row, "value")
                path = _opt(row, "path")
                message = _opt(row, "message") or _fill(c.message, row)
                results.append(ValidationResult(
                    focus=this, severity=c.severity, rule=c.rule, shape=c.shape,
                    message=message, component="SPARQLConstraintComponent",
                    path=path, value=value if value is not None else this,
                ))
        return results
