"""The core of a ledger: opening or creating one, its configuration, and the write path.

:class:`LedgerCore` knows the store, the ledger's base IRI and prefixes (through
:class:`~claimledger.core.naming.Naming`), the shapes in force, and how to run a write
(:meth:`LedgerCore.transaction`, see :mod:`claimledger.core.transaction`). The record APIs
(claims, sources, evidence, policies) are built on it; :class:`claimledger.Ledger` joins them.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from pyoxigraph import Literal, NamedNode, Quad

from claimledger import audit, resources, settings
from claimledger.audit import formats
from claimledger.core.facts import claims_reaching
from claimledger.core.naming import Naming
from claimledger.core.transaction import Transaction, shapes_of
from claimledger.errors import InputError, LedgerChanged, LedgerError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.rules import materialised
from claimledger.signing.events import sign_event
from claimledger.store import locking
from claimledger.store.base import Condition, Store
from claimledger.store import config as config_module
from claimledger.store.config import RemoteConfig
from claimledger.store import open_store
from claimledger.validation.plan import Plan, cached

if TYPE_CHECKING:
    from claimledger.signing.keys import Signer
    from claimledger.validation import ShapeSet

T = TypeVar("T")

DEFAULT_BASE = "https://example.org/ledger/"
#: The format this claimledger writes (the event format of :mod:`claimledger.audit.formats`).
FORMAT_VERSION = formats.CURRENT


#: Times a write is run again after another writer changed the ledger first.
RETRIES = 8


def retrying(write: Callable[[], T], *, attempts: int = RETRIES) -> T:
    """Run ``write`` (a whole command: it reads the ledger, then writes), again when another
    writer changed the ledger in between (:class:`LedgerChanged`: nothing was written, so
    running it again is safe), up to ``attempts`` times, with a growing random pause.

    :raises LedgerChanged: if every attempt was overtaken.
    """
    attempt = 0
    while True:
        try:
            return write()
        except LedgerChanged:
            attempt += 1
            if attempt >= attempts:
                raise
            time.sleep(random.uniform(0, 0.02 * 2 ** attempt))


class LedgerCore(Naming):
    """A ledger opened on a store.

    Use :meth:`open` for an existing ledger directory and :meth:`create` for a new one; both
    return a ledger that must be closed (or used as a context manager).

    :param store: the store holding the ledger.
    :param agent: who is writing (an agent slug, CURIE or IRI); required for writes.
    """

    #: Signs every write when set (the web page sets its server key); else each write finds
    #: its agent's key (see :mod:`claimledger.signing.events`).
    signer: Signer | None = None
    #: Refuse unsigned writes (``--sign``).
    require_signature: bool = False

    def __init__(self, store: Store, *, agent: str | None = None, _new_base: str | None = None
                 ) -> None:
        self.store = store
        self.agent_name = agent
        self._shapes: ShapeSet | None = None
        self._plan: Plan | None = None
        if _new_base is None:
            self._load_config()
        else:  # a ledger being created: nothing to load yet
            self.base = _new_base
            self.node = NamedNode(_new_base)
            self.prefixes = dict(V.STANDARD_PREFIXES)
            self.format_version = FORMAT_VERSION
            self.materialised = materialised.VERSION

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, write: bool = False,
             agent: str | None = None, timeout: float | None = None, on_wait=None):
        """Open the ledger in directory ``path`` (see :func:`claimledger.settings.ledger_path`).

        :raises LedgerError: if there is no ledger there.
        :raises LedgerBusy: if another process keeps it locked past ``timeout``.
        """
        directory = settings.ledger_path(path)
        store = open_store(directory, write=write, timeout=timeout, on_wait=on_wait)
        try:
            return cls(store, agent=agent)
        except BaseException:
            store.close()
            raise

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None, *, base: str | None = None,
               agent: str | None = None, timeout: float | None = None,
               remote: RemoteConfig | None = None):
        """Create a new, empty ledger in directory ``path`` and record its first event.

        :param base: the IRI under which the ledger mints its IRIs; must end in ``/`` or ``#``.
        :param remote: keep the ledger on this SPARQL server; the directory then holds only its
            configuration. The ledger's graphs are named under its base (``remote.graph``,
            which is the base). If the server already holds a ledger under that IRI, the
            directory is connected to it (a desk member joining) and nothing is written.
        :raises InputError: for a bad base IRI or a missing agent.
        :raises LedgerError: if a ledger already exists there.
        :raises EndpointError: if the server cannot be reached or cannot hold a ledger.
        """
        directory = settings.ledger_path(path)
        if remote is not None:
            if base and remote.graph and base != remote.graph:
                raise InputError("on a SPARQL server the ledger's graphs are named under its base "
                                 "IRI: give --base or --graph, or the same IRI to both",
                                 argument="--graph")
            base = base or remote.graph
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
        if remote is not None:
            if (directory / config_module.CONFIG_NAME).exists() or (directory / "store").exists():
                raise LedgerError(f"a ledger already exists at {directory}")
            return cls._create_remote(directory, remote, base, agent)
        store = open_store(directory, write=True, create=True, timeout=timeout)
        try:
            ledger = cls(store, agent=agent, _new_base=base)
            with ledger.transaction("init", {"base": base}) as tx:
                tx.add(ledger.node, V.TYPE, V.LEDGER)
                tx.add(ledger.node, V.FORMAT_VERSION, Literal(FORMAT_VERSION))
                tx.add(ledger.node, V.MATERIALISED, Literal(materialised.VERSION))
            ledger._load_config()
            return ledger
        except BaseException:
            store.close()
            raise

    @classmethod
    def _create_remote(cls, directory, remote: RemoteConfig, base: str, agent: str | None):
        from claimledger.store import config
        from claimledger.store.probe import probe
        from claimledger.store.remote import RemoteStore

        remote.graph = base
        store = RemoteStore(remote, write=True)
        try:
            if store.ask(f"ASK {{ ?l a <{V.LEDGER.value}> }}"):  # a desk member joining
                ledger = cls(store, agent=agent)
                ledger.joined = True
            else:
                remote.probe = probe(remote, base, client=store.client)
                store.close()
                store = RemoteStore(remote, write=True)
                ledger = cls(store, agent=agent, _new_base=base)
                with ledger.transaction("init", {"base": base}) as tx:
                    tx.add(ledger.node, V.TYPE, V.LEDGER)
                    tx.add(ledger.node, V.FORMAT_VERSION, Literal(FORMAT_VERSION))
                    tx.add(ledger.node, V.MATERIALISED, Literal(materialised.VERSION))
                ledger._load_config()
            config.write(directory, remote)
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
        if version not in formats.FORMATS:
            raise LedgerError(f"this ledger uses format version {version}; "
                              f"this claimledger reads versions 1 to {FORMAT_VERSION}")
        #: The ledger's format: older ones are read and verified, and written only by migrate.
        self.format_version = version
        self.node = rows[0]["l"]
        self.base = self.node.value
        self.prefixes = dict(V.STANDARD_PREFIXES)
        #: The materialised facts this ledger keeps (:mod:`claimledger.rules.materialised`):
        #: :data:`~claimledger.rules.materialised.VERSION`, or 0 for a ledger made before them.
        self.materialised = (materialised.VERSION
                             if materialised.is_materialised(self.store, self.base) else 0)
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
        """The built-in sourcing rules plus this ledger's policies.

        :raises LedgerError: naming the policy, if one no longer loads (a policy this
            claimledger refuses, recorded by an older one): ``policy remove`` still works.
        """
        if self._shapes is None:
            self._shapes = shapes_of(self.policy_texts())
        return self._shapes

    @property
    def plan(self) -> Plan:
        """What a write's check runs for :attr:`shapes` (:mod:`claimledger.validation.plan`):
        read from the cache when a process before compiled the same shapes with the same
        code, so that a write needs neither the shapes parsed nor rdflib loaded.

        :raises LedgerError: as :attr:`shapes` does, when the plan is not cached.
        """
        if self._plan is None:
            texts = [resources.builtin_rules(), *self.policy_texts()]
            self._plan = cached(texts, lambda: self.shapes.plan, folder=settings.cache_dir())
        return self._plan

    def reload_shapes(self) -> None:
        """Forget the shapes in force: a write changed the ledger's policies."""
        self._shapes = None
        self._plan = None

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
        if self.format_version != FORMAT_VERSION and command != "migrate":
            raise LedgerError(f"this ledger is in format {self.format_version}; bring it to format "
                              f"{FORMAT_VERSION} first (one audited event): claimledger migrate")
        tx = Transaction(self, command, arguments, reason)
        yield tx
        tx.result = tx.commit()

    def migrate(self, *, reason: str | None = None):
        """Bring a ledger made by an older claimledger up to date, as one audited event: to
        :data:`FORMAT_VERSION`, and keeping the materialised facts of
        :data:`claimledger.rules.materialised.VERSION` (computed here for the whole ledger).

        Its earlier events keep the format they were written in (``verify`` checks each by its
        own rules); this event and every later one are in the current format. The ledger's
        own triples need no rewriting: what changes is how events are hashed, and what the
        reports read.

        :raises InputError: if the ledger is already up to date.
        """
        if self.format_version == FORMAT_VERSION and self.materialised == materialised.VERSION:
            raise InputError(f"the ledger is already in format {FORMAT_VERSION} and keeps the "
                             f"materialised facts of version {materialised.VERSION}; nothing to do")
        old = self.format_version
        arguments = {"from": old, "to": FORMAT_VERSION}
        if self.materialised != materialised.VERSION:
            arguments["materialised"] = materialised.VERSION
        with self.transaction("migrate", arguments, reason=reason) as tx:
            tx.set(self.node, V.FORMAT_VERSION, Literal(FORMAT_VERSION))
            if self.materialised != materialised.VERSION:
                add, remove = materialised.rebuild(self.store, self.base)
                for t in remove:
                    tx.remove(t.subject, t.predicate, t.object)
                for t in add:
                    tx.add(t.subject, t.predicate, t.object)
                tx.set(self.node, V.MATERIALISED, Literal(materialised.VERSION))
        self.format_version = FORMAT_VERSION
        self.materialised = materialised.VERSION
        return tx.result

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
        graph = audit.audit_graph(self.base)
        tx.changes.extra_quads.extend(sign_event(  # the signature: beside the hash, not in it
            self, tx, event, digest, graph, added=tx.changes.added, removed=tx.changes.removed,
            first=previous.iri is None))
        if old_head is not None:
            tx.changes.extra_removed.append(old_head)
        tx.changes.condition = Condition(graph, self.node, V.HEAD, previous.iri)
        tx.changes.receipt = Quad(event, V.HASH, Literal(digest), graph)
        return digest, event
