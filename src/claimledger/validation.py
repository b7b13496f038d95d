"""SHACL validation: the sourcing rules, a ledger's own policies, and typed results.

Shapes come from ``shapes/sourcing.ttl`` (the built-in sourcing rules) and from the policies a
ledger stores. Each rule is one named shape; its local name is the rule id.

Who does what:

* **Core constraints** (cardinalities, values, paths, ``sh:or``…) are checked by pyshacl, on an
  in-memory rdflib graph holding only what the checked nodes need (their *closure*: a claim,
  its evidence, quotes, verdicts, the sources the evidence reaches and their derivation chains).
  pyshacl is linear, but every shape nested in ``sh:or`` / ``sh:not`` / a qualified count is
  evaluated in full, with a result built for each nested failure: a few milliseconds per claim
  with its evidence. The shapes graph is harvested once per shape set and reused; on a write
  only the focus nodes are validated (against the whole closure, see :meth:`ShapeSet._core`).
* **SHACL-SPARQL constraints** (``sh:sparql``) are run by Oxigraph: over the whole ledger once
  per constraint for ``validate``, and over an in-memory Oxigraph copy of the closure on each
  write. pyshacl runs such a constraint through rdflib's SPARQL engine once per focus node,
  about 8 ms each — 28 minutes for 200,000 nodes. ``$this`` is bound by SPARQL pre-binding
  (Oxigraph substitutions) on writes; on a whole-ledger run it is left free and the solutions
  are matched to the shape's targets. Constraints must project ``$this``.

Results are :class:`ValidationResult` objects gathered in a :class:`ValidationReport`; the
report renders itself as the W3C ``sh:ValidationReport`` graph, and :mod:`claimledger.render`
turns it into text or JSON.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pyoxigraph as ox
import rdflib
from rdflib import RDF as R_RDF
from rdflib import SH as R_SH
from rdflib import BNode, URIRef
from rdflib import Literal as RLiteral

from claimledger import resources
from claimledger.errors import InputError
from claimledger.store import MemoryStore

SEVERITIES = ("Info", "Warning", "Violation")
_TARGETS = (R_SH.targetClass, R_SH.targetNode, R_SH.targetSubjectsOf, R_SH.targetObjectsOf)
SHAPES_NS = "https://w3id.org/claimledger/shapes#"


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node broke which rule, how badly, and what the rule says."""

    focus: str
    severity: str
    rule: str
    shape: str
    message: str
    component: str
    path: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """One line for a person: ``[Violation] rule-id: message (focus)``."""
        where = _short(self.focus)
        extra = f" — value: {_short(self.value)}" if self.value and self.value != self.focus else ""
        return f"[{self.severity}] {self.rule}: {self.message} ({where}){extra}"

    def key(self) -> tuple[str, str, str]:
        """What identifies a result across validators: focus node, shape, severity."""
        return (self.focus, self.shape, self.severity)


@dataclass
class ValidationReport:
    """The results of one validation run."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """True when there is no Violation (Warnings and Infos do not refuse a write)."""
        return not self.violations

    def at_least(self, severity: str) -> ValidationReport:
        """A report of the results of ``severity`` or worse."""
        floor = SEVERITIES.index(severity)
        return ValidationReport([r for r in self.results if SEVERITIES.index(r.severity) >= floor])

    def sorted(self) -> ValidationReport:
        order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
        return ValidationReport(sorted(self.results, key=lambda r: (r.focus, order[r.severity],
                                                                     r.rule, r.value or "")))

    def to_graph(self) -> rdflib.Graph:
        """The report as a W3C SHACL ``sh:ValidationReport`` graph."""
        g = rdflib.Graph()
        g.bind("sh", R_SH)
        report = BNode()
        g.add((report, R_RDF.type, R_SH.ValidationReport))
        g.add((report, R_SH.conforms, RLiteral(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, R_SH.result, node))
            g.add((node, R_RDF.type, R_SH.ValidationResult))
            g.add((node, R_SH.focusNode, _rdflib_node(r.focus)))
            g.add((node, R_SH.resultSeverity, R_SH[r.severity]))
            g.add((node, R_SH.sourceShape, _rdflib_node(r.shape)))
            g.add((node, R_SH.sourceConstraintComponent, URIRef(str(R_SH) + r.component)))
            g.add((node, R_SH.resultMessage, RLiteral(r.message)))
            if r.path:
                g.add((node, R_SH.resultPath, _rdflib_node(r.path)))
            if r.value:
                g.add((node, R_SH.value, _rdflib_node(r.value)))
        return g


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint of a node shape, ready to run on Oxigraph."""

    shape: str
    rule: str
    severity: str
    select: str
    message: str
    targets: tuple[tuple[str, str], ...]


