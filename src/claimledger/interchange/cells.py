"""Spreadsheet cells that cannot run as formulas, and back: one rule for every CSV claimledger
writes or reads.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some also one
that starts with a tab or a carriage return) as a formula: ``=HYPERLINK("https://…")`` in a
quote would become a live link, and worse (CSV injection, as OWASP names it). A text cell that
starts so is written with a leading apostrophe, which spreadsheets read as "this is text" and
do not show. Numbers stay numbers (``-5``, ``+1.5e3``). So that reading a file back gives
exactly what was written, a cell that already starts with an apostrophe gets one more, and
:func:`restore` takes exactly one leading apostrophe off:

>>> neutralise('=HYPERLINK("x")'), neutralise("-5"), neutralise("'quoted"), neutralise("plain")
('\\'=HYPERLINK("x")', '-5', "''quoted", 'plain')
>>> all(restore(neutralise(v)) == v for v in ["=1+1", "-5", "'", "''x", "@a", "\\tx", "ok", ""])
True

(The report CSVs of the hardening issue should use these two functions too, so that there is
one rule.)
"""

from __future__ import annotations

import re

#: First characters a spreadsheet may read as the start of a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Plain decimal numbers, which spreadsheets read as numbers, not formulas.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z", re.ASCII)


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula (see the module doc)."""
    if text.startswith("'") or (text.startswith(TRIGGERS) and not _NUMBER.match(text)):
        return "'" + text
    return text


def restore(cell: str) -> str:
    """The text a cell written by :func:`neutralise` (or typed into a spreadsheet with a
    leading apostrophe) stands for: one leading apostrophe removed."""
    return cell[1:] if cell.startswith("'") else cell
