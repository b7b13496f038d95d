"""Validation results as SHACL defines them (SHACL 3.6), gathered in a :class:`ValidationReport`
that writes itself as a W3C ``sh:ValidationReport`` graph another SHACL tool reads as its own.

Terms stay terms: the focus node and the value are the data graph's own (IRIs, literals with
their datatype or language, blank nodes), the source shape the shapes graph's, and the result
path a path structure. A result holds the terms it was given — pyoxigraph's from the compiled
checks (:mod:`.plan`), rdflib's from pyshacl — and its term properties (:attr:`focus_node`,
:attr:`value_node`…) give rdflib terms, made when first read. The text properties
(:attr:`ValidationResult.focus`, ``value``, ``message``…) need no rdflib: a write's check,
which reads only those, runs without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from claimledger.validation.paths import Path

if TYPE_CHECKING:
    import rdflib

SEVERITIES = ("Info", "Warning", "Violation")
_SH = "http://www.w3.org/ns/shacl#"
_KNOWN = {_SH + "Info", _SH + "Warning", _SH + "Violation"}


def text_of(term) -> str | None:
    """A term (pyoxigraph's or rdflib's) as text: IRIs bare, blank nodes as ``_:id``, literals
    by their lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    from rdflib import BNode  # an rdflib term: rdflib is loaded already

    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def ox_of(term):
    """A term (pyoxigraph's or rdflib's) as a pyoxigraph term (a language tag in lower case)."""
    if term is None or isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    from claimledger.validation.support import ox_term  # an rdflib term: rdflib is loaded

    return ox_term(term)


def nt_of(term) -> str:
    """A term (pyoxigraph's or rdflib's) in N-Triples, language tags in lower case: the same
    text for the same term from either library ("" for none)."""
    return "" if term is None else str(ox_of(term))


def rdflib_term(term):
    """A term as an rdflib term (pyoxigraph's converted, the lexical form kept)."""
    if term is None or not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    from claimledger.validation.support import rdf_term

    return rdf_term(term)


def message_of(m) -> tuple[str, str | None]:
    """A message as ``(text, language)``: from an rdflib or pyoxigraph literal, or such a pair."""
    if isinstance(m, tuple):
        return m
    if isinstance(m, ox.Literal):
        return (m.value, m.language)
    return (str(m), m.language or None)


def local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def short(text: str | None) -> str:
    if text is None:
        return ""
    for sep in ("#", "/"):
        if "://" in text and sep in text:
            return text.rsplit(sep, 1)[-1] or text
    return text


