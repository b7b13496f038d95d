"""Running a user's SPARQL query where it can be stopped, for the web page's ``/sparql``.

The query is run by the library (:func:`claimledger.query.worker.run_user_query`): the same
check that refuses Update and SERVICE as ``claimledger query`` does, the same worker process
with a time and a memory limit (:mod:`claimledger.query.worker`: a runaway query is killed, and
its shared lock goes with it). This module turns the result into the answer the endpoint sends,
in the format the client asked for (:mod:`claimledger.render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimledger import render
from claimledger.errors import InputError
from claimledger.query.user import serialize_triples
from claimledger.query.worker import QueryTimeout, run_user_query

__all__ = ["GRAPH_TYPES", "SELECT_TYPES", "Answer", "QueryTimeout", "message", "run_query"]

#: Longest answer a query may send back, in bytes.
MAX_BODY = 64 * 1024 * 1024

SELECT_TYPES = {"json": "application/sparql-results+json",
                "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "trig": "application/trig",
               "nquads": "application/n-quads"}


@dataclass
class Answer:
    """A query's result, serialised: what it was (``select``, ``ask``, ``graph``) and its body."""

    kind: str
    mimetype: str
    body: str


def run_query(ledger_dir: Path, text: str, *, wait: float, timeout: float,
              select_format: str = "json", graph_format: str = "turtle") -> Answer:
    """Run ``text`` on the ledger in ``ledger_dir`` within ``timeout`` s once the ledger is
    open (opening waits up to ``wait`` s for the lock, as the CLI does).

    :raises InputError: for a syntax error, an update or SERVICE (the library's messages), or
        an answer too big to send.
    :raises QueryTimeout: when the limit is reached (the worker is killed).
    :raises LedgerError: if the worker failed.
    :raises LedgerBusy: when the ledger stays locked past ``wait``.
    """
    result = run_user_query(ledger_dir, text, timeout=timeout, wait=wait)
    value = result.value
    if isinstance(value, bool):
        fmt = "xml" if select_format == "xml" else "json"
        answer = Answer("ask", SELECT_TYPES[fmt], render.sparql_boolean(value, fmt))
    elif isinstance(value, list):
        answer = Answer("graph", GRAPH_TYPES[graph_format],
                        serialize_triples(value, graph_format, result.names.prefixes))
    else:
        fn = {"json": render.sparql_json, "xml": render.sparql_xml,
              "csv": render.sparql_csv, "tsv": render.sparql_tsv}[select_format]
        answer = Answer("select", SELECT_TYPES[select_format], fn(value.columns, value.rows))
    if len(answer.body) > MAX_BODY:
        raise InputError(f"the answer is over {MAX_BODY // 2**20} MiB; ask for fewer rows (LIMIT)")
    return answer


def message(exc) -> str:
    """An error's message for the page: without the CLI's name for the query (``FILE: ``)."""
    argument = getattr(exc, "argument", None)
    text = exc.message
    return text[len(argument) + 2:] if argument and text.startswith(f"{argument}: ") else text
