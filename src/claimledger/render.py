"""Rendering results for people and programs: text, aligned tables, JSON, CSV, TSV, Markdown.

Library calls return objects; this module turns them into text at the edge. Nothing here
prints: functions return strings and the CLI decides where they go (stdout for output,
stderr for diagnostics). No ANSI codes are written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from claimledger.validation import ValidationReport

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_json(value: object) -> str:
    """Dataclasses, lists and dicts as indented JSON."""
    return json.dumps(_plain(value), indent=2, ensure_ascii=False) + "\n"


def _plain(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (NamedNode, Literal, BlankNode)):
        return value.value
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_width: int = 60) -> str:
    """An aligned plain-text table; cells longer than ``max_width`` are cut with an ellipsis."""
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _cell(value: object, limit: int) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # newlines and tabs inside a cell would break the table
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    def esc(v: object) -> str:
        return ("" if v is None else " ".join(str(v).split())).replace("|", "\\|")
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# -- W3C SPARQL 1.1 query results formats --------------------------------------------------

def sparql_json(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    bindings = []
    for row in rows:
        b = {}
        for name, term in zip(columns, row):
            if term is None:
                continue
            if isinstance(term, NamedNode):
                b[name] = {"type": "uri", "value": term.value}
            elif isinstance(term, BlankNode):
                b[name] = {"type": "bnode", "value": term.value}
            else:
                entry = {"type": "literal", "value": term.value}
                if term.language:
                    entry["xml:lang"] = term.language
                elif term.datatype.value != XSD_STRING:
                    entry["datatype"] = term.datatype.value
                b[name] = entry
        bindings.append(b)
    return json.dumps({"head": {"vars": list(columns)}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"


def sparql_csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """SPARQL 1.1 Query Results CSV Format (values only, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if t is None else t.value for t in row])
    return out.getvalue()


def sparql_tsv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in Turtle / N-Triples syntax)."""
    lines = ["\t".join(f"?{c}" for c in columns)]
    for row in rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


# -- validation reports ----------------------------------------------------------------------

def validation_text(report: ValidationReport, short) -> str:
    """Results grouped by focus node, most severe first, one line per rule."""
    if not report.results:
        return "no results: the ledger satisfies every rule checked\n"
    lines: list[str] = []
    current = None
    for r in report.sorted().results:
        if r.focus != current:
            current = r.focus
            lines.append(short(r.focus))
        value = f" [{short(r.value)}]" if r.value and r.value != r.focus else ""
        lines.append(f"  {r.severity:<9} {r.rule}: {r.message}{value}")
    counts = {s: sum(1 for r in report.results if r.severity == s)
              for s in ("Violation", "Warning", "Info")}
    lines.append("")
    lines.append(f"{counts['Violation']} violation(s), {counts['Warning']} warning(s), "
                 f"{counts['Info']} info")
    return "\n".join(lines) + "\n"
