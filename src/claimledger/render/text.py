"""Text that is safe where it lands: terminal output with its control and bidirectional
characters escaped (:func:`terminal`), CSV/TSV cells a spreadsheet would run as formulas
neutralised as OWASP recommends (:func:`neutralise`), JSON of library objects."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

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


def neutralise_text(cell: str) -> str:
    """A table cell (already shown as text) neutralised as :func:`neutralise` does: one that
    starts like a formula gets a leading ``'`` unless it reads as a number."""
    if cell.startswith(FORMULA_START) and not _NUMBER_RE.match(cell):
        return "'" + cell
    return cell


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


def one_line(text: str) -> str:
    """Text on one line: line breaks shown as ``\\n`` / ``\\r``."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def fields(pairs: Sequence[tuple[str, object]]) -> str:
    """``key: value`` lines, aligned; empty values left out."""
    width = max(len(k) for k, _ in pairs)
    return "".join(f"{key + ':':<{width + 1}} {terminal(one_line(str(value)))}\n"
                   for key, value in pairs if value is not None and value != "")
