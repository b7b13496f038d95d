"""Shape sets: the sourcing rules and a ledger's own policies (or anybody's shapes), parsed,
checked and split between the engines that run them.

Who does what (the README's "Validation" section says what each costs):

* **SHACL Core** is compiled to SPARQL (:mod:`.compiled`) and run by the store's engine: over
  the whole ledger for ``validate``, over an in-memory copy of a write's closure on writes.
* **SHACL-SPARQL constraints** (``sh:sparql`` on node and property shapes) run on the same
  engine (:mod:`.sparql`).
* **pyshacl** (:mod:`.fallback`) checks the targeted shapes the compiler cannot translate
  exactly (it says which and why: :attr:`Compiler.unsupported`), and whole validations of data
  holding literals the store would rewrite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import quote

import rdflib
from rdflib import RDF, SH, BNode, Literal, URIRef

from claimledger import resources
from claimledger.errors import InputError
from claimledger.store.memory import MemoryStore
from claimledger.validation.compiled import Compiler
from claimledger.validation.definitions import TARGETS, ShapesGraph
from claimledger.validation.fallback import Pyshacl
from claimledger.validation.plan import Job, Plan
from claimledger.validation.results import ValidationReport, ValidationResult, message_of, ox_of
from claimledger.model import sparql
from claimledger.validation.sparql import (
    SPARQL_EXECUTABLES,
    SparqlConstraint,
    _prefix_block,
    check_components,
    read_constraint,
)
from claimledger.validation.support import (
    first_line,
    kept,
    ox_term,
    ox_triples,
    parse_turtle,
    rdf_term,
    rdflib_of,
    rewritten,
)

SHAPES_NS = "https://w3id.org/claimledger/shapes#"
Source = tuple[str, "str | rdflib.Graph"]


class ShapeSet:
    """A set of shapes graphs (built-in rules plus policies, or any shapes), checked and split
    between the engines.

    :param sources: ``(name, turtle_text)`` or ``(name, rdflib.Graph)`` pairs; a graph is used
        as it is (a data graph that is its own shapes graph shares its blank nodes).
    :param builtin: how many of the first sources are claimledger's own rules; only they may
        define shapes in the rules' namespace.
    :raises InputError: if a shapes text does not parse, is not SHACL, or is ill-formed.
    """

    def __init__(self, sources: Sequence[Source], *, builtin: int = 0) -> None:
        self.names = [name for name, _ in sources]
        if len(sources) == 1 and isinstance(sources[0][1], rdflib.Graph):
            graph = sources[0][1]
            check_graph(graph, name=sources[0][0], builtin=builtin > 0)
        else:
            graph = rdflib.Graph()
            for i, (name, text) in enumerate(sources):
                if i < builtin:  # claimledger's own rules: checked with the union below
                    part = _parse(text, name)
                elif isinstance(text, rdflib.Graph):
                    part = check_graph(text, name=name)
                else:
                    part = parse_shapes(text, name=name)
                graph += part
        self.graph = graph
        self.definitions = ShapesGraph(graph, name=", ".join(self.names) or "shapes")
        self.sparql: dict = {}
        for shape in self.definitions.shapes.values():
            for node in shape.sparql:
                self.sparql[node] = read_constraint(self.definitions, shape, node)
        check_components(self.definitions)
        self.pyshacl = Pyshacl(self.definitions)

    @classmethod
    def builtin(cls, policies: Sequence[tuple[str, str]] = ()) -> ShapeSet:
        """The built-in sourcing rules plus ``policies`` (``(name, turtle)`` pairs).

        Shape sets are immutable once built, so the same texts give the same (cached) set:
        a process that opens ledgers again and again parses the rules once.
        """
        return _builtin(tuple((str(n), str(t)) for n, t in policies))

    @cached_property
    def compiled(self) -> Compiler:
        """The core constraints compiled to SPARQL (see :mod:`claimledger.validation.compiled`)."""
        return Compiler(self.definitions, kept)

    @property
    def has_core(self) -> bool:
        return bool(self.definitions.targeted)

    def rule_of(self, shape: str) -> str:
        """The rule id (the named shape's local name) for a shape or one of its property shapes."""
        node = URIRef(shape)
        return self.definitions.rule_of(node) if node in self.definitions.shapes else shape.rsplit("#", 1)[-1]

    # -- validation ----------------------------------------------------------------------
    def validate(self, data: rdflib.Graph | None, *, focus: Iterable | None = None,
                 sparql_store=None) -> ValidationReport:
        """Validate ``data``: all of it, or the results of the ``focus`` nodes only (the write
        path validates the closure of the nodes a write touches).

        :param data: the data graph; may be None when ``sparql_store`` is given.
        :param focus: focus nodes (IRIs as text, or rdflib terms); None for every one.
        :param sparql_store: the same data in a store (a write's closure); loaded from
            ``data`` when omitted.
        """
        wanted = None if focus is None else {ox_term(_node(f)) for f in focus}
        if wanted is not None and not wanted:
            return ValidationReport()
        back: dict = {}
        if sparql_store is None:
            if rewritten(o for o in data.objects() if isinstance(o, Literal)):
                return _report(r for r in self.pyshacl.run(data) if _keep(r, wanted))
            sparql_store = MemoryStore(ox_triples(data))
            back = {ox_term(o): o for o in data.objects()
                    if isinstance(o, Literal) and o.language and o.language != o.language.lower()}
        results = self._run(sparql_store, wanted, data, back=back)
        return _report(results)

    @cached_property
    def plan(self) -> Plan:
        """What the store's engine runs for these shapes, as plain data (:mod:`.plan`)."""
        defs = self.definitions
        compiled = self.compiled
        checks = tuple(compiled.checks)
        jobs = []
        for j in compiled.jobs:
            sc = self.sparql[j.constraint]
            named = j.shape.node if isinstance(j.shape.node, URIRef) else defs.owner(j.shape.node)
            jobs.append(Job(
                ox_term(j.top.node), j.focus, j.keys, defs.rule_of(j.shape.node, j.top.node),
                str(named if named is not None else j.top.node), ox_term(j.shape.severity),
                ox_term(j.shape.node), j.shape.path, ox_term(sc.node), sc.select, sc.free,
                sc.deactivated, tuple(message_of(m) for m in sc.messages), sc.template))
        targets = tuple((ox_term(shape.node), tuple((kind, ox_term(t)) for kind, t in shape.targets))
                        for shape in defs.targeted)
        return Plan(checks, tuple(jobs), targets,
                    frozenset(ox_term(n) for n in compiled.unsupported), self.pyshacl.advanced)

    def _run(self, store, wanted: set | None, data: rdflib.Graph | None, *, back: dict,
             workers: int = 1, progress: Callable[[], None] | None = None) -> list[ValidationResult]:
        plan = self.plan
        if plan.advanced:  # every result from pyshacl's advanced mode
            if data is None:
                data = rdflib_of(store)
            results = [r for r in self.pyshacl.run(data) if _keep(r, wanted)]
            return [_back(r, back) for r in results] if back else results
        tops = None if wanted is None else plan.reachable(store, wanted)
        results, needs = plan.run(store, wanted, tops=tops, workers=workers, progress=progress)
        fallback = plan.fallback | needs
        if fallback:
            results = [r for r in results if r.top not in fallback]
            if data is None:
                data = rdflib_of(store)
            results.extend(r for r in self.pyshacl.run(data, {rdf_term(t) for t in fallback})
                           if _keep(r, wanted))
        return [_back(r, back) for r in results] if back else results


def _node(f) -> rdflib.term.Node:
    if isinstance(f, rdflib.term.Node):
        return f
    text = str(f)
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def _keep(result: ValidationResult, wanted: set | None) -> bool:
    return wanted is None or ox_of(result.node) in wanted


def _back(result: ValidationResult, back: dict) -> ValidationResult:
    """The result with the data graph's own literals (their language tags' case) put back."""
    changes = {}
    for name in ("focus_node", "value_node"):
        term = getattr(result, name)
        if isinstance(term, Literal) and term.language:
            original = back.get(ox_term(term))
            if original is not None:
                changes[name] = original
    return result.replace(**changes) if changes else result


def _report(results: Iterable[ValidationResult]) -> ValidationReport:
    return ValidationReport(sorted(results, key=ValidationResult.sort_key))


@lru_cache(maxsize=8)
def _builtin(policies: tuple[tuple[str, str], ...]) -> ShapeSet:
    return ShapeSet([resources.builtin_rules(), *policies], builtin=1)


def read_shapes_file(path: str | os.PathLike[str], *, argument: str = "--shapes"
                     ) -> tuple[str, str]:
    """``(name, turtle_text)`` of a shapes file given by a user, for :meth:`ShapeSet.builtin`.

    :raises InputError: if it cannot be read as UTF-8 text.
    """
    try:
        return Path(path).name, Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc}", argument=argument) from None