class ShapeSet:
    """A set of shapes graphs (built-in rules plus policies), split for the two engines.

    :param sources: ``(name, turtle_text)`` pairs.
    :param builtin: how many of the first sources are claimledger's own rules; only they may
        define shapes in the rules' namespace.
    :raises InputError: if a shapes text does not parse or is not SHACL.
    """

    def __init__(self, sources: Sequence[tuple[str, str]], *, builtin: int = 0) -> None:
        self.names = [name for name, _ in sources]
        graph = rdflib.Graph()
        for i, (name, text) in enumerate(sources):
            graph += parse_shapes(text, name=name, builtin=i < builtin)
        self.graph = graph
        self.sparql = _sparql_constraints(graph)
        core = rdflib.Graph()
        for prefix, ns in graph.namespaces():
            core.bind(prefix, ns)
        for triple in graph:
            if triple[1] != R_SH.sparql:
                core.add(triple)
        self.core = core
        self._rules = _rule_names(graph)

    @classmethod
    def builtin(cls, policies: Sequence[tuple[str, str]] = ()) -> ShapeSet:
        """The built-in sourcing rules plus ``policies`` (``(name, turtle)`` pairs).

        Shape sets are immutable once built, so the same texts give the same (cached) set:
        a process that opens ledgers again and again parses the rules once.
        """
        return _builtin(tuple((str(n), str(t)) for n, t in policies))

    @cached_property
    def has_core(self) -> bool:
        return any(True for _ in self.core.triples((None, R_RDF.type, R_SH.NodeShape)))

    def rule_of(self, shape: str) -> str:
        """The rule id (the named shape's local name) for a shape or one of its property shapes."""
        return self._rules.get(shape, _local(shape))

    # -- validation ----------------------------------------------------------------------
    def validate(self, data: rdflib.Graph | None, *, focus: Iterable[str] | None = None,
                 sparql_store=None) -> ValidationReport:
        """Validate ``data`` (the closure of ``focus``, or a whole graph when ``focus`` is None).

        Core constraints run compiled to SPARQL on Oxigraph (:mod:`claimledger.shacl_sparql`);
        pyshacl checks only the shapes the compiler cannot translate; SHACL-SPARQL constraints
        run on Oxigraph.

        :param data: the data as an rdflib graph; may be None when ``sparql_store`` is given
            and every shape compiles (it is then never needed).
        :param sparql_store: the same data in an Oxigraph store; built from ``data`` when
            omitted.
        """
        focus_list = sorted(set(focus)) if focus is not None else None
        results: list[ValidationResult] = []
        if focus_list != []:
            store = sparql_store if sparql_store is not None else MemoryStore.from_graph(data)
            results.extend(self.run_compiled(store, focus_list))
            if self.compiled.unsupported:
                if data is None:
                    data = _rdflib_of(store)
                results.extend(self._core(data, focus_list))
            if self.sparql:
                results.extend(self.run_sparql(store, focus_list))
        return ValidationReport(_dedupe(results))

    @cached_property
    def compiled(self):
        """The core constraints compiled to SPARQL (see :mod:`claimledger.shacl_sparql`)."""
        from claimledger.shacl_sparql import Compiler

        return Compiler(self.core)

    def run_compiled(self, store, focus: list[str] | None,
                     progress: Callable[[], None] | None = None, *,
                     workers: int = 1) -> list[ValidationResult]:
        """Run the compiled core constraints on ``store``: results for ``focus`` or for all.

        :param workers: queries run at once (Oxigraph evaluates a query without holding the
            GIL, so a whole-ledger run uses every core; results come in the same order).
        """
        wanted = set(focus) if focus is not None else None
        results = []
        checks = self.compiled.checks
        for check, rows in zip(checks, _each(lambda c: list(store.query(c.query)), checks, workers)):
            for row in rows:
                this = _term_text(row["this"])
                if wanted is not None and this not in wanted:
                    continue
                value = _term_text(row["value"]) if check.has_value else this
                results.append(ValidationResult(
                    focus=this, severity=check.severity, rule=self.rule_of(check.shape),
                    shape=check.shape, message=check.message or check.component,
                    component=check.component, path=check.path, value=value))
            if progress is not None:
                progress()
        return results

    def _core(self, data: rdflib.Graph, focus: list[str] | None) -> list[ValidationResult]:
        """Core constraints by pyshacl: every target in ``data``, or only the ``focus`` nodes.

        With ``focus``, each top-level shape validates those of its targets that are focus
        nodes, against the whole of ``data``; nested shapes (``sh:not``, ``sh:or``,
        ``sh:qualifiedValueShape``…) see every node. pyshacl's own ``focus_nodes`` option is
        not used: in pyshacl 0.40 it also filters the value nodes of nested shapes and then
        reports false results (see ``tests/test_shapes.py``).
        """
        if not self.has_core:
            return []
        engine = self._pyshacl
        if engine is None:  # shapes that need SHACL-AF, or a pyshacl without these internals
            return self._core_public(data, focus)
        shapes_graph, targeted, executor_class, report_of = engine
        unsupported = set(self.compiled.unsupported)
        targeted = [t for t in targeted if str(t.node) in unsupported]
        executor = executor_class(advanced_mode=False, abort_on_first=False, allow_infos=True,
                                  allow_warnings=True, iterate_rules=False, sparql_mode=False,
                                  focus_nodes=None, debug=False)
        wanted = {_rdflib_node(n) for n in focus} if focus is not None else None
        reports = []
        for shape in targeted:
            if wanted is None:
                _conforms, found = shape.validate(executor, data)
            else:
                targets = [n for n in shape.focus_nodes(data) if n in wanted]
                if not targets:
                    continue
                _conforms, found = shape.validate(executor, data, focus=targets)
            reports.extend(found)
        if not reports:
            return []
        graph, _text = report_of(shapes_graph, False, reports)
        return list(self._read_results(graph))

    @cached_property
    def _pyshacl(self):
        """pyshacl's shapes graph for :attr:`core`, harvested once and reused for every run.

        None when the fast path cannot be used: the shapes use SHACL Advanced Features
        (rules, custom targets, node expressions, functions), or pyshacl lacks the internals.
        """
        advanced = (R_SH.rule, R_SH.target, R_SH.expression, R_SH.order)
        if any(True for p in advanced for _ in self.core.triples((None, p, None))):
            return None
        try:
            import logging

            from pyshacl.pytypes import SHACLExecutor
            from pyshacl.shapes_graph import ShapesGraph
            from pyshacl.validator import Validator

            shapes_graph = ShapesGraph(self.core, False, logging.getLogger("pyshacl"))
            # Only shapes with targets start a validation; the others are reached from them.
            targeted = [s for s in shapes_graph.shapes
                        if any(True for p in _TARGETS for _ in self.core.triples((s.node, p, None)))
                        or (s.node, R_RDF.type, rdflib.RDFS.Class) in self.core]
            return shapes_graph, targeted, SHACLExecutor, Validator.create_validation_report
        except (ImportError, AttributeError, TypeError):  # pragma: no cover - other pyshacl
            return None

    def _core_public(self, data: rdflib.Graph, focus: list[str] | None) -> list[ValidationResult]:
        """The same through ``pyshacl.validate``: the whole of ``data``, results kept for focus
        and for the shapes the compiler left to pyshacl."""
        import pyshacl  # deferred: pyshacl is slow to import and only writes and validate need it

        _conforms, graph, _text = pyshacl.validate(
            data, shacl_graph=self.core, inference="none", advanced=True, inplace=True,
            allow_warnings=True, allow_infos=True,
        )
        unsupported = set(self.compiled.unsupported)
        wanted = set(focus) if focus is not None else None
        return [r for r in self._read_results(graph) if r.shape in unsupported
                and (wanted is None or r.focus in wanted)]

    def _read_results(self, graph: rdflib.Graph) -> Iterable[ValidationResult]:
        # Only the report's own results: pyshacl also puts the results of nested shapes
        # (sh:node) in the graph, as sh:detail of the result that reports them.
        for report in graph.subjects(R_RDF.type, R_SH.ValidationReport):
            for node in graph.objects(report, R_SH.result):
                yield self._result(graph, node)

    def _result(self, graph: rdflib.Graph, node: rdflib.term.Node) -> ValidationResult:
        focus = graph.value(node, R_SH.focusNode)
        severity = graph.value(node, R_SH.resultSeverity)
        shape = graph.value(node, R_SH.sourceShape)
        component = graph.value(node, R_SH.sourceConstraintComponent)
        message = graph.value(node, R_SH.resultMessage)
        path = graph.value(node, R_SH.resultPath)
        value = graph.value(node, R_SH.value)
        shape_id = self._shape_id(shape)
        return ValidationResult(
            focus=_term_text(focus),
            severity=_local(str(severity)),
            rule=self.rule_of(shape_id),
            shape=shape_id,
            message=str(message) if message is not None else _local(str(component)),
            component=_local(str(component)),
            path=_path_text(path, graph) if path is not None else None,
            value=_term_text(value) if value is not None else None,
        )

    def _shape_id(self, shape: rdflib.term.Node | None) -> str:
        """A stable id for a shape: its IRI, or for a blank property shape, its named parent's."""
        if isinstance(shape, URIRef):
            return str(shape)
        for parent in self.core.subjects(R_SH.property, shape):
            if isinstance(parent, URIRef):
                return str(parent)
        return str(shape)

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
                    rows.extend(store.query(c.select, {"this": _ox_node(node)}))
                return rows
            return [row for row in store.query(c.select) if _term_text(row["this"]) in targets]

        results: list[ValidationResult] = []
        for c, rows in zip(self.sparql, _each(evaluate, self.sparql, workers)):
            for row in rows:
                this = _term_text(row["this"])
                value = _opt(row, "value")
                path = _opt(row, "path")
                message = _opt(row, "message") or _fill(c.message, row)
                results.append(ValidationResult(
                    focus=this, severity=c.severity, rule=c.rule, shape=c.shape,
                    message=message, component="SPARQLConstraintComponent",
                    path=path, value=value if value is not None else this,
                ))
        return results


