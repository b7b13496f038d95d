"""Rendering results for people and programs: text, aligned tables, JSON, CSV, TSV, Markdown.

Library calls return objects; this module turns them into text at the edge. Nothing here
prints: functions return strings and the CLI decides where they go (stdout for output,
stderr for diagnostics). No ANSI codes are written.

Text for the terminal (tables, ``show``, messages) has its control and bidirectional
characters escaped (:func:`terminal`): a title holding a right-to-left override or an ANSI
escape is shown as ``\\u202e`` / ``\\x1b``, never obeyed. The CSV and TSV that people open in
spreadsheets have their text cells neutralised as OWASP recommends (:func:`neutralise`);
``raw=True`` gives the plain W3C SPARQL results formats.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from claimledger.validation import ValidationReport

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: The statuses a verdict sets (as :data:`claimledger.model.vocab.VERDICTS`).
VERDICT_STATUSES = ("confirmed", "refuted", "mixed", "inconclusive", "retracted")


# -- text that is safe where it lands ------------------------------------------------------

#: Unicode categories escaped in terminal output: controls, format characters (the bidi
#: embeddings, overrides, isolates and marks among them), line and paragraph separators,
#: lone surrogates.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: Format characters that only join or part letters (emoji sequences, Persian, Indic scripts).
_JOINERS = frozenset("\u200c\u200d")


def terminal(text: str, *, keep: str = "") -> str:
    """``text`` with every control, format (bidi) or separator character escaped as ``\\xNN``,
    ``\\uNNNN`` or ``\\UNNNNNNNN``, except those in ``keep`` (the layout's own ``\\n``)."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c in keep or c in _JOINERS or unicodedata.category(c) not in _UNSAFE_CATEGORIES:
            out.append(c)
        else:
            n = ord(c)
            out.append(f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000
                       else f"\\U{n:08x}")
    return "".join(out)


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = frozenset("http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer decimal double float long int short byte nonNegativeInteger positiveInteger "
    "negativeInteger nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte"
).split())
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def neutralise(cell: str, term: object) -> str:
    """A CSV / TSV cell made safe to open in a spreadsheet: a text cell whose value starts
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (as OWASP
    recommends); a number stays a number."""
    value = getattr(term, "value", "")
    if not value.startswith(FORMULA_START):
        return cell
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value in _NUMERIC and _NUMBER_RE.match(value):
        return cell
    return "'" + cell


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


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_width: int = 60,
          width: int | None = None) -> str:
    """An aligned plain-text table; cells longer than ``max_width`` are cut with an ellipsis,
    and, given a total ``width`` (the terminal's), the widest columns are narrowed until the
    table fits (never below a few characters)."""
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if width is not None:
        widths = fit_widths(widths, width)
        cells = [[_cut(c, w) for c, w in zip(row, widths)] for row in cells]
        headers = [_cut(h, w) for h, w in zip(headers, widths)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


#: Narrowest a column is made to fit a table in the terminal.
MIN_COLUMN = 6


def fit_widths(widths: Sequence[int], total: int) -> list[int]:
    """Column widths narrowed, widest first, until the columns and their two-space gaps fit in
    ``total`` characters (or every column is down to :data:`MIN_COLUMN`). The first column —
    the slug that names the row — is narrowed last."""
    out = list(widths)
    room = total - 2 * (len(out) - 1)
    while sum(out) > room:
        rest = [k for k in range(1, len(out)) if out[k] > MIN_COLUMN]
        candidates = rest or ([0] if out and out[0] > MIN_COLUMN else [])
        if not candidates:
            break
        i = max(candidates, key=lambda k: out[k])
        out[i] -= 1
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def _cell(value: object, limit: int) -> str:
    text = "" if value is None else str(value)
    text = terminal(" ".join(text.split()))  # newlines and tabs inside a cell would break the table
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    def esc(v: object) -> str:
        return terminal("" if v is None else " ".join(str(v).split())).replace("|", "\\|")
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


def sparql_csv(columns: Sequence[str], rows: Sequence[Sequence[object]], *,
               raw: bool = False) -> str:
    """SPARQL 1.1 Query Results CSV Format (values only, CRLF line ends); text cells
    neutralised for spreadsheets (:func:`neutralise`) unless ``raw``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if t is None else t.value if raw else neutralise(t.value, t)
                         for t in row])
    return out.getvalue()


def sparql_tsv(columns: Sequence[str], rows: Sequence[Sequence[object]], *,
               raw: bool = False) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in Turtle / N-Triples syntax); cells whose
    value a spreadsheet would run neutralised (:func:`neutralise`) unless ``raw``."""
    lines = ["\t".join(f"?{c}" for c in columns)]
    for row in rows:
        lines.append("\t".join("" if t is None else str(t) if raw else neutralise(str(t), t)
                                for t in row))
    return "\n".join(lines) + "\n"



def sparql_xml(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(c)}/>" for c in columns]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        for name, term in zip(columns, row):
            if term is None:
                continue
            if isinstance(term, NamedNode):
                value = f"<uri>{escape(term.value)}</uri>"
            elif isinstance(term, BlankNode):
                value = f"<bnode>{escape(term.value)}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
            elif term.datatype.value != XSD_STRING:
                value = (f"<literal datatype={quoteattr(term.datatype.value)}>"
                         f"{escape(term.value)}</literal>")
            else:
                value = f"<literal>{escape(term.value)}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def sparql_boolean(value: bool, fmt: str) -> str:
    """An ASK result in the SPARQL results JSON (``json``) or XML (``xml``) format."""
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n")
    return json.dumps({"head": {}, "boolean": bool(value)}) + "\n"

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
    return terminal("\n".join(lines) + "\n", keep="\n")


# -- writes ----------------------------------------------------------------------------------

def write_data(names, result, message: str) -> dict:
    """What a write did, as the JSON object ``--format json`` prints (``names`` is the ledger,
    for slugs)."""
    return {
        "message": message, "event": result.sequence if result.event is not None else None,
        "hash": result.hash,
        "created": names.slug(result.created) if result.created is not None else None,
        "status_changes": [
            {"claim": names.slug(c.claim), "before": c.before, "after": c.after,
             "independent_origins": c.origins_after,
             "confidence_before": c.confidence_before, "confidence_after": c.confidence_after}
            for c in result.status_changes],
        "warnings": [{"focus": names.compact_text(w.focus), "severity": w.severity,
                      "rule": w.rule, "message": w.message,
                      "new": (w.focus, w.rule, w.message) not in result.repeated}
                     for w in result.warnings],
    }


def write_text(names, result, message: str) -> tuple[str, list[str]]:
    """What a write did for a person: the text for stdout, and the warning lines for stderr.

    Only what changed is said: a status that stayed the same is not shown as a change (its
    number of independent origins is), and a warning the touched nodes already had before
    the write is not repeated."""
    data = write_data(names, result, message)
    head, *rest = message.split("\n")  # notes on the lines after the first
    lines = [head + (f" (event {result.sequence})" if result.event is not None else ""), *rest]
    for change, c in zip(result.status_changes, data["status_changes"]):
        n = c["independent_origins"]
        noun = "origin" if n == 1 else "origins"
        if c["before"] != c["after"]:
            lines.append(f"  {c['claim']}: {c['before'] or 'new'} → {c['after']} "
                         f"({n} independent {noun})")
        elif change.origins_before != n:
            lines.append(f"  {c['claim']}: {c['after']}, independent origins "
                         f"{change.origins_before} → {n}")
        else:
            lines.append(f"  {c['claim']}: {c['after']}")
        if c["confidence_after"] is not None:
            why = (f"a claim {c['after']} by its verdict allows no more"
                   if c["after"] in VERDICT_STATUSES else "its sourcing no longer supports more")
            lines.append(f"    confidence lowered {c['confidence_before']} → "
                         f"{c['confidence_after']}: {why}")
    warnings = [terminal(f"warning: [{w['rule']}] {w['message']} ({w['focus']})")
                for w in data["warnings"] if w["new"]]
    return terminal("\n".join(lines) + "\n", keep="\n"), warnings


# -- records ---------------------------------------------------------------------------------

def one_line(text: str) -> str:
    """Text on one line: line breaks shown as ``\\n`` / ``\\r``."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def fields(pairs: Sequence[tuple[str, object]]) -> str:
    """``key: value`` lines, aligned; empty values left out."""
    width = max(len(k) for k, _ in pairs)
    return "".join(f"{key + ':':<{width + 1}} {terminal(one_line(str(value)))}\n"
                   for key, value in pairs if value is not None and value != "")


def claim_text(record, versions=None) -> str:
    """``claim show``: a claim with its status, evidence, verdicts and (given) its history."""
    out = [fields([
        ("claim", record.slug), ("text", record.text),
        ("triple", f"{record.subject} {record.predicate} {record.object}"),
        ("status", record.status), ("independent origins", str(record.independent_origins)),
        ("support origins", ", ".join(record.support_origins) or None),
        ("confidence", record.confidence),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
        ("flags", "; ".join(getattr(record, "flags", ())) or None),
    ])]
    lines: list[str] = []
    if record.evidence:
        lines.append("evidence:")
        for e in record.evidence:
            via = f" via {e.attributed_to}" if e.attributed_to else ""
            state = "" if e.counts else (
                " (does not count" + (f": {e.not_counted}" if getattr(e, "not_counted", None)
                                      else f": retracted — {e.retracted}" if e.retracted
                                      else "") + ")")
            lines.append(f"  {e.id}: {e.stance} — {e.source}{via}; origins: "
                         f"{', '.join(e.origins) or '-'}{state}")
            if e.quote:
                before = getattr(e, "prefix", None)
                after = getattr(e, "suffix", None)
                lines.append(f"      quote: {one_line(e.quote)}")
                if before or after:
                    lines.append(f"      in context: …{one_line(before or '')}[{one_line(e.quote)}]"
                                 f"{one_line(after or '')}…")
                standing = quote_standing(getattr(e, "quote_state", None))
                if standing:
                    lines.append(f"        {standing}")
            if e.locator:
                lines.append(f"      at: {e.locator}")
            if e.credibility:
                lines.append(f"      credibility: {e.credibility}")
    for v in record.verdicts:
        rating = getattr(v, "rating", None)
        on = f"{rating} on {v.scale}'s scale → " if rating and getattr(v, "scale", None) else (
            f"{rating} → " if rating else "")
        state = "" if getattr(v, "in_force", True) else (
            " [withdrawn: " + v.withdrawn + "]" if getattr(v, "withdrawn", None) else " [superseded]")
        lines.append(f"verdict {getattr(v, 'id', '')}: {on}{v.verdict} — {one_line(v.reason or '')} "
                     f"({v.at} by {v.by}){state}".replace("verdict : ", "verdict: "))
        if getattr(v, "evidence", None):
            lines.append(f"      settled by: {', '.join(v.evidence)}")
        if getattr(v, "supersedes", None):
            lines.append(f"      supersedes: {v.supersedes}")
    if versions:
        lines.append("history:")
        for v in versions:
            why = f" — {v.reason}" if v.reason else ""
            lines.append(f"  #{v.sequence} {v.time} {v.agent}: {v.command}{why}")
            lines.append(f"      status {v.status}, confidence {v.confidence}, "
                         f"{v.evidence} piece(s) of evidence")
            lines.extend(f"      {change}" for change in v.changes)
    return out[0] + "".join(terminal(line) + "\n" for line in lines)


def quote_standing(state) -> str | None:
    """One line on how a quote stands against its source's snapshots, or None."""
    if state is None:
        return None
    if state.status == "unverified":
        return "UNVERIFIED: recorded without being found in the source's snapshot"
    at = f" (characters {state.start}–{state.end})" if state.start is not None else ""
    if state.status == "orphaned":
        last = (f"; it last stood in snapshot {state.snapshot[:12]} of {state.retrieved_at}{at}"
                if state.snapshot else "")
        return (f"ORPHANED: not in the page as retrieved {state.orphaned_at} (snapshot "
                f"{(state.orphaned_on or '')[:12]}){last}")
    return f"pinned: snapshot {(state.snapshot or '')[:12]} of {state.retrieved_at}{at}"


def source_text(record) -> str:
    """``source show``: one source."""
    return fields([
        ("source", record.slug), ("title", record.title), ("kind", record.kind),
        ("reliability", record.reliability), ("anonymous", "yes" if record.anonymous else "no"),
        ("justification", record.justification), ("known to", record.known_to),
        ("url", record.url), ("published", record.published),
        ("derived from", ", ".join(record.derived_from) or None),
        ("discredited", record.discredited and
         f"{record.discredited} ({record.discredited_at} by {record.discredited_by})"),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
    ])


def capture_text(result) -> tuple[str, list[str]]:
    """What ``source fetch`` / ``recheck`` recorded: text for stdout, notes for stderr."""
    if result.outcome == "gone":
        return (f"{result.source}: gone — {result.failure} (event {result.event}); its "
                "snapshots are kept\n", [])
    what = {"new": "snapshot kept", "changed": "changed: new snapshot kept beside the old",
            "unchanged": "unchanged since the last capture"}.get(result.outcome or "", "")
    lines = [f"{result.source}: {what} (event {result.event})"]
    lines.append(fields([
        ("  url", result.url), ("  status", result.status), ("  content type", result.content_type),
        ("  retrieved", result.retrieved_at), ("  sha256", result.sha256),
        ("  size", f"{result.size:,} bytes" if result.size is not None else None),
        ("  redirects", result.redirects or None),
        ("  title", result.title), ("  published", result.published),
        ("  file", result.snapshot_file),
        ("  text", f"{result.text_length:,} characters ({result.extractor})"
         if result.text_length is not None else "none (no text in this media type)"),
    ]).rstrip("\n"))
    notes = []
    for a in result.anchors:
        if a.status == "found":
            lines.append(f"  quote of {a.evidence} ({a.claim}): found (characters {a.start}–{a.end})")
        elif a.status == "unverified":
            lines.append(f"  quote of {a.evidence} ({a.claim}): not in the page; marked unverified")
        else:
            lines.append(f"  quote of {a.evidence} ({a.claim}): ORPHANED — not in the new snapshot")
            if a.hint:
                notes.append(f"hint for {a.evidence}: the closest passage "
                             f"({a.similarity:.0%} alike) reads «{a.hint}» — not recorded as "
                             "its anchor")
    return "\n".join(lines) + "\n", notes
# -- verdict scales --------------------------------------------------------------------------

def scale_data(scale) -> dict:
    """A verdict scale as ``scale list`` / ``scale show --format json`` print it."""
    return {"name": scale.name, "iri": scale.iri, "label": scale.label,
            "builtin": scale.builtin, "default": scale.default,
            "best": scale.best, "worst": scale.worst,
            "ratings": [{"iri": r.iri, "label": r.label, "notation": r.notation,
                         "value": r.value, "labels": list(r.labels),
                         "normalised": r.normalised, "status": r.status}
                        for r in scale.ratings]}


# -- report tables as the table shows them, for scripts and spreadsheets ---------------------

def delimited(headers: Sequence[str], rows: Sequence[Sequence[object]], *, sep: str = ",",
              raw: bool = False) -> str:
    """The table's columns and cells (slugs, not IRIs) as CSV (``sep=","``, CRLF line ends,
    RFC 4180) or TSV (``sep="\\t"``); a cell a spreadsheet would run as a formula is
    neutralised (a leading ``'``, numbers left alone) unless ``raw``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n" if sep == "," else "\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else str(v) if raw else _neutral_cell(str(v))
                         for v in row])
    return out.getvalue()


def _neutral_cell(cell: str) -> str:
    """A table cell (already shown as text) neutralised as :func:`neutralise` does: one that
    starts like a formula gets a leading ``'`` unless it reads as a number."""
    if cell.startswith(FORMULA_START) and not _NUMBER_RE.match(cell):
        return "'" + cell
    return cell


def records(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The table as a JSON array of objects, one per row, keyed by the table's columns."""
    return to_json([dict(zip(headers, row)) for row in rows])


# -- cases -----------------------------------------------------------------------------------

def case_text(record, claims) -> str:
    """``case show``: the case, its claims' status summary, its claims and sources."""
    counts = ", ".join(f"{n} {status}" for status, n in record.statuses.items() if n)
    head = fields([
        ("case", record.slug), ("title", record.title), ("description", record.description),
        ("claims", f"{len(record.claims)}" + (f" ({counts})" if counts else "")),
        ("sources", ", ".join(record.sources) or "none"),
        ("opened", f"{record.recorded_at} by {record.recorded_by}"),
    ])
    if not claims:
        return head
    rows = [[c.slug, c.status, c.confidence, c.independent_origins, c.text] for c in claims]
    return head + "\n" + table(["claim", "status", "confidence", "origins", "text"], rows)


#: The file formats a report is written in, by the name ``report --format`` and the web page's
#: ``format=`` take: ``csv``, ``tsv`` and ``json`` are the report's table (slugs and CURIEs,
#: parameter columns left out; ``json`` one object per row); the ``sparql-`` ones are the W3C
#: SPARQL results formats (every projected variable, full IRIs).
REPORT_FILES = {"csv": "text/csv", "tsv": "text/tab-separated-values",
                "json": "application/json", "sparql-csv": "text/csv",
                "sparql-tsv": "text/tab-separated-values",
                "sparql-json": "application/sparql-results+json"}

_NUMBERS = {"http://www.w3.org/2001/XMLSchema#integer": int,
            "http://www.w3.org/2001/XMLSchema#decimal": float,
            "http://www.w3.org/2001/XMLSchema#double": float}


def report_file(names, result, fmt: str, *, raw: bool = False) -> str:
    """A report's SELECT ``result`` as a file in ``fmt`` (one of :data:`REPORT_FILES`).

    ``names`` compacts IRIs (a :class:`~claimledger.core.ledger.Ledger`). CSV and TSV cells a
    spreadsheet would run as formulas are neutralised unless ``raw``.
    """
    if fmt.startswith("sparql-"):
        name = fmt.removeprefix("sparql-")
        if name == "json":
            return sparql_json(result.columns, result.rows)
        writer = sparql_csv if name == "csv" else sparql_tsv
        return writer(result.columns, result.rows, raw=raw)
    keep = [i for i, c in enumerate(result.columns) if c not in result.hidden]
    headers = [result.columns[i] for i in keep]
    if fmt == "json":
        return records(headers, [[_json_cell(names, row[i]) for i in keep] for row in result.rows])
    rows = [[None if row[i] is None else names.compact(row[i]) for i in keep]
            for row in result.rows]
    return delimited(headers, rows, sep="," if fmt == "csv" else "\t", raw=raw)


def _json_cell(names, term):
    """A cell for JSON: a slug or CURIE for an IRI, a number for a number, else the text."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value in _NUMBERS:
        try:
            return _NUMBERS[datatype.value](term.value)
        except ValueError:
            return term.value
    if datatype is not None and datatype.value.endswith("#boolean"):
        return term.value == "true"
    return names.compact(term)
