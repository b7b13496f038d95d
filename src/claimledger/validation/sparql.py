"""SHACL-SPARQL constraints (``sh:sparql`` on node and property shapes, SHACL 5): read and
checked here, run on the store's engine by :class:`.plan.Job`.

pyshacl runs such a constraint through rdflib's SPARQL engine once per focus node, about 8 ms
each — 28 minutes for 200,000 nodes. Here a constraint whose query gives the same solutions
with ``$this`` free (:func:`~.sparqltext.free_this_equivalent`) is one query over the whole
store, its solutions kept for the shape's focus nodes; any other is run once per focus node
with the node written into the query (SHACL's pre-binding). On a property shape, ``$PATH`` is
replaced by the shape's path. Results are mapped as SHACL 5.3.2 says: ``sh:value`` from
``?value`` (else, on a node shape, the focus node), ``sh:resultPath`` from ``?path`` (else the
shape's path), ``sh:resultMessage`` from ``?message`` or the constraint's messages with their
``{?var}`` / ``{$var}`` filled in, and ``sh:sourceConstraint``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib import SH, Literal, URIRef

import claimledger.validation.sparqltext as sparqltext
from claimledger.errors import InputError
from claimledger.model import sparql
from claimledger.validation.definitions import Shape, ShapesGraph
from claimledger.validation.support import first_line


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint, ready to run."""

    node: rdflib.term.Node
    select: str
    messages: tuple[Literal, ...]
    deactivated: bool
    free: bool
    template: sparqltext.Template | None = None


#: The SPARQL texts a shapes graph can hold: the SHACL vocabulary's executables
#: (sh:SPARQLSelectExecutable, sh:SPARQLAskExecutable, sh:SPARQLConstructExecutable,
#: sh:SPARQLUpdateExecutable). Every one is checked before any engine sees it.
SPARQL_EXECUTABLES = (SH.select, SH.ask, SH.construct, SH.update)
def read_constraint(shapes: ShapesGraph, shape: Shape, node) -> SparqlConstraint:
    """The SPARQL-based constraint ``node`` of ``shape``.

    :raises InputError: if it has no single sh:select string, breaks SHACL's rules for
        pre-bound queries (MINUS, VALUES, SERVICE, ``AS ?this``, a subquery not returning
        ``$this``, ``$PATH`` outside a predicate), uses ``$shapesGraph`` / ``$currentShape``,
        does not project ``$this``, or does not parse.
    """
    g = shapes.graph
    where = f"shapes {shapes.name!r}: the SPARQL constraint of {shapes.rule_of(shape.node)}"
    selects = list(g.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise InputError(f"{where} needs sh:select (exactly one, a string)")
    if list(g.objects(node, SH.ask)) or list(g.objects(node, SH.construct)):
        raise InputError(f"{where}: a SPARQL-based constraint is a SELECT query")
    body = str(selects[0])
    problems = sparqltext.restrictions(body)
    if not sparqltext.projects(body, "this"):
        problems.append("it must project $this")
    if shape.path is not None:
        if sparqltext.uses(body, "PATH") and not sparqltext.path_positions_ok(body):
            problems.append("$PATH may only be the predicate of a triple pattern")
        body = sparqltext.substitute(body, {"PATH": shape.path.sparql()})
    if problems:
        raise InputError(f"{where}: " + "; ".join(sorted(set(problems))))
    prefixes = "".join(f"PREFIX {p}: {ox.NamedNode(ns)}\n"
                       for p, ns in sorted(shapes.prefixes(node).items()))
    select = prefixes + body
    probe = sparqltext.substitute(select, {"this": "<urn:x-claimledger:probe>"})
    for text in (select, probe):
        try:
            ox.Store().query(text)
        except SyntaxError as exc:
            raise InputError(f"{where} does not parse as SPARQL: {first_line(exc)}") from None
    messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
    return SparqlConstraint(
        node=node, select=select, messages=messages or shape.messages,
        deactivated=(node, SH.deactivated, Literal(True)) in g,
        free=sparqltext.free_this_equivalent(select),
        template=sparqltext.Template(select, {"this"}))


def check_components(shapes: ShapesGraph) -> None:
    """The queries of the SPARQL-based constraint components the shapes use (run by pyshacl)
    against SHACL's rules for pre-bound queries.

    :raises InputError: naming the component and what breaks the rules.
    """
    g = shapes.graph
    for comp in shapes.components:
        paths = [p for d in g.objects(comp, SH.parameter) for p in g.objects(d, SH.path)]
        for p in paths:
            if not isinstance(p, URIRef) or not _VARNAME.fullmatch(_local(p)):
                raise InputError(
                    f"shapes {shapes.name!r}: the constraint component {comp} has a parameter "
                    f"{p} whose name after its last '#' or '/' is not a SPARQL variable name: "
                    "it names the parameter's $variable in the component's queries (pyshacl, "
                    "which runs such components, reads it so; SHACL 6.2.1)")
        params = {_local(p) for p in paths}
        for kind in (SH.validator, SH.nodeValidator, SH.propertyValidator):
            for validator in g.objects(comp, kind):
                for q in (*g.objects(validator, SH.ask), *g.objects(validator, SH.select)):
                    problems = sparqltext.restrictions(
                        str(q), pre_bound=sparqltext.PRE_BOUND | {"value"} | params)
                    if problems:
                        raise InputError(f"shapes {shapes.name!r}: the constraint component "
                                         f"{comp}: " + "; ".join(problems))


def _prefix_block(graph: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    """The PREFIX lines of an executable's ``sh:prefixes``, each name and namespace checked
    (:func:`claimledger.model.sparql.prologue`), never pasted raw.

    :raises InputError: for a bad name or namespace, or a name declared twice differently.
    """
    declared: dict[str, str] = {}
    for ontology in graph.objects(constraint, SH.prefixes):
        for decl in graph.objects(ontology, SH.declare):
            prefix = graph.value(decl, SH.prefix)
            ns = graph.value(decl, SH.namespace)
            if prefix is None or ns is None:
                continue
            if declared.get(str(prefix), str(ns)) != str(ns):
                raise InputError(f"the prefix {str(prefix)!r} is declared twice, as "
                                 f"<{declared[str(prefix)]}> and <{ns}>")
            declared[str(prefix)] = str(ns)
    return sparql.prologue(declared, argument="sh:declare")


#: A SPARQL VARNAME: letters, digits and ``_``, then also the combining marks and joiners the
#: grammar allows after the first character.
_VARNAME = re.compile(r"\w[\w\u00B7\u0300-\u036F\u203F\u2040]*")


def _local(node) -> str:
    """The local name of an IRI as pyshacl reads a parameter's: after the first ``#``, else
    after the last ``/`` (the whole IRI when it has neither)."""
    text = str(node)
    if text.find("#") > 0:
        return text[text.find("#") + 1:]
    return text.rsplit("/", 1)[-1] if text.rfind("/") > 0 else text
