"""Tables for people and spreadsheets: aligned plain text fitted to the terminal, Markdown,
CSV / TSV with neutralised cells, JSON records."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from claimledger.render.text import neutralise_text, terminal, to_json


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


def delimited(headers: Sequence[str], rows: Sequence[Sequence[object]], *, sep: str = ",",
              raw: bool = False) -> str:
    """The table's columns and cells (slugs, not IRIs) as CSV (``sep=","``, CRLF line ends,
    RFC 4180) or TSV (``sep="\\t"``); a cell a spreadsheet would run as a formula is
    neutralised (a leading ``'``, numbers left alone) unless ``raw``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n" if sep == "," else "\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else str(v) if raw else neutralise_text(str(v))
                         for v in row])
    return out.getvalue()


def records(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The table as a JSON array of objects, one per row, keyed by the table's columns."""
    return to_json([dict(zip(headers, row)) for row in rows])