def parse_shapes(text: str, *, name: str, builtin: bool = False) -> rdflib.Graph:
    """Parse a Turtle shapes file and check that it holds well-formed SHACL shapes.

    :param builtin: the text is claimledger's own rules (``shapes/sourcing.ttl``).
    :raises InputError: if it does not parse, declares no shape, says anything about the
        built-in rules (their namespace is claimledger's: shapes merged into one graph could
        otherwise switch a rule off with ``sh:deactivated``, or change it), is ill-formed
        (SHACL's syntax rules), or uses SHACL-SPARQL in a way SHACL or claimledger does not
        allow (a query that does not project ``$this``, uses SERVICE, MINUS or VALUES…).
    """
    return check_graph(_parse(text, name), name=name, builtin=builtin)


def _parse(text: str, name: str) -> rdflib.Graph:
    try:
        return parse_turtle(text, base="file:///" + quote(name))
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"shapes {name!r} do not parse as Turtle: {first_line(exc)}") from None


def check_graph(graph: rdflib.Graph, *, name: str, builtin: bool = False) -> rdflib.Graph:
    """``graph`` once checked as :func:`parse_shapes` checks a text (the same errors)."""
    if not _shape_nodes(graph):
        raise InputError(f"shapes {name!r} declare no SHACL shape (no sh:NodeShape, "
                         "sh:PropertyShape or target): not SHACL")
    if not builtin:
        reserved = sorted({_local(str(s)) or str(s) for s in graph.subjects()
                           if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)})
        if reserved:
            raise InputError(
                f"shapes {name!r} say something about {', '.join(reserved)} in the namespace of "
                f"claimledger's own rules <{SHAPES_NS}>: a policy adds rules of its own, it "
                "cannot change or switch off the built-in ones (use a namespace of your own)")
    _check_sparql(graph, name)
    definitions = ShapesGraph(graph, name=name)
    for shape in definitions.shapes.values():
        for node in shape.sparql:
            read_constraint(definitions, shape, node)
    check_components(definitions)
    return graph