@lru_cache(maxsize=8)
def _builtin(policies: tuple[tuple[str, str], ...]) -> ShapeSet:
    return ShapeSet([("sourcing", resources.shapes("sourcing")), *policies], builtin=1)


def parse_shapes(text: str, *, name: str, builtin: bool = False) -> rdflib.Graph:
    """Parse a Turtle shapes file and check that it holds SHACL shapes.

    :param builtin: the text is claimledger's own rules (``shapes/sourcing.ttl``).
    :raises InputError: if it does not parse, declares no shape, says anything about the
        built-in rules (their namespace is claimledger's: shapes merged into one graph could
        otherwise switch a rule off with ``sh:deactivated``, or change it), or uses
        SHACL-SPARQL in a way claimledger cannot run (a constraint that does not project
        ``$this``, or that uses SERVICE).
    """
    graph = rdflib.Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise InputError(f"shapes {name!r} do not parse as Turtle: {_first_line(exc)}") from None
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
    for c in _sparql_constraints(graph):
        if not re.search(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?[^{]*\$this\b", c.select, re.I | re.S):
            raise InputError(f"shapes {name!r}: the SPARQL constraint of {c.rule} must project $this")
        if _SERVICE_RE.search(_SPARQL_STRING_RE.sub('""', c.select)):
            raise InputError(f"shapes {name!r}: the SPARQL constraint of {c.rule} uses SERVICE; "
                             "claimledger's checks never query other endpoints over the network")
    return graph


#: SERVICE as a keyword (not a variable or prefixed name), once strings, IRIs and comments
#: are blanked out by _SPARQL_STRING_RE.
_SERVICE_RE = re.compile(r"(?<![?$:\w])SERVICE\b", re.IGNORECASE)
_SPARQL_STRING_RE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def _shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """The shapes of a shapes graph: typed as shapes, or declaring targets (SHACL 2.1)."""
    shapes = set(graph.subjects(R_RDF.type, R_SH.NodeShape)) | set(
        graph.subjects(R_RDF.type, R_SH.PropertyShape))
    for p in _TARGETS:
        shapes.update(graph.subjects(p, None))
    return shapes


def _sparql_constraints(graph: rdflib.Graph) -> list[SparqlConstraint]:
    out = []
    for shape, constraint in graph.subject_objects(R_SH.sparql):
        if (shape, R_SH.deactivated, RLiteral(True)) in graph:
            continue
        if (constraint, R_SH.deactivated, RLiteral(True)) in graph:
            continue
        if (shape, R_SH.path, None) in graph or (shape, R_RDF.type, R_SH.PropertyShape) in graph:
            raise InputError(f"{_local(str(shape))}: sh:sparql is supported on node shapes only")
        select = graph.value(constraint, R_SH.select)
        if select is None:
            raise InputError(f"{_local(str(shape))}: a sh:sparql constraint needs sh:select")
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
            shape=str(shape), rule=_local(str(shape)), severity=_local(str(severity)),
            select=prefixes + str(select), message=str(message) if message else "SPARQL constraint",
            targets=tuple(targets),
        ))
    return out


