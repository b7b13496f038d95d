"""Validation results as SHACL defines them (SHACL 3.6), gathered in a :class:`ValidationReport`
that writes itself as a W3C ``sh:ValidationReport`` graph another SHACL tool reads as its own.

Terms stay terms: the focus node and the value are the data graph's own (IRIs, literals with
their datatype or language, blank nodes), the source shape the shapes graph's, and the result
path a path structure. The text properties (:attr:`ValidationResult.focus`, ``value``…) are
for people and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, SH, BNode, Literal, URIRef

from claimledger.validation.paths import Path

SEVERITIES = ("Info", "Warning", "Violation")
Node = rdflib.term.Node


def text_of(term: Node | None) -> str | None:
    """A term as text: IRIs bare, blank nodes as ``_:id``, literals by their lexical form."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


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


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result."""

    focus_node: Node
    result_severity: URIRef
    source_shape: Node
    constraint_component: URIRef
    #: claimledger's rule id: the local name of the named shape the result belongs to.
    rule: str
    result_path: Path | None = None
    value_node: Node | None = None
    messages: tuple[Literal, ...] = ()
    source_constraint: Node | None = None
    #: The named shape the result belongs to (the source shape, or the named shape a blank
    #: property shape hangs from), for people and JSON.
    shape: str = ""
    #: The targeted shape whose validation gave the result.
    top: Node | None = field(default=None, compare=False, repr=False)

    @property
    def focus(self) -> str:
        return text_of(self.focus_node)

    @property
    def value(self) -> str | None:
        return text_of(self.value_node)

    @property
    def path(self) -> str | None:
        return self.result_path.text() if self.result_path is not None else None

    @property
    def severity(self) -> str:
        """``Violation``, ``Warning`` or ``Info`` (another severity IRI: its local name)."""
        return local(str(self.result_severity))

    @property
    def component(self) -> str:
        """The constraint component's local name, e.g. ``MinCountConstraintComponent``."""
        return local(str(self.constraint_component))

    @property
    def message(self) -> str:
        """One message for people: the English one if there is one, else the first."""
        if not self.messages:
            return self.component
        english = [m for m in self.messages if (m.language or "en").lower().startswith("en")]
        return str(sorted(english or self.messages, key=lambda m: (m.language or "", str(m)))[0])

    @property
    def rank(self) -> int:
        """Info 0, Warning 1, Violation 2; a severity of another vocabulary counts as a Violation."""
        return SEVERITIES.index(self.severity) if self.result_severity in _KNOWN else 2

    def describe(self) -> str:
        """One line for a person: ``[Violation] rule-id: message (focus)``."""
        extra = f" — value: {short(self.value)}" if self.value and self.value != self.focus else ""
        return f"[{self.severity}] {self.rule}: {self.message} ({short(self.focus)}){extra}"

    def key(self) -> tuple[str, str, str]:
        """What identifies a result across validators: focus node, named shape, severity."""
        return (self.focus, self.shape, self.severity)

    def sort_key(self) -> tuple:
        return (self.focus, -self.rank, self.rule, self.path or "", self.component,
                _n3(self.value_node), self.message, self.shape)

    def as_json(self) -> dict:
        """The result for ``validate --format json``."""
        return {"focus": self.focus, "severity": self.severity, "rule": self.rule,
                "shape": self.shape, "message": self.message, "component": self.component,
                "path": self.path, "value": self.value}


_KNOWN = {SH.Info, SH.Warning, SH.Violation}


def _n3(term) -> str:
    return "" if term is None else term.n3()


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
