"""``push`` and ``pull``: a whole ledger — state and audit trail — copied between the embedded
store and a SPARQL server, and verified on the other side (the same head hash after as many
events). The copy is the backup's (:func:`claimledger.interchange.backup.copy_store`), through
the store contract only.
"""

from __future__ import annotations


from claimledger.core.ledger import LedgerCore
from claimledger.errors import LedgerError
from claimledger.interchange.backup import (
    CopyReport,
    build_in_place,
    copy_store,
    header_of,
    new_ledger_directory,
    verify_copy,
)
from claimledger.store.config import RemoteConfig
from claimledger.store.embedded import EmbeddedStore


def push(ledger: LedgerCore, remote: RemoteConfig) -> CopyReport:
    """Copy ``ledger`` (usually embedded) to the server ``remote`` names, under its base IRI.

    :raises LedgerError: if the server already holds graphs of a ledger under that IRI.
    :raises IntegrityError: if the copy on the server does not verify (it is then removed).
    :raises EndpointError: if the server fails; what was written of the copy is removed.
    """
    from claimledger.store.remote import RemoteStore

    if remote.graph and remote.graph != ledger.base:
        raise LedgerError(f"the ledger's graphs are named under its base <{ledger.base}>, not "
                          f"<{remote.graph}>")
    remote.graph = ledger.base
    header = header_of(ledger)
    with RemoteStore(remote, write=True) as target:
        if target.holds_ledger():
            raise LedgerError(f"the server already holds a ledger under <{ledger.base}>; "
                              "nothing was written")
        try:
            copy_store(ledger.store, target)
            return verify_copy(target, header)
        except BaseException:
            target.drop_ledger()
            raise


def pull(remote: RemoteConfig, directory, *, timeout: float | None = None) -> CopyReport:
    """Copy the ledger under ``remote.graph`` on the server into a new embedded ledger in
    ``directory``, built beside it and moved in only once it verifies.

    :raises LedgerError: if ``directory`` is not empty, or the server holds no such ledger.
    :raises IntegrityError: if the copy does not verify (nothing is left behind).
    """
    from claimledger.store.remote import RemoteStore

    target = new_ledger_directory(directory, "pull")
    with RemoteStore(remote, write=False) as source:
        if not source.holds_ledger():
            raise LedgerError(f"the server holds no ledger under <{remote.graph}>")
        header = header_of(LedgerCore(source))

        def fill(store: EmbeddedStore) -> CopyReport:
            copy_store(source, store)
            return verify_copy(store, header)

        return build_in_place(target, "pulling", fill, timeout=timeout)


__all__ = ["pull", "push"]
