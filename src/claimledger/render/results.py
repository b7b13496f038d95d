"""The W3C SPARQL 1.1 query results formats (JSON, CSV, TSV, XML), and a report's files in
every format ``report --format`` and the web page's downloads offer (:func:`report_file`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pyoxigraph import BlankNode, NamedNode

from claimledger.render.tables import delimited, records
from claimledger.render.text import neutralise

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
