"""Many record calls as one write: how the CSV and ClaimReview importers use the record APIs.

An importer records what a file holds through the same calls a user makes —
``claims.add``, ``sources.add``, ``evidence.add``, ``claims.verdict``, … — so every check
those calls make (slugs, IRIs, grades, dates, anonymity, conflicts) and every sourcing rule
applies. But a file is imported all or nothing, as one event. :class:`Batch` makes that
possible without changing the record APIs: it is the ledger as they see it while one
transaction is open —

* ``transaction()`` yields that one open transaction instead of starting a new one, so each
  call adds its triples to it and commits nothing;
* ``resolve()`` and ``store.triples()`` see the store *and* what the open transaction has
  added, so a call can refer to a claim or source recorded by an earlier call of the batch;
* everything else is the ledger's own.

The batch is committed by :meth:`Batch.commit`: through the ordinary write path (re-derive,
validate, audit, apply) or, for a large batch, through the bulk path of
:mod:`claimledger.interchange.bulk` (the same checks over the whole ledger, in a staging copy).

>>> # with Batch.open(ledger, "import", {"file": "x.csv"}) as batch:
>>> #     batch.claims.add("c1", subject="ex:a", predicate="ex:b", object="ex:c", text="…")
>>> #     result = batch.commit()
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Triple

from claimledger.core.ledger import LedgerCore
from claimledger.core.naming import Naming
from claimledger.core.transaction import Transaction, WriteResult
from claimledger.model import vocab as V
from claimledger.records.claims import Claims
from claimledger.records.evidence import EvidenceRecords
from claimledger.records.sources import Sources
from claimledger.store.base import Term

#: A batch that adds more triples than this is committed through the bulk path (when the
#: store has a staging copy). The RDF import switches at 1 MiB of file, about 7,000 triples.
BULK_TRIPLES = 20_000


class _StoreSeenThroughBatch:
    """The ledger's store as the record calls of a batch read it: plus the pending additions,
    minus the pending removals (``triples``); everything else is the store's own."""

    def __init__(self, store, tx: Transaction) -> None:
        self._store = store
        self._tx = tx

    def triples(self, s: Term | None, p: NamedNode | None, o: Term | None) -> Iterator[Triple]:
        changes = self._tx.changes
        for t in self._store.triples(s, p, o):
            if t not in changes.removed:
                yield t
        pending = changes.added_about(s) if s is not None else changes.added
        for t in pending:
            if (p is None or t.predicate == p) and (o is None or t.object == o):
                yield t

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class Batch:
    """The ledger as record calls see it while one transaction is open (see the module doc).

    Make one with :meth:`open`.
    """

    def __init__(self, ledger: LedgerCore, tx: Transaction) -> None:
        self._ledger = ledger
        self.tx = tx
        self.store = _StoreSeenThroughBatch(ledger.store, tx)

    @classmethod
    @contextmanager
    def open(cls, ledger: LedgerCore, command: str, arguments: dict[str, Any], *,
             reason: str | None = None) -> Iterator[Batch]:
        """A batch over one new transaction; nothing is written unless :meth:`commit` is called.

        :raises LedgerError: if the ledger is read-only.
        :raises InputError: if no agent was given or the reason is not text.
        """
        ledger.check_writable(reason)
        yield cls(ledger, Transaction(ledger, command, arguments, reason))

    # -- what the record APIs ask of a ledger ------------------------------------------
    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)

    @contextmanager
    def transaction(self, command: str, arguments: dict[str, Any], *,
                    reason: str | None = None) -> Iterator[Transaction]:
        """The batch's open transaction: a record call adds to it and commits nothing."""
        yield self.tx

    def resolve(self, collection: str, ref: str, *, argument: str) -> NamedNode:
        """As :meth:`Naming.resolve`, also finding what this batch has recorded."""
        return Naming.resolve(self, collection, ref, argument=argument)  # type: ignore[arg-type]

    @cached_property
    def claims(self) -> Claims:
        return Claims(self)  # type: ignore[arg-type]

    @cached_property
    def sources(self) -> Sources:
        return Sources(self)  # type: ignore[arg-type]

    @cached_property
    def evidence(self) -> EvidenceRecords:
        return EvidenceRecords(self)  # type: ignore[arg-type]

    # -- after a record call -------------------------------------------------------------
    def stamp(self, node: NamedNode, agent: NamedNode | None, time: Term | None) -> None:
        """Say that ``node`` was recorded by ``agent`` at ``time`` (as the file says), instead
        of by the importing agent now; the audit trail still says who imported it, and when."""
        if agent is not None:
            self.tx.ensure_agent(agent)
            self.tx.set(node, V.WAS_ATTRIBUTED_TO, agent)
        if time is not None:
            self.tx.set(node, V.GENERATED_AT_TIME, time)

    # -- committing ----------------------------------------------------------------------
    def commit(self, *, bulk: bool | None = None) -> WriteResult:
        """Commit the batch as one event.

        :param bulk: take the bulk path (True), the ordinary one (False), or decide by size
            (None: more than :data:`BULK_TRIPLES` triples added, and a store with a staging
            copy).
        :raises RuleViolation: if the batch breaks a sourcing rule; nothing is written.
        """
        tx = self.tx
        if bulk is None:
            bulk = (len(tx.changes.added) > BULK_TRIPLES
                    and "staging" in getattr(self._ledger.store, "capabilities", ()))
        if not bulk or tx.changes.removed:
            tx.result = tx.commit()
            return tx.result
        return self._commit_bulk()

    def _commit_bulk(self) -> WriteResult:
        """Write the batch's triples to a private N-Triples file and bulk-import it."""
        from claimledger.interchange.bulk import bulk_import

        tx = self.tx
        fd, name = tempfile.mkstemp(prefix="claimledger-batch-", suffix=".nt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for t in tx.changes.added:
                    if t.predicate not in V.DERIVED_PROPERTIES:
                        fh.write(f"{t} .\n")
            tx.result = bulk_import(self._ledger, name, RdfFormat.N_TRIPLES,
                                    arguments=tx.arguments, reason=tx.reason)
            return tx.result
        finally:
            os.unlink(name)
