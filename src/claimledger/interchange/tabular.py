"""CSV: the column layout fact-checking desks keep in spreadsheets, read and written.

One row per piece of evidence: its claim's columns, its source's columns and its own. A claim
or source repeats on every row of its evidence, and must agree with itself where it repeats
(a cell left empty on a later row is not a disagreement). A claim with no evidence has a row
of its own with the source and evidence columns empty; a source no evidence is found in (an
upstream of a derivation, a source statements are attributed to) has one with the claim and
evidence columns empty. :data:`COLUMNS` lists the columns; README.md documents them.

Files are UTF-8 with or without a byte-order mark, with commas or semicolons between cells
(told apart on the header line), quoted cells may hold line breaks. Cells are written
neutralised against spreadsheet formulas and read back restored (:mod:`.cells`).

Importing is :mod:`.tabular_import`; this module has the layout, the reader and the export.
A CSV does not carry a ledger's audit trail, its policies, its prefixes or its revision
history (``prov:wasRevisionOf``): use the RDF export for those.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.core.ledger import LedgerCore
from claimledger.errors import InputError
from claimledger.interchange.cells import neutralise, restore
from claimledger.interchange.reading import one, verdict_in_force
from claimledger.model import terms
from claimledger.model import vocab as V

#: The claim's columns: its triple, statement, confidence, who recorded it, the verdict in force.
CLAIM_COLUMNS = (
    "claim", "subject", "predicate", "object", "value", "language", "datatype", "text",
    "text_language", "confidence", "claim_recorded_by", "claim_recorded_at",
    "verdict", "verdict_scale", "verdict_reason", "verdict_evidence", "verdict_by", "verdict_at",
)
#: The source's columns, with its derivation links and its discrediting.
SOURCE_COLUMNS = (
    "source", "source_title", "source_url", "source_kind", "published", "reliability",
    "anonymous", "justification", "known_to", "derived_from", "source_recorded_by",
    "source_recorded_at", "source_discredited", "discredited_by", "discredited_at",
)
#: The evidence's columns, with its retraction.
EVIDENCE_COLUMNS = (
    "stance", "attributed_to", "quote", "quote_prefix", "quote_suffix", "locator",
    "credibility", "recorded_by", "recorded_at", "evidence_retracted", "retracted_by",
    "retracted_at",
)
COLUMNS = CLAIM_COLUMNS + SOURCE_COLUMNS + EVIDENCE_COLUMNS

#: Other names a header may use for a column (after lower-casing, with spaces and hyphens
#: read as underscores).
ALIASES = {
    "claim_slug": "claim", "source_slug": "source", "statement": "text",
    "statement_text": "text", "lang": "language", "source_discredited_reason": "source_discredited",
    "evidence_retracted_reason": "evidence_retracted", "evidence_recorded_by": "recorded_by",
    "evidence_recorded_at": "recorded_at",
}

#: Cells that hold a token, an IRI, a slug or a date: surrounding spaces are not part of it.
#: Every other cell (text, quotes, reasons) is taken exactly as it is.
TOKEN_COLUMNS = frozenset(COLUMNS) - {
    "value", "text", "verdict_reason", "source_title", "justification", "source_discredited",
    "quote", "quote_prefix", "quote_suffix", "locator", "evidence_retracted",
}


@dataclass
class Problem:
    """Why one row cannot be imported."""

    line: int
    column: str | None
    reason: str

    def describe(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


class TableError(InputError):
    """A CSV file with rows that cannot be imported; nothing was imported.

    :param name: the file's name.
    :param problems: every problem found, by line.
    """

    def __init__(self, name: str, problems: list[Problem]) -> None:
        problems = sorted(problems, key=lambda p: (p.line, p.column or ""))
        lines = sorted({p.line for p in problems})
        head = (f"{name!r}: {len(lines)} row{'s' if len(lines) != 1 else ''} cannot be imported; "
                "nothing was imported")
        super().__init__("\n".join([head] + ["  " + p.describe() for p in problems]))
        self.problems = problems
        self.lines = lines


@dataclass
class Row:
    """One row of a CSV file: the line it starts on, and its non-empty cells by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str | None:
        return self.cells.get(column)


