"""Running a user's own SPARQL query, read-only, on the ledger's engine.

SELECT, ASK, CONSTRUCT and DESCRIBE are allowed; SPARQL Update is refused, because writes go
through the recording commands where the sourcing rules and the audit trail apply. The
ledger's prefixes (``cl:``, ``prov:``, your own) are predeclared. ``SERVICE`` (federated
query) is refused too: a query on the ledger never reaches out to the network.

Two locks keep a query from writing: the text is checked here, so that an update gets a clear
message, and the store's query entry point only parses queries — an update that slipped past
the check would still be a syntax error there, never executed.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from pyoxigraph import RdfFormat, Triple

from claimledger.errors import InputError
from claimledger.core.ledger import LedgerCore
from claimledger.query.reports import Table, to_table

#: The words an update operation starts with (SPARQL 1.1 Update, section 3).
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                   "WITH")
_PROLOGUE_RE = re.compile(r"\s*(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)", re.IGNORECASE)
_FIRST_WORD_RE = re.compile(r"\s*([A-Za-z]+)")
# SERVICE as a keyword, not inside a variable (?service), a prefixed name or a longer word.
_SERVICE_RE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_ERROR_AT_RE = re.compile(r"error at 1:(\d+)")


def run_user_query(ledger: LedgerCore, text: str) -> Table | bool | list[Triple]:
    """Run ``text`` as a SPARQL query.

    :returns: a :class:`Table` for SELECT, a bool for ASK, triples for CONSTRUCT / DESCRIBE.
    :raises InputError: for a syntax error, an update, or a federated (SERVICE) query.
    """
    check_read_only(text)
    # The ledger's prefixes go on the query's first line, so that a syntax error's line
    # numbers are the user's own.
    prolog = " ".join(f"PREFIX {name}: <{ns}>" for name, ns in sorted(ledger.prefixes.items())
                      ) + " "
    try:
        result = ledger.store.query(prolog + text)
        if isinstance(result, (bool, list)):
            return result
        return to_table(result)
    except InputError as exc:
        message = _ERROR_AT_RE.sub(
            lambda m: f"error at 1:{max(1, int(m.group(1)) - len(prolog))}", exc.message)
        raise InputError(message, argument="FILE") from None


def check_read_only(text: str) -> None:
    """Refuse SPARQL Update and SERVICE with a message that says why.

    :raises InputError: naming FILE.
    """
    body = _strip_comments_and_strings(text).lstrip("\ufeff")
    while True:
        m = _PROLOGUE_RE.match(body)
        if not m:
            break
        body = body[m.end():]
    first = _FIRST_WORD_RE.match(body)
    if first and first.group(1).upper() in UPDATE_KEYWORDS:
        raise InputError("SPARQL Update is not allowed here: record changes with the claimledger "
                         "commands, so that the sourcing rules and the audit trail apply",
                         argument="FILE")
    if _SERVICE_RE.search(body):
        raise InputError("SERVICE (federated query) is not allowed here: a query on the ledger "
                         "never reaches out to the network", argument="FILE")


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

