"""Where a ledger's triples live: the store contract and its backends.

* :mod:`claimledger.store.base` — the contract every backend implements (:class:`Store`) and
  the change set a write applies (:class:`ChangeSet`);
* :mod:`claimledger.store.embedded` — the ledger in an on-disk Oxigraph store in its directory;
* :mod:`claimledger.store.memory` — a throw-away in-memory store;
* :mod:`claimledger.store.locking` — one writer or many readers per ledger directory.
"""

from claimledger.store.base import Bindings, ChangeSet, Store, Term, sparql_data_block, update_text
from claimledger.store.embedded import EmbeddedStore
from claimledger.store.memory import MemoryStore
from claimledger.store.oxigraph import OxigraphStore



def open_store(directory, *, write: bool, create: bool = False, timeout: float | None = None,
               on_wait=None) -> Store:
    """The store of the ledger in ``directory``, by what its configuration names: the embedded
    Oxigraph store kept in the directory (the only backend a directory can name so far).

    :raises LedgerError: if there is no ledger there (and ``create`` is false).
    :raises LedgerBusy: if another process keeps it locked past ``timeout``.
    """
    from claimledger.settings import lock_timeout

    return EmbeddedStore(directory, write=write, create=create, timeout=lock_timeout(timeout),
                         on_wait=on_wait)


__all__ = ["open_store", "Bindings", "ChangeSet", "EmbeddedStore", "MemoryStore", "OxigraphStore", "Store",
           "Term", "sparql_data_block", "update_text"]
