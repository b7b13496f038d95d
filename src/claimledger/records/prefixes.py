"""Prefixes: the short names a ledger's users type in CURIEs (``ex:Taliban``), declared in the
ledger itself with SHACL's ``sh:declare`` so that its queries and exports use them too."""

from __future__ import annotations

from pyoxigraph import Literal, Triple

from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ConflictError, InputError
from claimledger.model import sparql, terms
from claimledger.model import vocab as V


def check_prefix(ledger: LedgerCore, name: str, namespace: str, *, name_argument: str = "NAME",
                 iri_argument: str = "IRI") -> bool:
    """Check a prefix declaration as ``prefix add`` does; True when the ledger does not have it
    yet, False when it already declares ``name`` for this very namespace.

    :raises InputError: for a bad name (not a prefix a query may declare) or a namespace that
        is no absolute IRI ending in ``/``, ``#`` or ``:``.
    :raises ConflictError: for a name the ledger already uses for another namespace
        (the standard prefixes ``cl:``, ``prov:``… included).
    """
    if not isinstance(name, str) or not terms.PREFIX_NAME_RE.match(name):
        raise InputError(f"{name!r} is not a valid prefix name (a letter, then letters, "
                         "digits, '-' or '_')", argument=name_argument)
    sparql.check_prefix_name(name, argument=name_argument)  # it goes into every query's prologue
    terms.check_iri(namespace, argument=iri_argument)
    if not namespace.endswith(("/", "#", ":")):
        raise InputError(f"{namespace!r} should end with '/', '#' or ':' to be a namespace",
                         argument=iri_argument)
    if name in ledger.prefixes:
        if ledger.prefixes[name] == namespace:
            return False
        raise ConflictError(f"prefix {name!r} is already declared as <{ledger.prefixes[name]}>",
                            argument=name_argument)
    return True


def prefix_triples(ledger: LedgerCore, name: str, namespace: str) -> list[Triple]:
    """The triples that declare ``name:`` for ``namespace`` on the ledger node (checked first
    with :func:`check_prefix`)."""
    node = ledger.iri("prefix", name, argument="NAME")
    return [Triple(ledger.node, V.SH_DECLARE, node),
            Triple(node, V.TYPE, V.SH_PREFIX_DECLARATION),
            Triple(node, V.SH_PREFIX, Literal(name)),
            Triple(node, V.SH_NAMESPACE, Literal(namespace, datatype=V.XSD_ANYURI))]


def add_prefix(ledger: LedgerCore, name: str, namespace: str, *, reason: str | None = None
               ) -> WriteResult:
    """Declare ``name:`` as a prefix for ``namespace`` in this ledger (``sh:declare``).

    :raises InputError: for a bad name or IRI.
    :raises ConflictError: for a name the ledger already uses.
    """
    if not check_prefix(ledger, name, namespace):
        raise ConflictError(f"prefix {name!r} is already declared as <{namespace}>",
                            argument="NAME")
    with ledger.transaction("prefix add", {"name": name, "iri": namespace}, reason=reason) as tx:
        for t in prefix_triples(ledger, name, namespace):
            tx.add(t.subject, t.predicate, t.object)
    ledger.prefixes[name] = namespace
    return tx.result
