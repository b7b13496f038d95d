"""Prefixes: the short names a ledger's users type in CURIEs (``ex:Taliban``), declared in the
ledger itself with SHACL's ``sh:declare`` so that its queries and exports use them too."""

from __future__ import annotations

from pyoxigraph import Literal

from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ConflictError, InputError
from claimledger.model import sparql, terms
from claimledger.model import vocab as V


def add_prefix(ledger: LedgerCore, name: str, namespace: str, *, reason: str | None = None
               ) -> WriteResult:
    """Declare ``name:`` as a prefix for ``namespace`` in this ledger (``sh:declare``).

    :raises InputError: for a bad name or IRI, or a name the ledger already uses.
    """
    if not terms.PREFIX_NAME_RE.match(name or ""):
        raise InputError(f"{name!r} is not a valid prefix name (a letter, then letters, "
                         "digits, '-' or '_')", argument="NAME")
    sparql.check_prefix_name(name, argument="NAME")  # it goes into every query's prologue
    terms.check_iri(namespace, argument="IRI")
    if not namespace.endswith(("/", "#", ":")):
        raise InputError(f"{namespace!r} should end with '/', '#' or ':' to be a namespace",
                         argument="IRI")
    if name in ledger.prefixes:
        raise ConflictError(f"prefix {name!r} is already declared as <{ledger.prefixes[name]}>",
                            argument="NAME")
    node = ledger.iri("prefix", name, argument="NAME")
    with ledger.transaction("prefix add", {"name": name, "iri": namespace}, reason=reason) as tx:
        tx.add(ledger.node, V.SH_DECLARE, node)
        tx.add(node, V.TYPE, V.SH_PREFIX_DECLARATION)
        tx.add(node, V.SH_PREFIX, Literal(name))
        tx.add(node, V.SH_NAMESPACE, Literal(namespace, datatype=V.XSD_ANYURI))
    ledger.prefixes[name] = namespace
    return tx.result
