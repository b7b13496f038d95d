"""Running a user's own SPARQL query, read-only, on the ledger's engine.

SELECT, ASK, CONSTRUCT and DESCRIBE are allowed; SPARQL Update is refused, because writes go
through the recording commands where the sourcing rules and the audit trail apply. The
ledger's prefixes (``cl:``, ``prov:``, your own) are predeclared. ``SERVICE`` (federated
query) is refused too: a query on the ledger never reaches out to the network. Both are
decided on the query's tokens (:func:`claimledger.model.sparql.check_query`), and what runs
is the checked text with its comments blanked out.

A query runs in a worker process of its own (:mod:`claimledger.query.worker`), with a time
and a memory limit: one that runs over is killed and reported (exit 2), and because the
worker holds the ledger's read lock, killing it frees the ledger for writers at once.
:func:`run_on` is the part the worker runs, on a ledger it opened itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO

import pyoxigraph as ox
from pyoxigraph import RdfFormat, Triple

from claimledger.core.ledger import LedgerCore
from claimledger.core.naming import Naming
from claimledger.errors import InputError
from claimledger.model import sparql
from claimledger.query.reports import Table, to_table

#: Largest query text read (a query file, or standard input).
MAX_QUERY_BYTES = 1024 * 1024
_ERROR_AT_RE = re.compile(r"error at 1:(\d+)")

Result = Table | bool | list[Triple]


@dataclass
class Names(Naming):
    """A ledger's base and prefixes, without its store: enough to show terms the way the
    ledger's users type them (:meth:`~claimledger.core.naming.Naming.compact`)."""

    base: str
    prefixes: dict[str, str] = field(default_factory=dict)
    store: object = None


@dataclass
class QueryResult:
    """What a user's query returned: its form (``SELECT``, ``ASK``, ``CONSTRUCT``,
    ``DESCRIBE``), the value (a :class:`Table`, a bool, or triples), and the ledger's names."""

    form: str
    value: Result
    names: Names


def read_query(source: str | os.PathLike[str] | BinaryIO, *, max_bytes: int = MAX_QUERY_BYTES,
               argument: str = "FILE") -> str:
    """The text of a query file (or of a binary stream such as standard input), at most
    ``max_bytes`` long, decoded as UTF-8; a byte order mark at the start is dropped.

    :raises InputError: if it cannot be read, is too long, or is not UTF-8.
    """
    try:
        if hasattr(source, "read"):
            data = source.read(max_bytes + 1)
        else:
            with open(source, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(source)!r}: {exc.strerror or exc}",
                         argument=argument) from None
    if len(data) > max_bytes:
        raise InputError(f"the query is over {max_bytes:,} bytes; claimledger reads no more",
                         argument=argument)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the query is not UTF-8 text (byte {exc.start}: "
                         f"{data[exc.start:exc.start + 1]!r})", argument=argument) from None


def check(text: str) -> sparql.CheckedQuery:
    """Check a user's query before anything runs it: it lexes as SPARQL 1.1, is a query
    (SELECT, ASK, CONSTRUCT or DESCRIBE), no update, and never names SERVICE.

    :raises InputError: naming FILE and, for a syntax error, the place.
    """
    checked = sparql.check_query(text, argument="FILE")
    if checked.form is None:
        raise InputError("not a SPARQL query: after its PREFIX and BASE lines it must start "
                         "with SELECT, ASK, CONSTRUCT or DESCRIBE", argument="FILE")
    return checked


def run_on(ledger: LedgerCore, text: str) -> QueryResult:
    """Run ``text`` as a query on an open ``ledger``, in this process (no limits: the worker
    calls this; use :func:`claimledger.query.worker.run_user_query`).

    :raises InputError: for a bad query.
    :raises LedgerError: if the engine fails while computing the results.
    """
    check(text)
    # The ledger's prefixes go on the query's first line, so that a syntax error's line
    # numbers are the user's own.
    prolog = sparql.prologue(ledger.prefixes)
    checked = check(prolog + text)
    try:
        result = ledger.store.query(checked.text)
        if checked.form == "ASK":
            value: Result = bool(result)
        elif checked.form in ("CONSTRUCT", "DESCRIBE"):
            value = list(result)
        else:
            value = to_table(result)
    except InputError as exc:
        message = _ERROR_AT_RE.sub(
            lambda m: f"error at 1:{max(1, int(m.group(1)) - len(prolog))}", exc.message)
        raise InputError(message, argument="FILE") from None
    return QueryResult(checked.form, value, Names(ledger.base, dict(ledger.prefixes)))


def serialize_triples(triples: list[Triple], fmt: str, prefixes: dict[str, str]) -> str:
    """CONSTRUCT results as Turtle, TriG or N-Quads."""
    formats = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}
    if fmt not in formats:
        raise InputError(f"--format {fmt} is for SELECT results; use turtle, trig or nquads "
                         "for CONSTRUCT", argument="--format")
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    rdf_format = formats[fmt]
    data = ox.serialize(quads if fmt != "turtle" else triples, format=rdf_format,
                        prefixes=prefixes if fmt != "nquads" else None)
    return data.decode("utf-8")
