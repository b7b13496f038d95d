"""The ledger: opening one, naming things in it, and the write path every command goes through.

A write is a :class:`Transaction`: the recording code (claims, sources, evidence, policies)
puts triples into its change set and names the claims whose corroboration may change. On
commit, in this order and all inside one store transaction:

1. corroboration is re-derived for those claims and the derived triples are updated;
2. the touched nodes are validated with the sourcing rules and the ledger's policies — a
   Violation refuses the write (:class:`RuleViolation`, exit 1) and nothing is written;
3. the change is described as the next event of the audit trail, chained by its hash;
4. the change set and the event are applied as one atomic SPARQL update.

>>> import tempfile
>>> ledger = Ledger.create(tempfile.mkdtemp() + "/ledger", agent="editor")
>>> ledger.base
'https://example.org/ledger/'
>>> ledger.close()
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from claimledger import audit, corroboration, locking, terms
from claimledger import vocab as V
from claimledger.errors import ConflictError, InputError, LedgerError, NotFoundError, RuleViolation
from claimledger.store import ChangeSet, EmbeddedStore, MemoryStore, Store, Term
from claimledger.validation import ShapeSet, ValidationReport

DEFAULT_BASE = "https://example.org/ledger/"
DEFAULT_PATH = "ledger"
FORMAT_VERSION = 1

#: The collections the ledger mints IRIs in: ``<base><collection>/<slug>``.
COLLECTIONS = {
    "claim": V.CLAIM,
    "source": V.SOURCE,
    "evidence": V.EVIDENCE,
    "verdict": V.VERDICT,
    "retraction": V.RETRACTION,
    "discrediting": V.DISCREDITING,
    "agent": V.PROV_AGENT,
    "policy": V.POLICY,
    "prefix": V.SH_PREFIX_DECLARATION,
}


def ledger_path(path: str | os.PathLike[str] | None) -> Path:
    """The ledger directory: ``path``, else ``$CLAIMLEDGER_LEDGER``, else ``./ledger``."""
    return Path(path or os.environ.get("CLAIMLEDGER_LEDGER") or DEFAULT_PATH)


@dataclass
class StatusChange:
    """A claim whose corroboration status (or, as a consequence, confidence) changed."""

    claim: NamedNode
    before: str | None
    after: str
    origins_before: int | None
    origins_after: int
    #: Set when the write lowered the claim's confidence to what its sourcing now allows.
    confidence_before: str | None = None
    confidence_after: str | None = None


@dataclass
class WriteResult:
    """What a committed write did."""

    event: NamedNode
    sequence: int
    hash: str
    created: NamedNode | None
    status_changes: list[StatusChange]
    report: ValidationReport
    added: int
    removed: int
    #: For a bulk import: the number of claims per status after the import.
    summary: dict[str, int] | None = None

    @property
    def warnings(self):
        return [r for r in self.report.results if r.severity != "Violation"]


class Ledger:
    """A ledger opened on a store.

    Use :meth:`open` for an existing ledger directory and :meth:`create` for a new one; both
    return a ledger that must be closed (or used as a context manager). The record-keeping
    API is grouped by concept: :attr:`claims`, :attr:`sources`, :attr:`evidence`,
    :attr:`policies`.

    :param store: the store holding the ledger.
    :param agent: who is writing (an agent slug, CURIE or IRI); required for writes.
    """

    def __init__(self, store: Store, *, agent: str | None = None, _new_base: str | None = None
                 ) -> None:
        from claimledger.claims import Claims
        from claimledger.evidence import EvidenceRecords
        from claimledger.policies import Policies
        from claimledger.sources import Sources

        self.store = store
        self.agent_name = agent
        self._shapes: ShapeSet | None = None
        #: Benchmarks set this to False to measure what the audit trail costs; a ledger
        #: written so fails ``verify``. Never switch it off otherwise.
        self._audit_enabled = True
        self.claims = Claims(self)
        self.sources = Sources(self)
        self.evidence = EvidenceRecords(self)
        self.policies = Policies(self)
        if _new_base is None:
            self._load_config()
        else:  # a ledger being created: nothing to load yet
            self.base = _new_base
            self.node = NamedNode(_new_base)
            self.prefixes = dict(V.STANDARD_PREFIXES)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, write: bool = False,
             agent: str | None = None, timeout: float | None = None, on_wait=None) -> Ledger:
        """Open the ledger in directory ``path`` (see :func:`ledger_path`).

        :raises LedgerError: if there is no ledger there.
        :raises LedgerBusy: if another process keeps it locked past ``timeout``.
        """
        directory = ledger_path(path)
        store = EmbeddedStore(directory, write=write, timeout=_timeout(timeout), on_wait=on_wait)
        try:
            return cls(store, agent=agent)
        except BaseException:
            store.close()
            raise

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None, *, base: str | None = None,
               agent: str | None = None, timeout: float | None = None) -> Ledger:
        """Create a new, empty ledger in directory ``path`` and record its first event.

        :param base: the IRI under which the ledger mints its IRIs; must end in ``/`` or ``#``.
        :raises InputError: for a bad base IRI or a missing agent.
        :raises LedgerError: if a ledger already exists there.
        """
        directory = ledger_path(path)
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
        if (directory / "store").exists():
            raise LedgerError(f"a ledger already exists at {directory}")
        if directory.exists() and any(p.name not in {locking.LOCK_NAME, locking.QUEUE_NAME}
                                         for p in directory.iterdir()):
            raise LedgerError(f"{directory} exists and is not empty; choose an empty or new directory")
        store = EmbeddedStore(directory, write=True, create=True, timeout=_timeout(timeout))
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

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- names ---------------------------------------------------------------------------
    def iri(self, collection: str, slug: str, *, argument: str = "SLUG") -> NamedNode:
        """Mint the IRI of ``slug`` in ``collection`` (``claim``, ``source``, …)."""
        terms.check_slug(slug, argument=argument)
        return NamedNode(f"{self.base}{collection}/{slug}")

    def slug(self, node: Term | None) -> str:
        """The short name of a node: its slug when minted by this ledger, else its IRI or value."""
        if node is None:
            return ""
        value = node.value
        if isinstance(node, NamedNode) and value.startswith(self.base):
            rest = value[len(self.base):]
            collection, _, slug = rest.partition("/")
            if collection in COLLECTIONS and slug:
                return slug
        return value

    def compact(self, node: Term) -> str:
        """A node as a user would type it: a slug, a CURIE, ``<IRI>``, or a literal's text."""
        if isinstance(node, Literal):
            return node.value
        value = node.value
        if value.startswith(self.base):
            return self.slug(node)
        for prefix, ns in sorted(self.prefixes.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(ns) and value != ns:
                local = value[len(ns):]
                if terms.SLUG_RE.match(local):
                    return f"{prefix}:{local}"
        return f"<{value}>"

    def compact_text(self, value: str | None) -> str:
        """Like :meth:`compact` for a term given as text (an IRI or a literal's value)."""
        if not value:
            return ""
        if value.startswith("_:") or ":" not in value:
            return value
        try:
            return self.compact(NamedNode(value))
        except ValueError:
            return value

    def resolve(self, collection: str, ref: str, *, argument: str) -> NamedNode:
        """The IRI of an existing thing named by slug (or full IRI) in ``collection``.

        :raises NotFoundError: if the ledger holds no such thing.
        """
        if terms.SLUG_RE.match(ref or "") and ".." not in ref:
            node = NamedNode(f"{self.base}{collection}/{ref}")
        else:
            node = terms.expand_iri(ref, self.prefixes, argument=argument)
        cls = COLLECTIONS[collection]
        if not any(True for _ in self.store.triples(node, V.TYPE, cls)):
            raise NotFoundError(f"no {collection} {ref!r} in this ledger", argument=argument)
        return node

    def expand(self, value: str, *, argument: str) -> NamedNode:
        """A CURIE or IRI typed by a user, expanded with the ledger's prefixes."""
        return terms.expand_iri(value, self.prefixes, argument=argument)

    def agent_iri(self, name: str, *, argument: str = "--agent") -> NamedNode:
        """The IRI of an agent named by slug (minted under ``agent/``) or by IRI / CURIE."""
        if terms.SLUG_RE.match(name or "") and ".." not in name:
            return NamedNode(f"{self.base}agent/{name}")
        return terms.expand_iri(name, self.prefixes, argument=argument)

    def add_prefix(self, name: str, namespace: str, *, reason: str | None = None) -> WriteResult:
        """Declare ``name:`` as a prefix for ``namespace`` in this ledger (``sh:declare``).

        :raises InputError: for a bad name or IRI, or a name the ledger already uses.
        """
        if not terms.PREFIX_NAME_RE.match(name or ""):
            raise InputError(f"{name!r} is not a valid prefix name (a letter, then letters, "
                             "digits, '-' or '_')", argument="NAME")
        terms.check_iri(namespace, argument="IRI")
        if not namespace.endswith(("/", "#", ":")):
            raise InputError(f"{namespace!r} should end with '/', '#' or ':' to be a namespace",
                             argument="IRI")
        if name in self.prefixes:
            raise ConflictError(f"prefix {name!r} is already declared as <{self.prefixes[name]}>",
                                argument="NAME")
        node = self.iri("prefix", name, argument="NAME")
        with self.transaction("prefix add", {"name": name, "iri": namespace}, reason=reason) as tx:
            tx.add(self.node, V.SH_DECLARE, node)
            tx.add(node, V.TYPE, V.SH_PREFIX_DECLARATION)
            tx.add(node, V.SH_PREFIX, Literal(name))
            tx.add(node, V.SH_NAMESPACE, Literal(namespace, datatype=V.XSD_ANYURI))
        self.prefixes[name] = namespace
        return tx.result

    # -- shapes --------------------------------------------------------------------------
    @property
    def shapes(self) -> ShapeSet:
        """The built-in sourcing rules plus this ledger's policies."""
        if self._shapes is None:
            self._shapes = ShapeSet.builtin(self.policies.texts())
        return self._shapes

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(self, command: str, arguments: dict[str, Any], *, reason: str | None = None
                    ) -> Iterator[Transaction]:
        """A write: yields a :class:`Transaction` and commits it when the block ends.

        Nothing is written if the block raises, or if the commit finds a Violation.

        :raises InputError: if no agent was given.
        """
        if not getattr(self.store, "writable", False):
            raise LedgerError("the ledger was opened read-only")
        if not self.agent_name:
            raise InputError("every write must name its agent: pass --agent NAME or set "
                             "CLAIMLEDGER_AGENT", argument="--agent")
        if reason is not None:
            terms.check_text(reason, argument="--reason")
        tx = Transaction(self, command, arguments, reason)
        yield tx
        tx.result = self._commit(tx)

    def _commit(self, tx: Transaction) -> WriteResult:
        changes = tx.changes
        agent = tx.agent
        if not any(True for _ in self.store.triples(agent, V.TYPE, V.PROV_AGENT)):
            if not tx.view.has(agent, V.TYPE, V.PROV_AGENT):
                tx.add(agent, V.TYPE, V.PROV_AGENT)
                tx.add(agent, V.LABEL, Literal(self.slug(agent)))
        status_changes = self._rederive(tx)
        report = self._check(tx)
        if not report.conforms:
            raise RuleViolation(report)
        previous = audit.head(self.store, self.base)
        if self._audit_enabled:
            quads, old_head, digest, event = audit.record(
                changes, base=self.base, ledger=self.node, previous=previous, agent=agent,
                time=tx.time, command=tx.command, arguments=tx.arguments, reason=tx.reason,
                affected=tx.affected_nodes(),
            )
            changes.extra_quads.extend(quads)
            if old_head is not None:
                changes.extra_removed.append(old_head)
        else:  # benchmarks only: measures what the audit trail costs (verify then fails)
            digest, event = previous.hash, audit.event_iri(self.base, previous.sequence + 1)
        self.store.apply(changes)
        if tx.invalidates_shapes:
            self._shapes = None
        return WriteResult(event=event, sequence=previous.sequence + 1, hash=digest,
                           created=tx.created, status_changes=status_changes, report=report,
                           added=len(changes.added), removed=len(changes.removed))

    # -- corroboration -------------------------------------------------------------------
    def _rederive(self, tx: Transaction) -> list[StatusChange]:
        view = tx.view
        changes: list[StatusChange] = []
        for claim in sorted(tx.claims, key=lambda n: n.value):
            if not view.has(claim, V.TYPE, V.CLAIM):
                continue
            facts = gather_facts(view, claim)
            result = corroboration.derive(facts.evidence, facts.sources, facts.verdict)
            before = view.value(claim, V.STATUS)
            before_n = view.value(claim, V.INDEPENDENT_ORIGINS)
            tx.set(claim, V.STATUS, V.Status.iri(result.status))
            tx.set(claim, V.INDEPENDENT_ORIGINS, Literal(result.independent_origins))
            tx.set_all(claim, V.SUPPORT_ORIGIN, result.support_origins)
            for ev in facts.evidence:
                tx.set_all(ev.iri, V.ORIGIN, result.origins[ev.iri])
                tx.set(ev.iri, V.COUNTS, Literal(result.counts[ev.iri]))
            before_token = V.Status.token(before) if isinstance(before, NamedNode) else None
            before_count = int(before_n.value) if isinstance(before_n, Literal) else None
            change = StatusChange(claim, before_token, result.status, before_count,
                                  result.independent_origins)
            if claim not in tx.confidence_set:
                self._cap_confidence(tx, claim, facts, result, change)
            if (before_token != result.status or before_count != result.independent_origins
                    or change.confidence_after is not None):
                changes.append(change)
        return changes

    def _cap_confidence(self, tx: Transaction, claim: NamedNode, facts: ClaimFacts,
                        result: corroboration.Derivation, change: StatusChange) -> None:
        """Lower a claim's confidence to what its sourcing now allows (rules 2, 8 and 9).

        Applies only to claims a write affects as a consequence — a derivation learned, a
        source discredited, evidence retracted or contradicted. A confidence the user sets in
        the same write is checked by the rules instead, and refused if too high.
        """
        current = _token(V.Confidence, tx.view.value(claim, V.CONFIDENCE))
        if current is None or result.status in V.VERDICTS:
            return
        origins = [facts.sources[o] for o in result.support_origins if o in facts.sources]
        if result.status == "unsourced":
            allowed = "low"
        elif (result.status == "corroborated"
              and any(o.reliability in V.CREDIBLE_RELIABILITY for o in origins)
              and any(not o.anonymous for o in origins)):
            allowed = "high"
        else:
            allowed = "moderate"
        order = V.Confidence.tokens
        if order.index(current) > order.index(allowed):
            tx.set(claim, V.CONFIDENCE, V.Confidence.iri(allowed))
            change.confidence_before, change.confidence_after = current, allowed

    def claims_reaching(self, source: NamedNode) -> set[NamedNode]:
        """Claims with evidence found in, attributed to, or derived through ``source``."""
        rows = self.store.query(
            "SELECT ?s ?c WHERE { ?e <%s> ?c . { ?e <%s> ?x } UNION { ?e <%s> ?x } "
            "?x <%s>* ?s }" % (V.CLAIM_LINK.value, V.SOURCE_LINK.value,
                              V.HAD_PRIMARY_SOURCE.value, V.WAS_DERIVED_FROM.value),
            {"s": source})
        return {row["c"] for row in rows}

    # -- validation ----------------------------------------------------------------------
    def _check(self, tx: Transaction) -> ValidationReport:
        focus = tx.focus_nodes()
        if not focus:
            return ValidationReport()
        closure = closure_triples(tx.view, focus)
        shapes = self.shapes
        # pyshacl needs an rdflib graph only for shapes the SPARQL compiler cannot translate.
        graph = _rdflib_graph(closure) if shapes.compiled.unsupported else None
        return shapes.validate(graph, focus=[n.value for n in focus],
                               sparql_store=MemoryStore(closure))


class Transaction:
    """One write in progress: a change set over the ledger, seen through :attr:`view`."""

    def __init__(self, ledger: Ledger, command: str, arguments: dict[str, Any],
                 reason: str | None) -> None:
        self.ledger = ledger
        self.command = command
        self.arguments = arguments
        self.reason = reason
        self.changes = ChangeSet()
        self.view = StateView(ledger.store, self.changes)
        self.time = terms.now_literal()
        self.agent = ledger.agent_iri(ledger.agent_name or "")
        #: Claims whose corroboration must be re-derived.
        self.claims: set[NamedNode] = set()
        #: Claims whose confidence the user sets in this write (never lowered automatically).
        self.confidence_set: set[NamedNode] = set()
        #: Extra nodes to validate even if none of their triples change.
        self.extra_focus: set[NamedNode] = set()
        self.created: NamedNode | None = None
        self.invalidates_shapes = False
        self.result: WriteResult | None = None

    def add(self, s: NamedNode, p: NamedNode, o: Term) -> None:
        o = terms.canonical(o)
        if not self.view.has(s, p, o):
            self.changes.add(s, p, o)

    def remove(self, s: NamedNode, p: NamedNode, o: Term) -> None:
        if self.view.has(s, p, o):
            self.changes.remove(Triple(s, p, o))

    def set(self, s: NamedNode, p: NamedNode, o: Term | None) -> None:
        """Make ``o`` the only value of ``p`` on ``s`` (no value when ``o`` is None)."""
        self.set_all(s, p, [] if o is None else [o])

    def set_all(self, s: NamedNode, p: NamedNode, values: Iterable[Term]) -> None:
        """Make ``values`` exactly the values of ``p`` on ``s``."""
        wanted = {terms.canonical(v) for v in values}
        for current in self.view.objects(s, p):
            if current not in wanted:
                self.changes.remove(Triple(s, p, current))
        for value in wanted:
            self.add(s, p, value)

    def affected_nodes(self) -> set[NamedNode]:
        """Claims and sources whose recorded state this write changes (for the audit log)."""
        ledger = self.ledger
        owners: set[NamedNode] = set()
        for t in self.changes.added | self.changes.removed:
            owners.update(ledger_owner(self.view, t.subject))
        return {n for n in owners if isinstance(n, NamedNode)}

    def focus_nodes(self) -> set[NamedNode]:
        nodes = {t.subject for t in self.changes.added | self.changes.removed}
        nodes |= self.claims | self.extra_focus
        return {n for n in nodes if isinstance(n, NamedNode) and self.view.exists(n)}


def ledger_owner(view: StateView, node: NamedNode) -> set[NamedNode]:
    """The claim(s) or source(s) a node belongs to: itself for a claim or source, the claim
    for evidence and its quote, the subject of a verdict, retraction or discrediting."""
    if view.has(node, V.TYPE, V.CLAIM) or view.has(node, V.TYPE, V.SOURCE):
        return {node}
    claim = view.value(node, V.CLAIM_LINK)
    if isinstance(claim, NamedNode):
        return {claim}
    about = view.value(node, V.ABOUT)
    if isinstance(about, NamedNode):
        return ledger_owner(view, about) or {about}
    for ev in view.subjects(V.HAS_SELECTOR, node):
        return ledger_owner(view, ev)
    return set()


class StateView:
    """The ledger as it will be once ``changes`` are applied: the store plus the change set."""

    def __init__(self, store: Store, changes: ChangeSet) -> None:
        self.store = store
        self.changes = changes

    def objects(self, s: Term, p: NamedNode) -> list[Term]:
        out = [t.object for t in self.store.triples(s, p, None)
               if t not in self.changes.removed]
        out.extend(t.object for t in self.changes.added_about(s) if t.predicate == p)
        return out

    def subjects(self, p: NamedNode, o: Term) -> list[Term]:
        out = [t.subject for t in self.store.triples(None, p, o) if t not in self.changes.removed]
        out.extend(t.subject for t in self.changes.added_with(p, o))
        return out

    def value(self, s: Term, p: NamedNode) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def has(self, s: Term, p: NamedNode, o: Term) -> bool:
        t = Triple(s, p, o)
        if t in self.changes.added:
            return True
        if t in self.changes.removed:
            return False
        return any(True for _ in self.store.triples(s, p, o))

    def describe(self, s: Term) -> list[Triple]:
        out = [t for t in self.store.triples(s, None, None) if t not in self.changes.removed]
        out.extend(self.changes.added_about(s))
        return out

    def exists(self, s: Term) -> bool:
        return bool(self.describe(s))


@dataclass
class ClaimFacts:
    evidence: list[corroboration.EvidenceFacts] = field(default_factory=list)
    sources: dict[NamedNode, corroboration.SourceFacts] = field(default_factory=dict)
    verdict: str | None = None


def gather_facts(view: StateView, claim: NamedNode) -> ClaimFacts:
    """Read from ``view`` what corroboration needs to derive ``claim``'s status."""
    facts = ClaimFacts()
    pending: list[NamedNode] = []
    for ev in view.subjects(V.CLAIM_LINK, claim):
        if not isinstance(ev, NamedNode):
            continue
        stance = view.value(ev, V.STANCE)
        source = view.value(ev, V.SOURCE_LINK)
        if not isinstance(stance, NamedNode) or not isinstance(source, NamedNode):
            continue  # malformed evidence: the sourcing rules report it
        attributed = view.value(ev, V.HAD_PRIMARY_SOURCE)
        credibility = view.value(ev, V.CREDIBILITY)
        facts.evidence.append(corroboration.EvidenceFacts(
            iri=ev,
            stance=_token(V.Stance, stance) or "",
            source=source,
            attributed=attributed if isinstance(attributed, NamedNode) else None,
            credibility=_token(V.Credibility, credibility),
            retracted=view.value(ev, V.RETRACTION_LINK) is not None,
        ))
        pending.append(source)
        if isinstance(attributed, NamedNode):
            pending.append(attributed)
    seen: set[NamedNode] = set()
    while pending:
        src = pending.pop()
        if src in seen:
            continue
        seen.add(src)
        parents = tuple(p for p in view.objects(src, V.WAS_DERIVED_FROM) if isinstance(p, NamedNode))
        anonymous = view.value(src, V.ANONYMOUS)
        facts.sources[src] = corroboration.SourceFacts(
            iri=src,
            parents=parents,
            reliability=_token(V.Reliability, view.value(src, V.RELIABILITY)),
            discredited=view.value(src, V.DISCREDITED) is not None,
            anonymous=isinstance(anonymous, Literal) and anonymous.value == "true",
        )
        pending.extend(parents)
    latest: tuple[str, str] | None = None
    for verdict in view.objects(claim, V.VERDICT_LINK):
        value = view.value(verdict, V.VERDICT_VALUE)
        when = view.value(verdict, V.GENERATED_AT_TIME)
        token = _token(V.Status, value)
        if token in V.VERDICTS:
            key = (when.value if when is not None else "", verdict.value)
            if latest is None or key > latest:
                latest = key
                facts.verdict = token
    return facts


def closure_triples(view: StateView, focus: Iterable[NamedNode]) -> list[Triple]:
    """Every triple the sourcing rules may need to check ``focus``.

    For a claim: the claim, its evidence and their quotes, its verdicts. For evidence: its
    claim. For every source reached: its triples, its derivation chain to the origins and
    their discreditings. Agents named anywhere in it.
    """
    nodes: set[Term] = set()
    sources: list[Term] = []
    queue = list(focus)
    while queue:
        node = queue.pop()
        if node in nodes or not isinstance(node, (NamedNode, BlankNode)):
            continue
        nodes.add(node)
        if view.has(node, V.TYPE, V.CLAIM):
            queue.extend(view.subjects(V.CLAIM_LINK, node))
            queue.extend(view.objects(node, V.VERDICT_LINK))
            queue.extend(view.objects(node, V.SUPPORT_ORIGIN))
        for p in (V.CLAIM_LINK, V.SOURCE_LINK, V.HAD_PRIMARY_SOURCE, V.HAS_SELECTOR,
                  V.RETRACTION_LINK, V.ORIGIN, V.ABOUT):
            queue.extend(view.objects(node, p))
        if view.has(node, V.TYPE, V.SOURCE):
            sources.append(node)
            queue.extend(view.objects(node, V.WAS_DERIVED_FROM))
            queue.extend(view.objects(node, V.DISCREDITED))
    triples = []
    agents: set[Term] = set()
    for node in nodes:
        for t in view.describe(node):
            triples.append(t)
            if t.predicate in (V.WAS_ATTRIBUTED_TO, V.IDENTITY_KNOWN_TO):
                agents.add(t.object)
    for agent in agents - nodes:
        triples.extend(view.describe(agent))
    return triples


def _rdflib_graph(triples: Iterable[Triple]):
    """The triples as an rdflib graph, term by term (rdflib's N-Triples parser takes time
    quadratic in a line's length: 11 s for a 1 MiB literal, minutes for a few MiB)."""
    import rdflib

    def term(t):
        if isinstance(t, NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype == V.XSD_STRING:
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    graph = rdflib.Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


def _token(scheme: V.ConceptScheme, node: Term | None) -> str | None:
    if not isinstance(node, NamedNode):
        return None
    try:
        return scheme.token(node)
    except KeyError:
        return None


def _timeout(value: float | None) -> float:
    if value is not None:
        return value
    env = os.environ.get("CLAIMLEDGER_LOCK_TIMEOUT")
    if env:
        try:
            return float(env)
        except ValueError:
            raise InputError(f"{env!r} is not a number of seconds",
                             argument="CLAIMLEDGER_LOCK_TIMEOUT") from None
    return locking.DEFAULT_TIMEOUT
