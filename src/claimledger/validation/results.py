"""Validation results as objects: one :class:`ValidationResult` per result, gathered in a
:class:`ValidationReport` that renders itself as the W3C ``sh:ValidationReport`` graph."""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import RDF as R_RDF
from rdflib import SH as R_SH
from rdflib import BNode, URIRef
from rdflib import Literal as RLiteral

from claimledger.validation.support import rdflib_node, short

SEVERITIES = ("Info", "Warning", "Violation")


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
        where = short(self.focus)
        extra = f" — value: {short(self.value)}" if self.value and self.value != self.focus else ""
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
            g.add((node, R_SH.focusNode, rdflib_node(r.focus)))
            g.add((node, R_SH.resultSeverity, R_SH[r.severity]))
            g.add((node, R_SH.sourceShape, rdflib_node(r.shape)))
            g.add((node, R_SH.sourceConstraintComponent, URIRef(str(R_SH) + r.component)))
            g.add((node, R_SH.resultMessage, RLiteral(r.message)))
            if r.path:
                g.add((node, R_SH.resultPath, rdflib_node(r.path)))
            if r.value:
                g.add((node, R_SH.value, rdflib_node(r.value)))
        return g
