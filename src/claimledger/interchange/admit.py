"""What an import may add to a ledger: one rule, read from the tables below, for both import
paths (the ordinary write in :mod:`.rdf` and the bulk path in :mod:`.bulk`).

An import touches only what a user could record with the recording commands:

* records of the kinds in :data:`RECORDS` — claims, sources, evidence, verdicts,
  retractions, discreditings, policies (checked as ``policy add`` checks them) — each with
  the claimledger properties its kind carries, and derivations (``prov:wasDerivedFrom``)
  and agents like any other description;
* prefix declarations (``<ledger> sh:declare [ sh:prefix … ; sh:namespace … ]``), checked as
  ``prefix add`` checks them and recorded as this ledger's own;
* descriptions of the entities claims are about, in the user's own vocabularies: any triple
  whose subject is no reserved node and that uses no claimledger term.

Refused, naming the first offending quad (exit 2, nothing written): anything on the ledger
node or in the ledger's audit trail (its graph and event nodes, :data:`RESERVED_PATHS`), any
class claimledger reserves (:data:`RESERVED_CLASSES`) or does not know, a claimledger
property on a node whose kind does not carry it, a subject in claimledger's own vocabulary,
and quads in any named graph. A triple the ledger already holds adds nothing and is never
refused: a ledger's own export imports as nothing.

Left out (never merged): derived facts (recomputed after the import), and what makes a file
an *export* of a ledger — the node it declares as a ``cl:Ledger`` and that ledger's audit
trail, the named graphs ``<B>audit`` and ``<B>event/N/added|removed`` under that node's IRI
``<B>``, recognised as a whole. A ledger's export imports the same way on both paths, and
its audit trail never enters this one.

Keys, event signatures and the signing requirement (:data:`KEY_TERMS`) are refused: only
``claimledger key`` changes them; an exported ledger's key records are left out with its node.

A new record type extends the rule by adding a row to :data:`RECORDS` (or to
:data:`RESERVED_CLASSES`, for records only claimledger writes).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from pyoxigraph import NamedNode, Triple

from claimledger.errors import ConflictError, InputError
from claimledger.model import literals
from claimledger.model import vocab as V

if TYPE_CHECKING:
    from claimledger.core.ledger import LedgerCore
    from claimledger.store.oxigraph import OxigraphStore


def canonical_object(quad: ox.Quad, name: str):
    """The quad's object in claimledger's canonical form (:mod:`claimledger.model.literals`).

    :raises InputError: naming the file and the quad, for a literal not valid for its
        datatype or of a datatype claimledger does not take.
    """
    try:
        return literals.canonical(quad.object)
    except literals.LexicalError as exc:
        raise InputError(f"{name!r}: {exc}, in {quad.triple} .", argument="FILE") from None


@dataclass(frozen=True)
class Kind:
    """A kind of record an import may add: its class, and the claimledger properties records
    of that kind carry (other than the derived ones, :data:`~claimledger.model.vocab.DERIVED_PROPERTIES`)."""

    name: str
    cls: NamedNode
    properties: frozenset[NamedNode]


RECORDS: tuple[Kind, ...] = (
    Kind("claim", V.CLAIM, frozenset({V.CONFIDENCE, V.VERDICT_LINK, V.IN_CASE, V.UNTRIAGED})),
    Kind("source", V.SOURCE, frozenset({V.KIND, V.ANONYMOUS, V.ANONYMITY_JUSTIFICATION,
                                        V.IDENTITY_KNOWN_TO, V.RELIABILITY, V.DISCREDITED,
                                        V.IN_CASE, V.CAPTURE_LINK, V.LAST_CAPTURE,
                                        V.CURRENT_SNAPSHOT})),
    Kind("evidence", V.EVIDENCE, frozenset({V.CLAIM_LINK, V.SOURCE_LINK, V.STANCE, V.LOCATOR,
                                            V.CREDIBILITY, V.RETRACTION_LINK, V.ANCHOR_LINK,
                                            V.QUOTE_STATUS})),
    Kind("verdict", V.VERDICT, frozenset({V.ABOUT, V.VERDICT_VALUE, V.REASON, V.RATING,
                                          V.RETRACTION_LINK})),
    Kind("retraction", V.RETRACTION, frozenset({V.ABOUT, V.REASON})),
    Kind("discrediting", V.DISCREDITING, frozenset({V.ABOUT, V.REASON})),
    Kind("policy", V.POLICY, frozenset({V.SHAPES})),
    Kind("case", V.CASE, frozenset()),
    Kind("verdict scale", V.VERDICT_SCALE, frozenset({V.SCALE_NAME})),
    Kind("rating of a verdict scale", V.SKOS_CONCEPT, frozenset({V.NORMALISED_RATING})),
    Kind("review", V.REVIEW, frozenset({V.ABOUT, V.REVIEW_EVIDENCE, V.REVIEW_SOURCE, V.RATING,
                                        V.RATING_TEXT, V.RATING_MAPPING, V.NORMALISED_RATING})),
    # Source capture (records/snapshots.py, records/quotes.py). An export does not carry the
    # snapshot files: imported into another ledger, verify names them as missing there.
    Kind("snapshot", V.SNAPSHOT, frozenset({V.SHA256, V.BYTE_SIZE, V.CONTENT_TYPE, V.TEXT_LINK,
                                            V.WARC_FILE, V.WARC_RECORD, V.FILE_SHA256})),
    Kind("capture", V.CAPTURE, frozenset({V.OUTCOME, V.REQUESTED_URL, V.FINAL_URL,
                                          V.HTTP_STATUS, V.CONTENT_TYPE, V.SHA256, V.BYTE_SIZE,
                                          V.REDIRECTS, V.FAILURE, V.SNAPSHOT_LINK, V.WARC_FILE,
                                          V.WARC_RECORD, V.FILE_SHA256})),
    Kind("extracted text", V.EXTRACTED_TEXT, frozenset({V.SHA256, V.TEXT_FILE, V.TEXT_LENGTH,
                                                        V.EXTRACTOR, V.EXTRACTOR_VERSION})),
    Kind("anchor", V.ANCHOR, frozenset({V.SNAPSHOT_LINK, V.ANCHOR_STATUS, V.OCCURRENCE})),
)
#: Classes only claimledger itself writes: the ledger node and the events of its audit trail.
RESERVED_CLASSES = frozenset({V.LEDGER, V.EVENT})
#: IRIs under the ledger's base that only claimledger writes (``""``: the ledger node itself).
RESERVED_PATHS = ("", "audit", "event/", "prefix/")
#: Keys, signatures and the signing requirement: only ``claimledger key`` writes them (an
#: exported ledger's key records, ``<B>key/…``, are left out).
KEY_CLASSES = frozenset({V.PUBLIC_KEY, V.SERVER_KEY})
KEY_TERMS = V.KEY_PROPERTIES | V.SIGNATURE_PROPERTIES | {V.SIGNING_REQUIRED}
KEY_PATH = "key/"
#: Namespaces of claimledger's own vocabulary and rules: nothing is said about their terms.
RESERVED_NAMESPACES = (V.CL, "https://w3id.org/claimledger/shapes#")
#: The audit trail of an exported ledger with base ``B``: ``<B>audit``, ``<B>event/N/added``…
_TRAIL_RE = re.compile(r"(?:audit|event/[1-9][0-9]*/(?:added|removed))\Z")

_BY_CLASS = {kind.cls: kind for kind in RECORDS}


@dataclass
class Admission:
    """The rule applied to one imported file (see the module doc).

    :param ledger: the ledger importing (its ``base``, ``node``, ``prefixes`` and ``store``).
    :param file: the file's quads in a store of their own (the file's default graph is that
        store's default graph), blank nodes already skolemised.
    :param name: the file's name, for messages.
    """

    ledger: LedgerCore
    file: OxigraphStore
    name: str
    #: What was left out, and how many triples: shown to the user, never merged.
    left_out: Counter = field(default_factory=Counter)
    #: Prefix declarations the file brings that the ledger does not have yet (checked).
    prefixes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ledger = self.ledger
        self.base: str = ledger.base
        self.node: NamedNode = ledger.node
        #: Ledger nodes the file declares: an export's own node, left out.
        self.exported = {t.subject for t in self.file.triples(None, V.TYPE, V.LEDGER)}
        self.declarations = self._declarations()
        self._kinds: tuple[object, frozenset[Kind]] = (None, frozenset())

    # -- graphs ------------------------------------------------------------------------------
    def check_graphs(self, graphs: Iterable[NamedNode], first_quad: Callable) -> list[NamedNode]:
        """The named graphs of the file to leave out (an exported ledger's audit trail).

        :param first_quad: gives a quad of a graph, to name in the message.
        :raises InputError: for any other named graph.
        """
        trail = []
        for graph in graphs:
            owner = self._trail_owner(graph)
            if owner is None:
                quad = first_quad(graph)
                raise InputError(
                    f"{self.name!r} has triples in the named graph {graph} ({quad} .): an import "
                    "takes the default graph only, and leaves out a claimledger export's audit "
                    "trail — merge your graphs first", argument="FILE")
            trail.append(graph)
        if trail:
            self.left_out["named graphs of the exported ledger's audit trail"] += len(trail)
        return trail

    def _trail_owner(self, graph: object) -> NamedNode | None:
        if not isinstance(graph, NamedNode):
            return None
        for node in self.exported:
            if graph.value.startswith(node.value) and _TRAIL_RE.match(graph.value[len(node.value):]):
                return node
        return None

    # -- triples -----------------------------------------------------------------------------
    def admit(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        """The triples of the file's default graph that the import adds, in order.

        :raises InputError: at the first triple the rule refuses (see the module doc).
        """
        consumed = {d for _, d in self.declarations}
        for t in triples:
            s, p, o = t.subject, t.predicate, t.object
            if p in V.DERIVED_PROPERTIES:
                self.left_out["derived facts (recomputed)"] += 1
                continue
            if s in self.exported and s != self.node:
                self.left_out["the exported ledger's own node"] += 1
                continue
            if self._exported_key(s):
                self.left_out["the exported ledger's key records"] += 1
                continue
            if s in consumed or (s == self.node and p == V.SH_DECLARE):
                continue  # prefix declarations: recorded as the ledger's own (self.prefixes)
            problem = self._problem(s, p, o)
            if problem is None:
                yield t
            elif not any(True for _ in self.ledger.store.triples(s, p, o)):
                raise InputError(f"{self.name!r}: {t} . — {problem}; an import adds only what "
                                 "the recording commands could (nothing was written)",
                                 argument="FILE")

    def _exported_key(self, s) -> bool:
        """Whether ``s`` is a key record of an exported ledger other than this one."""
        return isinstance(s, NamedNode) and any(
            s.value.startswith(node.value + KEY_PATH) for node in self.exported if node != self.node)

    def _problem(self, s, p, o) -> str | None:
        """Why the rule refuses a triple, or None."""
        if (p in KEY_TERMS or o in KEY_CLASSES
                or (isinstance(s, NamedNode) and s.value.startswith(self.base + KEY_PATH))):
            return ("keys, signatures and the signing requirement change only through "
                    "claimledger key")
        reserved = self._reserved(s)
        if reserved:
            return reserved
        if o == self.node:
            return "it points at the ledger's own node"
        if p == V.TYPE and isinstance(o, NamedNode) and _ours(o.value):
            if o in RESERVED_CLASSES:
                return f"only claimledger itself writes {_curie(o)} records"
            if o not in _BY_CLASS:
                return f"{_curie(o)} is not a kind of record this claimledger imports"
            return None
        if _ours(p.value):
            kinds = self._kinds_of(s)
            if not any(p in kind.properties for kind in kinds):
                carriers = [k.name for k in RECORDS if p in k.properties]
                if not carriers:
                    return f"{_curie(p)} is written by claimledger itself"
                what = " or ".join(k.name for k in kinds) or "a node of no claimledger kind"
                return (f"{_curie(p)} belongs on a {' or '.join(carriers)}, and {s} is {what}")
        return None

    def _reserved(self, s) -> str | None:
        if not isinstance(s, NamedNode):
            return None
        value = s.value
        if any(value.startswith(ns) for ns in RESERVED_NAMESPACES):
            return "it says something about claimledger's own vocabulary"
        if value.startswith(self.base):
            rest = value[len(self.base):]
            for path in RESERVED_PATHS:
                if (rest == path) if path in ("", "audit") else rest.startswith(path):
                    return ("it is about the ledger's own node" if path == ""
                            else "it is about the ledger's audit trail" if path != "prefix/"
                            else "prefix declarations are recorded with sh:declare on the "
                                 "ledger node, as prefix add does")
        return None

    def _kinds_of(self, s) -> frozenset[Kind]:
        """The record kinds of ``s``: its types in the file and in the ledger."""
        if self._kinds[0] == s:
            return self._kinds[1]
        found = frozenset(
            _BY_CLASS[t.object] for store in (self.file, self.ledger.store)
            for t in store.triples(s, V.TYPE, None) if t.object in _BY_CLASS)
        self._kinds = (s, found)
        return found

    # -- prefixes ----------------------------------------------------------------------------
    def _declarations(self) -> list[tuple[NamedNode, object]]:
        """``(ledger node, declaration node)`` for the prefixes the file declares on its own
        ledger node or on this ledger's."""
        return [(owner, t.object) for owner in sorted(self.exported | {self.node}, key=str)
                for t in self.file.triples(owner, V.SH_DECLARE, None)]

    def check_prefixes(self, check: Callable[[str, str], bool]) -> dict[str, str]:
        """Check every prefix the file declares with ``check(name, namespace)`` (``prefix
        add``'s checks; True when new) and keep the new ones in :attr:`prefixes`. A name the
        ledger already declares for another namespace (``cl:`` included) is left out: the
        ledger keeps its own.

        :raises InputError: for a declaration without a name or namespace, or one ``check``
            refuses as malformed.
        """
        for owner, decl in self.declarations:
            name = next((t.object for t in self.file.triples(decl, V.SH_PREFIX, None)), None)
            ns = next((t.object for t in self.file.triples(decl, V.SH_NAMESPACE, None)), None)
            if name is None or ns is None:
                raise InputError(f"{self.name!r}: {owner} declares a prefix {decl} without "
                                 "sh:prefix and sh:namespace", argument="FILE")
            try:
                new = check(name.value, ns.value)
            except ConflictError:
                self.left_out[f"the prefix {name.value}: <{ns.value}> (this ledger keeps its "
                              f"own {name.value}:)"] += 1
                continue
            except InputError as exc:
                raise InputError(f"{self.name!r} declares a prefix that prefix add would "
                                 f"refuse: {exc.message}", argument="FILE") from None
            if new:
                if self.prefixes.get(name.value, ns.value) != ns.value:
                    raise InputError(f"{self.name!r} declares the prefix {name.value!r} twice, "
                                     "for two namespaces", argument="FILE")
                self.prefixes[name.value] = ns.value
        return self.prefixes


    def notes(self) -> list[str]:
        """What was left out, one line each, for the user."""
        return [f"left out: {what}" + (f" ({n:,})" if n > 1 else "")
                for what, n in sorted(self.left_out.items())]


def _ours(value: str) -> bool:
    return value.startswith(V.CL)


def _curie(node: NamedNode) -> str:
    return "cl:" + node.value[len(V.CL):] if node.value.startswith(V.CL) else str(node)
