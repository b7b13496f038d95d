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

__all__ = ["Bindings", "ChangeSet", "EmbeddedStore", "MemoryStore", "OxigraphStore", "Store",
           "Term", "sparql_data_block", "update_text"]
