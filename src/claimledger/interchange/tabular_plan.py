"""Sorting the rows of a CSV file into the claims, sources and evidence they describe, and
saying where in the file a problem is: the mapping from the record APIs' option names and the
sourcing rules' paths to columns (used by :mod:`.tabular_import`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from claimledger.errors import RuleViolation
from claimledger.interchange import tabular as T
from claimledger.model import vocab as V

Progress = Callable[[int, int], None]

#: Option names the record APIs give in their errors, as the columns they come from.
CLAIM_ARGS = {"SLUG": "claim", "CLAIM": "claim", "--subject": "subject",
              "--predicate": "predicate", "--object": "object", "--value": "value",
              "--lang": "language", "--datatype": "datatype", "--text": "text",
              "--text-lang": "text_language", "--confidence": "confidence", "VERDICT": "verdict",
              "RATING": "verdict", "--scale": "verdict_scale", "--evidence": "verdict_evidence",
              "--supersede": "verdict", "--reason": "verdict_reason"}
SOURCE_ARGS = {"SLUG": "source", "SOURCE": "source", "--title": "source_title",
               "--kind": "source_kind", "--url": "source_url", "--published": "published",
               "--reliability": "reliability", "--anonymous": "anonymous",
               "--justification": "justification", "--known-to": "known_to",
               "--derived-from": "derived_from", "--reason": "source_discredited"}
EVIDENCE_ARGS = {"CLAIM": "claim", "SOURCE": "source", "--stance": "stance",
                 "--supports/--contradicts": "stance",
                 "--attributed-to": "attributed_to", "--quote": "quote",
                 "--prefix": "quote_prefix", "--suffix": "quote_suffix", "--locator": "locator",
                 "--credibility": "credibility", "--reason": "evidence_retracted"}

#: Which column a sourcing rule's path points to, by the kind of node it checks.
RULE_COLUMNS = {
    "claim": {V.SUBJECT: "subject", V.PREDICATE: "predicate", V.OBJECT: "object",
              V.TEXT: "text", V.CONFIDENCE: "confidence", V.WAS_ATTRIBUTED_TO: "claim_recorded_by",
              V.GENERATED_AT_TIME: "claim_recorded_at", V.STATUS: "confidence"},
    "source": {V.NAME: "source_title", V.KIND: "source_kind", V.RELIABILITY: "reliability",
               V.ANONYMOUS: "anonymous", V.URL: "source_url", V.DATE_PUBLISHED: "published",
               V.ANONYMITY_JUSTIFICATION: "justification", V.IDENTITY_KNOWN_TO: "known_to",
               V.WAS_DERIVED_FROM: "derived_from", V.WAS_ATTRIBUTED_TO: "source_recorded_by",
               V.GENERATED_AT_TIME: "source_recorded_at"},
    "evidence": {V.STANCE: "stance", V.HAD_PRIMARY_SOURCE: "attributed_to",
                 V.HAS_SELECTOR: "quote", V.EXACT: "quote", V.LOCATOR: "locator",
                 V.CREDIBILITY: "credibility", V.WAS_ATTRIBUTED_TO: "recorded_by",
                 V.GENERATED_AT_TIME: "recorded_at", V.SOURCE_LINK: "source"},
    "verdict": {V.REASON: "verdict_reason", V.WAS_ATTRIBUTED_TO: "verdict_by",
                V.GENERATED_AT_TIME: "verdict_at", V.RATING: "verdict",
                V.VERDICT_VALUE: "verdict", V.CITES_AS_EVIDENCE: "verdict_evidence"},
    "retraction": {V.REASON: "evidence_retracted", V.WAS_ATTRIBUTED_TO: "retracted_by",
                   V.GENERATED_AT_TIME: "retracted_at"},
    "discrediting": {V.REASON: "source_discredited", V.WAS_ATTRIBUTED_TO: "discredited_by",
                     V.GENERATED_AT_TIME: "discredited_at"},
}
#: The column a rule's result points to when it names no path (rules on a whole node).
RULE_FALLBACK = {"high-confidence-sourcing": "confidence", "anonymous-only-high": "confidence",
                 "anonymous-only-moderate": "confidence", "unsourced-claim": "confidence",
                 "derivation-acyclic": "derived_from", "anonymous-source": "justification",
                 "verdict-reason": None}
#: Columns that say what a claim or source *is*: given for one already in the ledger, they
#: must agree with it.
CLAIM_IDENTITY = ("subject", "predicate", "object", "value", "language", "datatype", "text",
                  "text_language", "confidence")
SOURCE_IDENTITY = ("source_title", "source_url", "source_kind", "published", "reliability",
                   "anonymous", "justification", "known_to", "derived_from")
TRUE_CELLS = {"true", "yes", "y", "1"}
FALSE_CELLS = {"false", "no", "n", "0"}
LIST_SEPARATORS = re.compile(r"[\s,;]+")


class TableRuleViolation(RuleViolation):
    """A CSV import refused because it breaks a sourcing rule, each result at its row."""

    def __init__(self, name: str, report, where: dict[str, tuple[int, str]]) -> None:
        super().__init__(report)
        lines = []
        for r in report.violations:
            line, kind = where.get(r.focus, (0, ""))
            column = (RULE_COLUMNS.get(kind, {}).get(_node(r.path)) if r.path
                      else RULE_FALLBACK.get(r.rule))
            at = (f"line {line}" + (f", column {column}" if column else "")) if line else \
                "in the ledger"
            lines.append((line, f"  {at}: {r.describe()}"))
        rows = {line for line, _ in lines if line}
        self.lines = sorted(rows)
        self.message = (f"{name!r}: {len(rows)} row{'s' if len(rows) != 1 else ''} break a "
                        "sourcing rule; nothing was imported\n"
                        + "\n".join(text for _, text in sorted(lines)))
        self.args = (self.message,)


def _node(iri: str | None) -> NamedNode | None:
    try:
        return NamedNode(iri) if iri else None
    except ValueError:  # a complex property path, not one predicate
        return None


@dataclass
class Entity:
    """A claim or source as the file describes it: merged over every row that names it."""

    slug: str
    line: int
    cells: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, column: str | None) -> int:
        return self.lines.get(column or "", self.line)


@dataclass
class Plan:
    claims: dict[str, Entity] = field(default_factory=dict)
    sources: dict[str, Entity] = field(default_factory=dict)
    evidence: list[T.Row] = field(default_factory=list)
    problems: list[T.Problem] = field(default_factory=list)


def plan(rows: list[T.Row]) -> Plan:
    """Sort rows into claims, sources and evidence, checking that repeats agree."""
    out = Plan()
    claim_cols = set(T.CLAIM_COLUMNS) - {"claim"}
    source_cols = set(T.SOURCE_COLUMNS) - {"source"}
    for row in rows:
        claim, source = row.get("claim"), row.get("source")
        given = set(row.cells)
        for slug, cols, kind, table in ((claim, claim_cols, "claim", out.claims),
                                        (source, source_cols, "source", out.sources)):
            if slug is None:
                if given & cols:
                    out.problems.append(T.Problem(row.line, min(given & cols),
                                                  f"{kind} columns without a {kind} slug"))
                continue
            entity = table.setdefault(slug, Entity(slug, row.line))
            for col in sorted(given & cols):
                value = row.cells[col]
                if col in entity.cells and entity.cells[col] != value:
                    out.problems.append(T.Problem(
                        row.line, col, f"{kind} {slug!r} has {entity.cells[col]!r} on line "
                        f"{entity.lines[col]} but {value!r} here"))
                elif col not in entity.cells:
                    entity.cells[col], entity.lines[col] = value, row.line
        evidence_given = given & set(T.EVIDENCE_COLUMNS)
        if claim is not None and source is not None:
            out.evidence.append(row)
        elif evidence_given:
            out.problems.append(T.Problem(row.line, min(evidence_given),
                                          "evidence needs both a claim and a source"))
    return out
