"""The core of a ledger: opening or creating one, its configuration, and the write path.

:class:`LedgerCore` knows the store, the ledger's base IRI and prefixes (through
:class:`~claimledger.core.naming.Naming`), the shapes in force, and how to run a write
(:meth:`LedgerCore.transaction`, see :mod:`claimledger.core.transaction`). The record APIs
(claims, sources, evidence, policies) are built on it; :class:`claimledger.Ledger` joins them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pyoxigraph import Literal, NamedNode

from claimledger import audit, settings
from claimledger.core.facts import claims_reaching
from claimledger.core.naming import Naming
from claimledger.core.transaction import Transaction
from claimledger.errors import InputError, LedgerError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.store import locking
from claimledger.store.base import Store
from claimledger.store.embedded import EmbeddedStore
from claimledger.validation import ShapeSet

DEFAULT_BASE = "https://example.org/ledger/"
FORMAT_VERSION = 1


class LedgerCore(Naming):
    """A ledger opened on a store.

    Use :meth:`open` for an existing ledger directory and :meth:`create` for a new one; both
    return a ledger that must be closed (or used as a context manager).

    :param store: the store holding the ledger.
    :param agent: who is writing (an agent slug, CURIE or IRI); required for writes.
    """

    def __init__(self, store: Store, *, agent: str | None = None, _new_base: str | None = None
                 ) -> None:
        self.store = store
        self.agent_name = agent
        self._shapes: ShapeSet | None = None
        if _new_base is None:
            self._load_config()
        else:  # a ledger being created: nothing to load yet
            self.base = _new_base
            self.node = NamedNode(_new_base)
            self.prefixes = dict(V.STANDARD_PREFIXES)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, write: bool = False,
             agent: str | None = None, timeout: float | None = None, on_wait=None):
        """Open the ledger in directory ``path`` (see :func:`claimledger.settings.ledger_path`).

        :raises LedgerError: if there is no ledger there.
        :raises LedgerBusy: if another process keeps it locked past ``timeout``.
        """
        directory = settings.ledger_path(path)
        store = EmbeddedStore(directory, write=write, timeout=settings.lock_timeout(timeout),
                              on_wait=on_wait)
        try:
            return cls(store, agent=agent)
        except BaseException:
            store.close()
            raise

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None, *, base: str | None = None,
               agent: str | None = None, timeout: float | None = None):
        """Create a new, empty ledger in directory ``path`` and record its first event.

        :param base: the IRI under which the ledger mints its IRIs; must end in ``/`` or ``#``.
        :raises InputError: for a bad base IRI or a missing agent.
        :raises LedgerError: if a ledger already exists there.
        """
        directory = settings.ledger_path(path)
        base = base or DEFAULT_BASE
        terms.check_iri(base, argument="--base")
        if not base.endswith(("/", "#")):
            raise InputError(f"{base!r} must end with '/' or '#' so that IRIs can be minted under it",
                             argument="--base")
        try:
            str(directory).encode("utf-8")
        except UnicodeEncodeError:  # Oxigraph cannot open such a path: refuse before mkdir
            raise InputError(f"{str(directory)!r} is not valid UTF-8; the ledger's store needs a "
                             "UTF-8 path", argument="--ledger") from None
        if directory.exists() and not directory.is_dir():
            raise InputError(f"{directory} is not a directory (a file is in the way)",
                             argument="--ledger")
        if (directory / "store").exists():
            raise LedgerError(f"a ledger already exists at {directory}")
        if directory.exists() and any(p.name not in {locking.LOCK_NAME, locking.QUEUE_NAME}
                                      for p in directory.iterdir()):
            raise LedgerError(f"{directory} exists and is not empty; choose an empty or new directory")
        store = EmbeddedStore(directory, write=True, create=True,
                              timeout=settings.lock_timeout(timeout))
        try:
            ledger = cls(store, agent=agent, _new_base=base)
            with ledger.transaction("init", {"base": base}) as tx:
                tx.add(ledger.node, V.TYPE, V.LEDGER)
                tx.add(ledger.node, V.FORMAT_VERSION, Literal(FORMAT_VERSION))
            ledger._load_config()
            return ledger
        except BaseException:
            store.close()
            raise

    def _load_config(self) -> None:
        rows = list(self.store.query(
            "SELECT ?l ?v WHERE { ?l a <%s> ; <%s> ?v }" % (V.LEDGER.value, V.FORMAT_VERSION.value)))
        if not rows:
            raise LedgerError("the store holds no claimledger ledger (no cl:Ledger node)")
        if len(rows) > 1:
            raise LedgerError("the store holds more than one cl:Ledger node")
        version = int(rows[0]["v"].value)
        if version != FORMAT_VERSION:
            raise LedgerError(f"this ledger uses format version {version}; "
                              f"this claimledger reads version {FORMAT_VERSION}")
        self.node = rows[0]["l"]
        self.base = self.node.value
        self.prefixes = dict(V.STANDARD_PREFIXES)
        for row in self.store.query(
            "SELECT ?l ?p ?ns WHERE { ?l <%s> ?d . ?d <%s> ?p ; <%s> ?ns }"
            % (V.SH_DECLARE.value, V.SH_PREFIX.value, V.SH_NAMESPACE.value),
            {"l": self.node},
        ):
            self.prefixes[row["p"].value] = row["ns"].value

    def close(self) -> None:
        """Close the store and release the ledger's lock."""
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- shapes --------------------------------------------------------------------------
    def policy_texts(self) -> list[tuple[str, str]]:
        """``(name, turtle)`` of every policy the ledger holds, by name."""
        rows = self.store.query(
            "SELECT ?p ?t WHERE { ?p a <%s> ; <%s> ?t } ORDER BY ?p" % (V.POLICY.value, V.SHAPES.value))
        return [(self.slug(r["p"]), r["t"].value) for r in rows]

    @property
    def shapes(self) -> ShapeSet:
        """The built-in sourcing rules plus this ledger's policies."""
        if self._shapes is None:
            self._shapes = ShapeSet.builtin(self.policy_texts())
        return self._shapes

    def reload_shapes(self) -> None:
        """Forget the shapes in force: a write changed the ledger's policies."""
        self._shapes = None

    # -- reading -------------------------------------------------------------------------
    def claims_reaching(self, source: NamedNode) -> set[NamedNode]:
        """Claims with evidence found in, attributed to, or derived through ``source``."""
        return claims_reaching(self.store, source)

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(self, command: str, arguments: dict[str, Any], *, reason: str | None = None
                    ) -> Iterator[Transaction]:
        """A write: yields a :class:`Transaction` and commits it when the block ends.

        Nothing is written if the block raises, or if the commit finds a Violation.

        :raises InputError: if no agent was given.
        """
        self.check_writable(reason)
        tx = Transaction(self, command, arguments, reason)
        yield tx
        tx.result = tx.commit()

    def check_writable(self, reason: str | None = None) -> None:
        """Refuse a write before it starts: a read-only ledger, no agent, a bad reason.

        :raises LedgerError: if the ledger was opened read-only.
        :raises InputError: if no agent was given or the reason is not text.
        """
        if not getattr(self.store, "writable", False):
            raise LedgerError("the ledger was opened read-only")
        settings.require_agent(self.agent_name, from_env=False)
        if reason is not None:
            terms.check_text(reason, argument="--reason")

    def _audit(self, tx: Transaction, previous: audit.Head) -> tuple[str, NamedNode]:
        """Describe ``tx`` as the event after ``previous`` and add it to the change set.

        :returns: the event's hash and IRI.
        """
        quads, old_head, digest, event = audit.record(
            tx.changes, base=self.base, ledger=self.node, previous=previous, agent=tx.agent,
            time=tx.time, command=tx.command, arguments=tx.arguments, reason=tx.reason,
            affected=tx.affected_nodes(),
        )
        tx.changes.extra_quads.extend(quads)
        if old_head is not None:
            tx.changes.extra_removed.append(old_head)
        return digest, event
