"""Running a user's own SPARQL query, read-only, on the ledger's engine.

SELECT, ASK, CONSTRUCT and DESCRIBE are allowed; SPARQL Update is refused, because writes go
through the recording commands where the sourcing rules and the audit trail apply. The
ledger's prefixes (``cl:``, ``prov:``, your own) are predeclared.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from pyoxigraph import QueryBoolean, QueryTriples, RdfFormat, Triple

from claimledger.errors import InputError
from claimledger.ledger import Ledger
from claimledger.reports import Table, to_table

_UPDATE_RE = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)
#: The SERVICE keyword (not a variable or a prefixed name that happens to be spelled so).
_SERVICE_RE = re.compile(r"(?<![?$:\w])SERVICE\b", re.IGNORECASE)


def run_user_query(ledger: Ledger, text: str) -> Table | bool | list[Triple]:
    """Run ``text`` as a SPARQL query.

    :returns: a :class:`Table` for SELECT, a bool for ASK, triples for CONSTRUCT / DESCRIBE.
    :raises InputError: for a syntax error or an update.
    """
    body = _strip_comments_and_strings(text)
    if _UPDATE_RE.search(body):
        raise InputError("SPARQL Update is not allowed here: record changes with the claimledger "
                         "commands, so that the sourcing rules and the audit trail apply",
                         argument="FILE")
    if _SERVICE_RE.search(body):
        raise InputError("SERVICE is not allowed here: a query on the ledger never reaches out to "
                         "other endpoints over the network", argument="FILE")
    prolog = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in sorted(ledger.prefixes.items()))
    result = ledger.store.query(prolog + text)
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QueryTriples):
        return list(result)
    return to_table(result)


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


def _strip_comments_and_strings(text: str) -> str:
    """The query with string literals, IRIs and comments blanked out, to look for keywords."""
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'', '""', text)
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)
