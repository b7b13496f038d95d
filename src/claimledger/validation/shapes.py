"""Shape sets: the sourcing rules and a ledger's own policies, parsed, checked and split
between the engines that run them.

Shapes come from ``shapes/sourcing.ttl`` (the built-in sourcing rules) and from the policies a
ledger stores. Each rule is one named shape; its local name is the rule id.

Who does what:

* **Core constraints** are compiled to SPARQL and run by Oxigraph
  (:mod:`claimledger.validation.compiled`): over the whole ledger for ``validate``, over an
  in-memory copy of a write's closure on every write.
* **Shapes the compiler cannot translate** go to pyshacl (:mod:`claimledger.validation.fallback`).
* **SHACL-SPARQL constraints** (``sh:sparql``) run on Oxigraph (:mod:`claimledger.validation.sparql`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property, lru_cache

import rdflib
from rdflib import RDF as R_RDF
from rdflib import SH as R_SH
from rdflib import URIRef

from claimledger import resources
from claimledger.errors import InputError
from claimledger.store.memory import MemoryStore
from claimledger.validation.fallback import _TARGETS, PyshaclFallback
from claimledger.validation.results import ValidationReport, ValidationResult
from claimledger.model import sparql
from claimledger.validation.sparql import (
    SPARQL_EXECUTABLES,
    SparqlRunner,
    _prefix_block,
    _sparql_constraints,
)
from claimledger.validation.support import each, local, rdflib_of, term_text

SHAPES_NS = "https://w3id.org/claimledger/shapes#"


class ShapeSet(PyshaclFallback, SparqlRunner):
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
        return self._rules.get(shape, local(shape))

    # -- validation ----------------------------------------------------------------------
    def validate(self, data: rdflib.Graph | None, *, focus: Iterable[str] | None = None,
                 sparql_store=None) -> ValidationReport:
        """Validate ``data`` (the closure of ``focus``, or a whole graph when ``focus`` is None).

        Core constraints run compiled to SPARQL on Oxigraph (:mod:`claimledger.validation.compiled`);
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
                    data = rdflib_of(store)
                results.extend(self._core(data, focus_list))
            if self.sparql:
                results.extend(self.run_sparql(store, focus_list))
        return ValidationReport(_dedupe(results))

    @cached_property
    def compiled(self):
        """The core constraints compiled to SPARQL (see :mod:`claimledger.validation.compiled`)."""
        from claimledger.validation.compiled import Compiler

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
        for check, rows in zip(checks, each(lambda c: list(store.query(c.query)), checks, workers)):
            for row in rows:
                this = term_text(row["this"])
                if wanted is not None and this not in wanted:
                    continue
                value = term_text(row["value"]) if check.has_value else this
                results.append(ValidationResult(
                    focus=this, severity=check.severity, rule=self.rule_of(check.shape),
                    shape=check.shape, message=check.message or check.component,
                    component=check.component, path=check.path, value=value))
            if progress is not None:
                progress()
        return results


@lru_cache(maxsize=8)
def _builtin(policies: tuple[tuple[str, str], ...]) -> ShapeSet:
    return ShapeSet([("sourcing", resources.shapes("sourcing")), *policies], builtin=1)


def read_shapes_file(path: str | os.PathLike[str], *, argument: str = "--shapes"
                     ) -> tuple[str, str]:
    """``(name, turtle_text)`` of a shapes file given by a user, for :meth:`ShapeSet.builtin`.

    :raises InputError: if it cannot be read as UTF-8 text.
    """
    try:
        return Path(path).name, Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc}", argument=argument) from None


def _syntax_error(text: str, exc: BaseException) -> str:
    """The whole of a Turtle syntax error on one line: Oxigraph's parser says where and why
    in one sentence ("Parser error at line 2 between columns 1 and 5: The prefix ex: has not
    been declared"); rdflib's message, cut to its first line, says only "at line 2 of <>:"."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(text.encode("utf-8", "replace"), format=ox.RdfFormat.TURTLE):
            pass
    except (SyntaxError, ValueError) as found:
        return " ".join(str(found).split())
    return " ".join(str(exc).split()) or type(exc).__name__


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
        raise InputError(f"shapes {name!r} do not parse as Turtle: {_syntax_error(text, exc)}"
                         ) from None
    if not _shape_nodes(graph):
        raise InputError(f"shapes {name!r} declare no SHACL shape (no sh:NodeShape, "
                         "sh:PropertyShape or target): not SHACL")
    if not builtin:
        reserved = sorted({local(str(s)) or str(s) for s in graph.subjects()
                           if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)})
        if reserved:
            raise InputError(
                f"shapes {name!r} say something about {', '.join(reserved)} in the namespace of "
                f"claimledger's own rules <{SHAPES_NS}>: a policy adds rules of its own, it "
                "cannot change or switch off the built-in ones (use a namespace of your own)")
    _check_sparql(graph, name)
    for c in _sparql_constraints(graph):
        if not re.search(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?[^{]*\$this\b", c.select, re.I | re.S):
            raise InputError(f"shapes {name!r}: the SPARQL constraint of {c.rule} must project $this")
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
            where = f"shapes {name!r}: the SPARQL ({local(str(prop))}) of {short_node(graph, node)}"
            if prop == R_SH.update or not isinstance(value, rdflib.Literal):
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
        return local(str(node))
    for parent in graph.transitive_subjects(None, node):
        if isinstance(parent, URIRef):
            return local(str(parent))
    return "a constraint"


def _shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """The shapes of a shapes graph: typed as shapes, or declaring targets (SHACL 2.1)."""
    shapes = set(graph.subjects(R_RDF.type, R_SH.NodeShape)) | set(
        graph.subjects(R_RDF.type, R_SH.PropertyShape))
    for p in _TARGETS:
        shapes.update(graph.subjects(p, None))
    return shapes


def _rule_names(graph: rdflib.Graph) -> dict[str, str]:
    names: dict[str, str] = {}
    for shape in _shape_nodes(graph):
        if isinstance(shape, URIRef):
            names[str(shape)] = local(str(shape))
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
