"""Rendering results for people and programs: text, aligned tables, JSON, CSV, TSV, Markdown.

Library calls return objects; this package turns them into text at the edge. Nothing here
prints: functions return strings and the CLI and the web page decide where they go (stdout for
output, stderr for diagnostics). No ANSI codes are written.

* :mod:`.text` — text that is safe where it lands: terminal output has its control and
  bidirectional characters escaped (:func:`terminal`: a title holding a right-to-left override
  or an ANSI escape is shown as ``\\u202e`` / ``\\x1b``, never obeyed); CSV and TSV cells a
  spreadsheet would run as formulas are neutralised as OWASP recommends (:func:`neutralise`;
  ``raw=True`` gives the plain W3C formats);
* :mod:`.tables` — aligned tables fitted to the terminal, Markdown, CSV / TSV, JSON records;
* :mod:`.results` — the W3C SPARQL results formats and a report's files (:func:`report_file`);
* :mod:`.views` — what a command shows of a write, a validation report, a claim, a source…
"""

from claimledger.render.results import (
    REPORT_FILES,
    XSD_STRING,
    report_file,
    sparql_boolean,
    sparql_csv,
    sparql_json,
    sparql_tsv,
    sparql_xml,
)
from claimledger.render.tables import (
    MIN_COLUMN,
    delimited,
    fit_widths,
    markdown,
    records,
    table,
)
from claimledger.render.text import (
    FORMULA_START,
    fields,
    neutralise,
    neutralise_text,
    one_line,
    terminal,
    to_json,
)
from claimledger.render.views import (
    VERDICT_STATUSES,
    capture_text,
    case_text,
    claim_text,
    quote_standing,
    scale_data,
    source_text,
    validation_text,
    write_data,
    write_text,
)

__all__ = [
    "FORMULA_START",
    "MIN_COLUMN",
    "REPORT_FILES",
    "VERDICT_STATUSES",
    "XSD_STRING",
    "capture_text",
    "case_text",
    "claim_text",
    "delimited",
    "fields",
    "fit_widths",
    "markdown",
    "neutralise",
    "neutralise_text",
    "one_line",
    "quote_standing",
    "records",
    "report_file",
    "scale_data",
    "source_text",
    "sparql_boolean",
    "sparql_csv",
    "sparql_json",
    "sparql_tsv",
    "sparql_xml",
    "table",
    "terminal",
    "to_json",
    "validation_text",
    "write_data",
    "write_text",
]
