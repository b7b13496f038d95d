"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the ledger.

GET ``?query=…``, POST ``application/x-www-form-urlencoded`` (``query=…``) or POST
``application/sparql-query``. SELECT and ASK answer in the W3C results formats — JSON, XML,
CSV, TSV — by content negotiation (or ``format=json|xml|csv|tsv``); CONSTRUCT and DESCRIBE in
Turtle (or TriG, N-Quads). Update and SERVICE are refused exactly as ``claimledger query``
refuses them (the same library function decides); ``update=…`` and ``application/sparql-update``
are refused before anything runs; ``default-graph-uri`` / ``named-graph-uri`` are not
supported (the ledger's dataset is fixed). Each query runs in a worker with a time limit
(:mod:`claimledger.web.limits`). A browser asking for HTML gets a page with a query form.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from claimledger.errors import ClaimLedgerError, LedgerBusy
from claimledger.web.auth import config
from claimledger.web.limits import GRAPH_TYPES, SELECT_TYPES, QueryTimeout, message, run_query

bp = Blueprint("sparql", __name__)

EXAMPLE = """SELECT ?claim ?status WHERE {
  ?claim a cl:Claim ; cl:status ?status .
} LIMIT 20"""


def _problem(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


def _formats() -> tuple[str, str, bool] | None:
    """(SELECT format, CONSTRUCT format, whether the asker wants HTML), or None (406)."""
    chosen = request.values.get("format", "")
    if chosen in SELECT_TYPES:
        return chosen, "turtle", False
    if chosen in GRAPH_TYPES:
        return "json", chosen, False
    if chosen == "html":
        return "json", "turtle", True
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return "json", "turtle", False
    by_type = {v: k for k, v in SELECT_TYPES.items()} | {"application/json": "json",
                                                          "text/plain": "tsv"}
    graph_by_type = {v: k for k, v in GRAPH_TYPES.items()} | {"application/n-triples": "nquads",
                                                               "application/x-turtle": "turtle"}
    html = accept.best_match(["text/html"] + list(by_type) + list(graph_by_type)) == "text/html"
    select = accept.best_match(list(by_type))
    graph = accept.best_match(list(graph_by_type))
    if select is None and graph is None and not html:
        return None
    return by_type.get(select, "json"), graph_by_type.get(graph, "turtle"), html


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    cfg = config()
    if request.method == "POST":
        kind = request.mimetype
        if kind == "application/sparql-update" or "update" in request.form:
            return _problem(400, "SPARQL Update is not allowed here: record changes through "
                                 "the forms or the claimledger commands, so that the sourcing "
                                 "rules and the audit trail apply")
        if kind == "application/sparql-query":
            text = request.get_data(as_text=True)
        elif kind == "application/x-www-form-urlencoded":
            text = request.form.get("query")
        else:
            return _problem(415, "send the query as application/sparql-query or as a form "
                                 "field 'query' (application/x-www-form-urlencoded)")
    else:
        if "update" in request.args:
            return _problem(400, "SPARQL Update is not allowed here")
        text = request.args.get("query")
    if any(k in request.values for k in ("default-graph-uri", "named-graph-uri",
                                         "using-graph-uri", "using-named-graph-uri")):
        return _problem(400, "default-graph-uri and named-graph-uri are not supported: the "
                             "dataset is the ledger (its state in the default graph, the audit "
                             "trail in named graphs)")
    formats = _formats()
    if text is None:
        return render_template("sparql.html", query=EXAMPLE, answer=None, error=None)
    if formats is None:
        return _problem(406, "ask for one of: " + ", ".join(list(SELECT_TYPES.values())
                                                            + list(GRAPH_TYPES.values())))
    select_format, graph_format, html = formats
    try:
        answer = run_query(cfg.ledger, text, wait=cfg.wait, timeout=cfg.query_timeout,
                           select_format="json" if html else select_format,
                           graph_format=graph_format)
    except (QueryTimeout, LedgerBusy) as exc:
        return _html_or_text(html, text, 503, message(exc))
    except ClaimLedgerError as exc:
        return _html_or_text(html, text, 400 if exc.exit_code == 2 else 500, message(exc))
    if html:
        shown = json.loads(answer.body) if answer.kind != "graph" else None
        return render_template("sparql.html", query=text, answer=answer, shown=shown,
                               error=None)
    return Response(answer.body, mimetype=answer.mimetype,
                    headers={"Vary": "Accept"})


def _html_or_text(html: bool, text: str, status: int, message: str):
    if html:
        return render_template("sparql.html", query=text, answer=None, error=message), status
    return _problem(status, message)