def _check_sparql(graph: rdflib.Graph, name: str) -> None:
    """Check every SPARQL text of a shapes graph (:data:`SPARQL_EXECUTABLES`) with its
    declared prefixes, as claimledger checks a user's query (no update, no SERVICE,
    :func:`claimledger.model.sparql.check_query`), and replace it by the text that will run
    (comments blanked out) — for every engine: Oxigraph here, pyshacl for the rest.

    :raises InputError: naming the shapes, the executable and what is wrong.
    """
    for prop in SPARQL_EXECUTABLES:
        for node, value in list(graph.subject_objects(prop)):
            where = f"shapes {name!r}: the SPARQL ({_local(str(prop))}) of {short_node(graph, node)}"
            if prop == SH.update or not isinstance(value, rdflib.Literal):
                raise InputError(f"{where} is not a query claimledger can run (an update, or "
                                 "not text)")
            try:
                checked = sparql.check_query(_prefix_block(graph, node) + str(value))
            except InputError as exc:
                raise InputError(f"{where}: {exc.message}") from None
            prologue_length = len(checked.text) - len(str(value))
            graph.remove((node, prop, value))
            graph.add((node, prop, rdflib.Literal(checked.text[prologue_length:],
                                                  datatype=value.datatype, lang=value.language)))


def short_node(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A shape or constraint as a person would name it: its IRI's local name, or for a blank
    node, the named shape it belongs to."""
    if isinstance(node, URIRef):
        return _local(str(node))
    for parent in graph.transitive_subjects(None, node):
        if isinstance(parent, URIRef):
            return _local(str(parent))
    return "a constraint"


def _shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """The shapes of a shapes graph: typed as shapes, or declaring targets (SHACL 2.1)."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape))
    for p in TARGETS:
        shapes.update(graph.subjects(p, None))
    return shapes


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


__all__ = ["SHAPES_NS", "ShapeSet", "SparqlConstraint", "parse_shapes", "read_shapes_file"]