@dataclass(frozen=True, eq=False)
class ValidationResult:
    """One SHACL validation result.

    The constructor takes pyoxigraph or rdflib terms; ``messages`` are literals of either or
    ``(text, language)`` pairs (kept so, with the language tag's case as written).
    """

    node: object  # the focus node, as given
    severity_iri: object
    source: object
    component_iri: object
    #: claimledger's rule id: the local name of the named shape the result belongs to.
    rule: str
    result_path: Path | None = None
    value_term: object = None
    message_pairs: tuple[tuple[str, str | None], ...] = ()
    constraint: object = None
    #: The named shape the result belongs to (the source shape, or the named shape a blank
    #: property shape hangs from), for people and JSON.
    shape: str = ""
    #: The targeted shape whose validation gave the result, as the engine that gave it names it.
    top: object = field(default=None, repr=False)

    def __init__(self, focus_node, result_severity, source_shape, constraint_component,
                 rule: str, result_path: Path | None = None, value_node=None, messages=(),
                 source_constraint=None, shape: str = "", top=None) -> None:
        set_ = object.__setattr__
        set_(self, "node", focus_node)
        set_(self, "severity_iri", result_severity)
        set_(self, "source", source_shape)
        set_(self, "component_iri", constraint_component)
        set_(self, "rule", rule)
        set_(self, "result_path", result_path)
        set_(self, "value_term", value_node)
        set_(self, "message_pairs", tuple(message_of(m) for m in messages))
        set_(self, "constraint", source_constraint)
        set_(self, "shape", shape)
        set_(self, "top", top)

    def replace(self, *, focus_node=None, value_node=None) -> ValidationResult:
        """The same result with another focus node or value (the data graph's own term)."""
        return ValidationResult(
            focus_node if focus_node is not None else self.node, self.severity_iri, self.source,
            self.component_iri, self.rule, self.result_path,
            value_node if value_node is not None else self.value_term, self.message_pairs,
            self.constraint, self.shape, self.top)

    def _identity(self) -> tuple:
        return (nt_of(self.node), text_of(self.severity_iri), nt_of(self.source),
                text_of(self.component_iri), self.rule, self.result_path, nt_of(self.value_term),
                self.message_pairs, nt_of(self.constraint), self.shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationResult):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    # -- the terms, as rdflib terms --------------------------------------------------------
    @property
    def focus_node(self) -> rdflib.term.Node:
        return rdflib_term(self.node)

    @property
    def value_node(self) -> rdflib.term.Node | None:
        return rdflib_term(self.value_term)

    @property
    def result_severity(self) -> rdflib.URIRef:
        return rdflib_term(self.severity_iri)

    @property
    def source_shape(self) -> rdflib.term.Node:
        return rdflib_term(self.source)

    @property
    def constraint_component(self) -> rdflib.URIRef:
        return rdflib_term(self.component_iri)

    @property
    def source_constraint(self) -> rdflib.term.Node | None:
        return rdflib_term(self.constraint)

    @property
    def messages(self) -> tuple[rdflib.Literal, ...]:
        from rdflib import Literal

        return tuple(Literal(text, lang=lang) if lang else Literal(text)
                     for text, lang in self.message_pairs)

    # -- for people and JSON -----------------------------------------------------------------
    @property
    def focus(self) -> str:
        return text_of(self.node)

    @property
    def value(self) -> str | None:
        return text_of(self.value_term)

    @property
    def path(self) -> str | None:
        return self.result_path.text() if self.result_path is not None else None

    @property
    def severity(self) -> str:
        """``Violation``, ``Warning`` or ``Info`` (another severity IRI: its local name)."""
        return local(text_of(self.severity_iri))

    @property
    def component(self) -> str:
        """The constraint component's local name, e.g. ``MinCountConstraintComponent``."""
        return local(text_of(self.component_iri))

    @property
    def message(self) -> str:
        """One message for people: the English one if there is one, else the first."""
        if not self.message_pairs:
            return self.component
        english = [m for m in self.message_pairs if (m[1] or "en").lower().startswith("en")]
        return sorted(english or self.message_pairs, key=lambda m: (m[1] or "", m[0]))[0][0]

    @property
    def rank(self) -> int:
        """Info 0, Warning 1, Violation 2; a severity of another vocabulary counts as a Violation."""
        return SEVERITIES.index(self.severity) if text_of(self.severity_iri) in _KNOWN else 2

    def describe(self) -> str:
        """One line for a person: ``[Violation] rule-id: message (focus)``."""
        extra = f" — value: {short(self.value)}" if self.value and self.value != self.focus else ""
        return f"[{self.severity}] {self.rule}: {self.message} ({short(self.focus)}){extra}"

    def key(self) -> tuple[str, str, str]:
        """What identifies a result across validators: focus node, named shape, severity."""
        return (self.focus, self.shape, self.severity)

    def sort_key(self) -> tuple:
        return (self.focus, -self.rank, self.rule, self.path or "", self.component,
                nt_of(self.value_term), self.message, self.shape)

    def as_json(self) -> dict:
        """The result for ``validate --format json``."""
        return {"focus": self.focus, "severity": self.severity, "rule": self.rule,
                "shape": self.shape, "message": self.message, "component": self.component,
                "path": self.path, "value": self.value}


@dataclass
class ValidationReport:
    """The results of one validation run, in a deterministic order."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        """Results of severity sh:Violation (or of a severity outside SHACL's three)."""
        return [r for r in self.results if r.rank == 2]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """claimledger's acceptance: no Violation (Warnings and Infos do not refuse a write,
        nor make ``validate`` exit 1). SHACL's own ``sh:conforms`` is :attr:`shacl_conforms`."""
        return not self.violations

    @property
    def shacl_conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true only when there is no result at all."""
        return not self.results

    def at_least(self, severity: str) -> ValidationReport:
        """A report of the results of ``severity`` or worse."""
        floor = SEVERITIES.index(severity)
        return ValidationReport([r for r in self.results if r.rank >= floor])

    def sorted(self) -> ValidationReport:
        return ValidationReport(sorted(self.results, key=ValidationResult.sort_key))

    def to_graph(self) -> rdflib.Graph:
        """The report as a W3C SHACL ``sh:ValidationReport`` graph (SHACL 3.6)."""
        import rdflib
        from rdflib import RDF, SH, BNode, Literal

        g = rdflib.Graph()
        g.bind("sh", SH)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.shacl_conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus_node))
            g.add((node, SH.resultSeverity, r.result_severity))
            g.add((node, SH.sourceShape, r.source_shape))
            g.add((node, SH.sourceConstraintComponent, r.constraint_component))
            if r.result_path is not None:
                g.add((node, SH.resultPath, r.result_path.to_rdf(g)))
            if r.value_node is not None:
                g.add((node, SH.value, r.value_node))
            if r.source_constraint is not None:
                g.add((node, SH.sourceConstraint, r.source_constraint))
            for m in r.messages:
                g.add((node, SH.resultMessage, m))
        return g