# -- reading ----------------------------------------------------------------------------------

def decode(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8, a leading byte-order mark dropped.

    :raises TableError: naming the line of the first byte that is not UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TableError(name, [Problem(line, None, f"not UTF-8 text (byte {exc.start + 1} of "
                                                    "the file); save the file as UTF-8")]) from None


def delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (as spreadsheets write CSV
    in locales with a decimal comma), else ``,``."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def column_name(header: str) -> str:
    """A header as a column name: lower-cased, spaces and hyphens read as underscores."""
    name = re.sub(r"[\s-]+", "_", header.strip().lower())
    return ALIASES.get(name, name)


def read_rows(text: str, name: str) -> list[Row]:
    """The rows of a CSV file in the layout, with cells restored (see :mod:`.cells`).

    :raises TableError: for an unknown or repeated column, a malformed line (an unclosed
        quote, a row with more cells than the header), listing every one found.
    """
    # A cell may hold a statement or quote up to the ledger's limit (csv's default is 128 KiB);
    # longer ones are refused, by the record calls, as too long.
    csv.field_size_limit(max(csv.field_size_limit(), 2 * terms.MAX_LONG_TEXT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise TableError(name, [Problem(1, None, f"malformed header: {exc}")]) from None
    if not header or not any(h.strip() for h in header):
        raise TableError(name, [Problem(1, None, "no header line: the first line must name the "
                                                 "columns (claim, subject, …, source, …)")])
    columns: list[str | None] = []
    for cell in header:
        col = column_name(cell)
        if not col:
            columns.append(None)
            continue
        if col not in COLUMNS:
            problems.append(Problem(1, cell, "unknown column (the columns are: "
                                              + ", ".join(COLUMNS) + ")"))
        elif col in columns:
            problems.append(Problem(1, cell, "column given twice"))
        columns.append(col if col in COLUMNS else None)
    if "claim" not in columns and "source" not in columns:
        problems.append(Problem(1, None, "the header names neither a claim nor a source column"))
    rows: list[Row] = []
    start = 2
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(start, None, f"malformed CSV: {exc}"))
            break
        line, start = start, reader.line_num + 1
        if len(record) > len(columns) and any(c.strip() for c in record[len(columns):]):
            problems.append(Problem(line, None, f"{len(record)} cells, but the header names "
                                                f"{len(columns)} columns"))
            continue
        cells = {}
        for col, cell in zip(columns, record):
            if col is None:
                continue
            value = restore(cell.strip() if col in TOKEN_COLUMNS else cell)
            if value.strip():
                cells[col] = value
        if cells:
            rows.append(Row(line, cells))
    if problems:
        raise TableError(name, problems)
    return rows


# -- writing ----------------------------------------------------------------------------------

def iri_cell(ledger: LedgerCore, node: object, collection: str | None = None) -> str:
    """An IRI as a cell: the slug of one of the ledger's own things (of ``collection`` when
    given), else ``<IRI>`` — never a CURIE, whose prefix the ledger reading the file may lack."""
    if not isinstance(node, NamedNode):
        return "" if node is None else str(getattr(node, "value", node))
    if collection is not None and node.value.startswith(f"{ledger.base}{collection}/"):
        return ledger.slug(node)
    return f"<{node.value}>"


def datatype_cell(node: NamedNode) -> str:
    if node.value.startswith(V.XSD):
        return "xsd:" + node.value[len(V.XSD):]
    return f"<{node.value}>"


def _v(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def _bound(name: str, node: NamedNode | None) -> dict[str, NamedNode] | None:
    return {name: node} if node is not None else None


def _verdicts_in_force(ledger: LedgerCore, claim: NamedNode | None = None
                       ) -> dict[NamedNode, dict[str, str]]:
    """The columns of the verdict in force on each claim (the latest not withdrawn): its
    rating (notation or label) and scale, reason, who gave it and when, the evidence it cites."""
    from claimledger.records.scales import Scales

    scales = Scales(ledger)
    claims = {row["claim"] for row in ledger.store.query(resources.query("table-verdicts"),
                                                         _bound("claim", claim))}
    out: dict[NamedNode, dict[str, str]] = {}
    for node in claims:
        verdict = verdict_in_force(ledger, node)
        if verdict is None:
            continue
        rating_iri = one(ledger, verdict, V.RATING)
        rating = scales.rating(rating_iri) if isinstance(rating_iri, NamedNode) else None
        cited = sorted(iri_cell(ledger, t.object, "evidence")
                       for t in ledger.store.triples(verdict, V.CITES_AS_EVIDENCE, None))
        out[node] = {
            "verdict": (rating.notation or rating.label) if rating is not None
            else V.Status.label(one(ledger, verdict, V.VERDICT_VALUE)) or "",
            "verdict_scale": rating.scale if rating is not None and rating.scale != "claimledger"
            else "",
            "verdict_reason": _v(one(ledger, verdict, V.REASON)),
            "verdict_evidence": " ".join(cited),
            "verdict_by": iri_cell(ledger, one(ledger, verdict, V.WAS_ATTRIBUTED_TO), "agent"),
            "verdict_at": _v(one(ledger, verdict, V.GENERATED_AT_TIME))}
    return out


def claim_cells(ledger: LedgerCore, claim: NamedNode | None = None
                ) -> dict[NamedNode, dict[str, str]]:
    """Every claim's columns (or only ``claim``'s), by claim."""
    verdicts = _verdicts_in_force(ledger, claim)
    out: dict[NamedNode, dict[str, str]] = {}
    for row in ledger.store.query(resources.query("table-claims"), _bound("claim", claim)):
        claim = row["claim"]
        if claim in out:
            continue
        o, text = row["o"], row["text"]
        cells = {"claim": iri_cell(ledger, claim, "claim"),
                 "subject": iri_cell(ledger, row["s"]), "predicate": iri_cell(ledger, row["p"]),
                 "text": _v(text), "text_language": getattr(text, "language", None) or "",
                 "confidence": V.Confidence.label(row["confidence"]) or "",
                 "claim_recorded_by": iri_cell(ledger, row["by"], "agent"),
                 "claim_recorded_at": _v(row["at"])}
        if isinstance(o, Literal):
            cells["value"] = o.value
            if o.language:
                cells["language"] = o.language
            elif o.datatype != V.XSD_STRING:
                cells["datatype"] = datatype_cell(o.datatype)
        else:
            cells["object"] = iri_cell(ledger, o)
        cells.update(verdicts.get(claim, {}))
        out[claim] = cells
    return out


def source_cells(ledger: LedgerCore, source: NamedNode | None = None
                 ) -> dict[NamedNode, dict[str, str]]:
    """Every source's columns (or only ``source``'s), by source."""
    out: dict[NamedNode, dict[str, str]] = {}
    for row in ledger.store.query(resources.query("source-list"), _bound("source", source)):
        derived = sorted(iri_cell(ledger, NamedNode(d), "source")
                         for d in _v(row["derived"]).split())
        out[row["source"]] = {
            "source": iri_cell(ledger, row["source"], "source"), "source_title": _v(row["title"]),
            "source_url": _v(row["url"]), "source_kind": V.SourceKind.label(row["kind"]) or "",
            "published": _v(row["published"]),
            "reliability": V.Reliability.label(row["reliability"]) or "",
            "anonymous": _v(row["anonymous"]), "justification": _v(row["justification"]),
            "known_to": iri_cell(ledger, row["known"], "agent"), "derived_from": " ".join(derived),
            "source_recorded_by": iri_cell(ledger, row["by"], "agent"),
            "source_recorded_at": _v(row["at"]), "source_discredited": _v(row["discredited"]),
            "discredited_by": iri_cell(ledger, row["discredited_by"], "agent"),
            "discredited_at": _v(row["discredited_at"])}
    return out


def _evidence_number(node: NamedNode) -> tuple[int, str]:
    tail = node.value.rsplit("-", 1)[-1]
    return (int(tail), node.value) if tail.isdigit() else (1 << 62, node.value)


def evidence_rows(ledger: LedgerCore) -> dict[NamedNode, list[tuple[NamedNode, dict[str, str]]]]:
    """Every claim's evidence as ``(source, columns)``, in the order it was recorded."""
    found: dict[NamedNode, dict[NamedNode, tuple[NamedNode, dict[str, str]]]] = {}
    for row in ledger.store.query(resources.query("table-evidence")):
        ev, claim = row["evidence"], row["claim"]
        found.setdefault(claim, {}).setdefault(ev, (row["source"], {
            "stance": V.Stance.label(row["stance"]) or "",
            "attributed_to": iri_cell(ledger, row["attributed"], "source"),
            "quote": _v(row["quote"]), "quote_prefix": _v(row["prefix"]),
            "quote_suffix": _v(row["suffix"]), "locator": _v(row["locator"]),
            "credibility": V.Credibility.label(row["credibility"]) or "",
            "recorded_by": iri_cell(ledger, row["by"], "agent"), "recorded_at": _v(row["at"]),
            "evidence_retracted": _v(row["retracted"]),
            "retracted_by": iri_cell(ledger, row["retracted_by"], "agent"),
            "retracted_at": _v(row["retracted_at"])}))
    return {claim: [evs[e] for e in sorted(evs, key=_evidence_number)]
            for claim, evs in found.items()}


def table(ledger: LedgerCore) -> Iterator[list[str]]:
    """The ledger in the layout: the header, then one row per piece of evidence (a claim's
    evidence in the order it was recorded), one per claim without evidence, one per source
    no evidence is found in. Cells are not yet neutralised."""
    claims = claim_cells(ledger)
    sources = source_cells(ledger)
    evidence = evidence_rows(ledger)
    yield list(COLUMNS)
    used: set[NamedNode] = set()
    for claim in sorted(claims, key=lambda n: n.value):
        rows = evidence.get(claim) or [(None, {})]
        for source, ev_cells in rows:
            cells = dict(claims[claim])
            if source is not None:
                used.add(source)
                cells.update(sources.get(source) or {"source": iri_cell(ledger, source, "source")})
                cells.update(ev_cells)
            yield [cells.get(c, "") for c in COLUMNS]
    for source in sorted(set(sources) - used, key=lambda n: n.value):
        yield [sources[source].get(c, "") for c in COLUMNS]


def export_csv(ledger: LedgerCore, output: IO[str], *, delimiter: str = ",") -> int:
    """Write the ledger to ``output`` in the CSV layout; returns the number of rows written.

    Every cell is neutralised against spreadsheet formulas (:func:`.cells.neutralise`).

    :raises InputError: for a delimiter other than ``,`` or ``;``.
    """
    if delimiter not in (",", ";"):
        raise InputError(f"{delimiter!r} is not a CSV delimiter claimledger writes (',' or ';')",
                         argument="--delimiter")
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    n = -1
    for n, row in enumerate(table(ledger)):
        writer.writerow([neutralise(cell) for cell in row])
    return n


def read_file(path: str | Path, *, max_bytes: int) -> tuple[list[Row], str]:
    """The rows of a CSV file and its SHA-256, the file read with at most ``max_bytes``.

    :raises InputError: for a missing or oversized file.
    :raises TableError: for text that is not UTF-8 or not CSV in the layout.
    """
    import hashlib

    file = Path(path)
    try:
        if not file.is_file():
            raise InputError(f"{str(file)!r} is not a file", argument="FILE")
        with open(file, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(file)!r}: {exc.strerror}", argument="FILE") from None
    if len(data) > max_bytes:
        raise InputError(f"{file.name!r} is over {max_bytes:,} bytes; imports are limited to that "
                         "(raise the limit with --max-size)", argument="FILE")
    return read_rows(decode(data, file.name), file.name), hashlib.sha256(data).hexdigest()
