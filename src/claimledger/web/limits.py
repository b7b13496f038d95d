"""Running a user's SPARQL query where it can be stopped: a worker process with a time limit.

The query itself is run by the library (:func:`claimledger.query.user.run_user_query`: the
same check that refuses Update and SERVICE as ``claimledger query`` does, the same engine);
this module only contains it. The worker opens the ledger read-only, runs the query,
serialises the result (:mod:`claimledger.render`, :func:`~claimledger.query.user.serialize_triples`)
and sends it back. A worker still running at the limit is killed: its shared lock goes with
it (the kernel releases it), so a runaway query holds writers off for at most the limit, and
an engine crash ends only the worker. Workers are forked from a small fork server started
once, so each query costs a fork, not a new interpreter.
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from pathlib import Path

from claimledger.errors import ClaimLedgerError, InputError, LedgerBusy, LedgerError

#: Longest answer a query may send back, in bytes.
MAX_BODY = 64 * 1024 * 1024

SELECT_TYPES = {"json": "application/sparql-results+json",
                "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "trig": "application/trig",
               "nquads": "application/n-quads"}


class QueryTimeout(InputError):
    """The query ran longer than its limit and was stopped."""


@dataclass
class Answer:
    """A query's result, serialised: what it was (``select``, ``ask``, ``graph``) and its body."""

    kind: str
    mimetype: str
    body: str


_lock = threading.Lock()
_context = None


def _ctx():
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["claimledger.ledger", "claimledger.query.user",
                                        "claimledger.render"])
            _context = ctx
    return _context


def run_query(ledger_dir: Path, text: str, *, wait: float, timeout: float,
              select_format: str = "json", graph_format: str = "turtle") -> Answer:
    """Run ``text`` on the ledger in ``ledger_dir`` in a worker, for at most ``timeout`` s
    once the ledger is open (opening waits up to ``wait`` s for the lock, as the CLI does).

    :raises InputError: for a syntax error, an update or SERVICE (the library's messages).
    :raises QueryTimeout: when the limit is reached (the worker is killed).
    :raises LedgerBusy: when the ledger stays locked past ``wait``.
    """
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(str(ledger_dir), text, wait, select_format,
                                             graph_format, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(wait + 10):
            raise LedgerBusy(f"the ledger stayed busy for {wait:g} s")
        message = _receive(receiver)
        if message[0] == "open":
            if not receiver.poll(timeout):
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped "
                                   "(the server's --query-timeout)", argument="query")
            message = _receive(receiver)
        if message[0] == "ok":
            return Answer(*message[1:])
        _, kind, text_, _code = message
        error = {"InputError": InputError, "NotFoundError": InputError,
                 "LedgerBusy": LedgerBusy}.get(kind, LedgerError)
        raise error(text_)
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(5)
        receiver.close()


def _receive(receiver):
    try:
        return receiver.recv()
    except EOFError:  # the worker died without a word: the engine crashed on the query
        raise LedgerError("the query stopped the query engine (the worker ended without an "
                          "answer); nothing was changed") from None


def _work(path: str, text: str, wait: float, select_format: str, graph_format: str,
          conn) -> None:
    try:
        from claimledger import render
        from claimledger.ledger import Ledger
        from claimledger.query.user import run_user_query, serialize_triples

        with Ledger.open(path, timeout=wait) as ledger:
            conn.send(("open",))
            result = run_user_query(ledger, text)
            if isinstance(result, bool):
                fmt = "xml" if select_format == "xml" else "json"
                answer = ("ask", SELECT_TYPES[fmt], render.sparql_boolean(result, fmt))
            elif isinstance(result, list):
                answer = ("graph", GRAPH_TYPES[graph_format],
                          serialize_triples(result, graph_format, ledger.prefixes))
            else:
                fn = {"json": render.sparql_json, "xml": render.sparql_xml,
                      "csv": render.sparql_csv, "tsv": render.sparql_tsv}[select_format]
                answer = ("select", SELECT_TYPES[select_format], fn(result.columns, result.rows))
        if len(answer[2]) > MAX_BODY:
            conn.send(("error", "InputError", f"the answer is over {MAX_BODY // 2**20} MiB; "
                       "ask for fewer rows (LIMIT)", 2))
        else:
            conn.send(("ok",) + answer)
    except ClaimLedgerError as exc:
        message, argument = exc.message, getattr(exc, "argument", None)
        if argument and message.startswith(f"{argument}: "):  # FILE is the CLI's name for it
            message = message[len(argument) + 2:]
        conn.send(("error", type(exc).__name__, message, exc.exit_code))
    except Exception as exc:  # a bug: the parent reports it without a traceback
        conn.send(("error", "internal", f"internal error: {type(exc).__name__}", 3))
    finally:
        conn.close()