def _prefix_block(graph: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    lines = []
    for ontology in graph.objects(constraint, R_SH.prefixes):
        for decl in graph.objects(ontology, R_SH.declare):
            prefix = graph.value(decl, R_SH.prefix)
            ns = graph.value(decl, R_SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + ("\n" if lines else "")


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
            found.update(_term_text(r["n"]) for r in rows)
        elif kind == "targetSubjectsOf":
            found.update(_term_text(t.subject) for t in store.triples(None, term, None))
        elif kind == "targetObjectsOf":
            found.update(_term_text(t.object) for t in store.triples(None, term, None))
    return found


def _rule_names(graph: rdflib.Graph) -> dict[str, str]:
    names: dict[str, str] = {}
    for shape in _shape_nodes(graph):
        if isinstance(shape, URIRef):
            names[str(shape)] = _local(str(shape))
    return names


def _dedupe(results: list[ValidationResult]) -> list[ValidationResult]:
    seen = set()
    out = []
    for r in results:
        k = (r.focus, r.shape, r.severity, r.component, r.path, r.value, r.message)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _fill(template: str, row: ox.QuerySolution) -> str:
    def sub(m: re.Match[str]) -> str:
        value = _opt(row, m.group(1))
        return _short(value) if value is not None else m.group(0)
    return re.sub(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}", sub, template)


def _opt(row: ox.QuerySolution, name: str) -> str | None:
    try:
        value = row[name]
    except (KeyError, IndexError):
        return None
    return _term_text(value) if value is not None else None


def _term_text(term: object) -> str:
    """A term as text: IRIs bare, blank nodes as ``_:id``, literals by their lexical value."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _path_text(path: rdflib.term.Node, graph: rdflib.Graph) -> str:
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, R_SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return _term_text(path)


def _rdflib_node(text: str) -> rdflib.term.Node:
    if text.startswith("_:"):
        return BNode(text[2:])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        return URIRef(text)
    return RLiteral(text)


def _ox_node(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def _short(text: str | None) -> str:
    if text is None:
        return ""
    for sep in ("#", "/"):
        if "://" in text and sep in text:
            return text.rsplit(sep, 1)[-1] or text
    return text


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


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


#: Queries a whole-ledger validation runs at once: one per core, at most four.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def _each(fn: Callable, items: Sequence, workers: int) -> Iterator:
    """``fn`` of every item, in order; on ``workers`` threads when there is more than one."""
    if workers <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(workers) as pool:
        yield from pool.map(fn, items)


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
            if _term_text(r["s"]) not in owned]
    if rest:
        # Every other node (agents, policies, and whatever a claim or source does not reach)
        # is checked with all it links to, so that sh:class and paths see their targets.
        named = [s for s in rest if isinstance(s, ox.NamedNode)]
        graph = _construct(store, _REACHABLE, "r", named) if named else rdflib.Graph()
        text = "".join(f"{t} .\n" for s in rest if not isinstance(s, ox.NamedNode)
                       for t in store.triples(s, None, None))
        if text:
            graph.parse(data=text, format="nt")
        mine = {_term_text(s) for s in rest}
        results.extend(r for r in shapes._core(graph, None) if r.focus in mine)
    step()
    return results


def _rdflib_of(store) -> rdflib.Graph:
    """An rdflib copy of an in-memory store (for pyshacl)."""
    graph = rdflib.Graph()
    data = "".join(f"{t} .\n" for t in store.triples(None, None, None))
    if data:
        graph.parse(data=data, format="nt")
    return graph


def _construct(store, query: str, var: str, nodes: Sequence) -> rdflib.Graph:
    values = f"VALUES ?{var} {{ {' '.join(str(n) for n in nodes)} }}"
    triples = store.query(query.replace("#VALUES#", values, 1))
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
