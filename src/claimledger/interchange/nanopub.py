"""Nanopublications: one per claim, in TriG, for research infrastructure (``export --format
nanopub``).

Each claim ``<base>claim/SLUG`` becomes the nanopublication ``<base>np/SLUG`` with exactly
four named graphs, as the nanopublication schema (``http://www.nanopub.org/nschema#``) has
them:

* ``…/np/SLUG/Head``: the nanopublication (``np:Nanopublication``) and its
  ``np:hasAssertion``, ``np:hasProvenance``, ``np:hasPublicationInfo``;
* ``…/np/SLUG/assertion``: the claim's triple itself (subject, predicate, object);
* ``…/np/SLUG/provenance``: about the assertion graph — ``prov:alternateOf`` the claim
  record, ``prov:wasDerivedFrom`` each source its counted supporting evidence was found in,
  ``prov:hadPrimarySource`` each source a statement is attributed to — and the records
  behind it: the claim (statement, status, confidence, independent origins), its evidence
  (stance, quote, locator, credibility, whether it counts, retraction), its verdicts, and
  every source reached with its derivation chain and discrediting;
* ``…/np/SLUG/pubinfo``: about the nanopublication — who recorded the claim and when
  (``prov:wasAttributedTo``, ``dcterms:creator``, ``dcterms:created``,
  ``prov:generatedAtTime``), a label, and ``npx:supersedes`` the nanopublication of the claim
  it revises.

Unsigned (the default), the URIs are under the ledger's base (``…/np/SLUG`` and, for its
graphs, ``…/np/SLUG/…``). The ``nanopub`` package reads each one as valid
(``Nanopub(rdf=…).is_valid``).

Signed (``export --format nanopub --sign``, :func:`signed_nanopubs`), each is signed with the
exporting agent's RSA key by the nanopublication ecosystem's own scheme and gets a trusty URI
(:mod:`claimledger.signing.nanopub` says exactly what the signature covers):
``<D>np/SLUG/RA…`` for the nanopublication, ``…/RA…#Head``, ``#assertion``, ``#provenance``,
``#pubinfo`` for its graphs and ``#sig`` for its signature element, where ``D`` is the base
without its fragment (``https://ex.org/ledger#`` gives ``https://ex.org/ledger/``);
``npx:supersedes`` then links to the trusty URI of the revised claim's signed nanopublication.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from claimledger.core.facts import closure_triples
from claimledger.core.ledger import LedgerCore
from claimledger.core.view import StateView
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.signing import nanopub as signing_np
from claimledger.signing.events import find_signer
from claimledger.signing.keys import RSA, Signer
from claimledger.signing.registry import StoreReader, require_own_key
from claimledger.store.base import ChangeSet

# The nanopublication vocabulary is signing.nanopub's (which checks what this writes).
NP, NPX = signing_np.NP, signing_np.NPX
NANOPUBLICATION, HAS_ASSERTION = signing_np.NANOPUBLICATION, signing_np.HAS_ASSERTION
HAS_PROVENANCE, HAS_PUBLICATION_INFO = signing_np.HAS_PROVENANCE, signing_np.HAS_PUBLICATION_INFO
SUPERSEDES = NamedNode(NPX + "supersedes")
ALTERNATE_OF = NamedNode(V.PROV + "alternateOf")
CREATOR = NamedNode(V.DCTERMS + "creator")
CREATED = NamedNode(V.DCTERMS + "created")


def nanopub_iri(ledger: LedgerCore, claim: NamedNode) -> NamedNode:
    """The nanopublication of ``claim``: ``<base>np/SLUG``."""
    return NamedNode(f"{ledger.base}np/{ledger.slug(claim)}")


def nanopub_quads(ledger: LedgerCore, claim: NamedNode, view: StateView) -> list[Quad]:
    """The quads of the nanopublication of one claim (see the module doc)."""
    store = ledger.store
    np = nanopub_iri(ledger, claim)
    head, assertion = NamedNode(np.value + "/Head"), NamedNode(np.value + "/assertion")
    provenance, pubinfo = NamedNode(np.value + "/provenance"), NamedNode(np.value + "/pubinfo")

    def one(s, p):
        return next((t.object for t in store.triples(s, p, None)), None)

    quads = [Quad(np, V.TYPE, NANOPUBLICATION, head), Quad(np, HAS_ASSERTION, assertion, head),
             Quad(np, HAS_PROVENANCE, provenance, head),
             Quad(np, HAS_PUBLICATION_INFO, pubinfo, head)]
    s, p, o = one(claim, V.SUBJECT), one(claim, V.PREDICATE), one(claim, V.OBJECT)
    if s is not None and p is not None and o is not None:
        quads.append(Quad(s, p, o, assertion))
    prov = [Triple(assertion, ALTERNATE_OF, claim)]
    for ev in store.triples(None, V.CLAIM_LINK, claim):
        e = ev.subject
        if one(e, V.STANCE) != V.Stance.iri("supports") or one(e, V.COUNTS) != Literal(True):
            continue
        source = one(e, V.SOURCE_LINK)
        if source is not None:
            prov.append(Triple(assertion, V.WAS_DERIVED_FROM, source))
        attributed = one(e, V.HAD_PRIMARY_SOURCE)
        if attributed is not None:
            prov.append(Triple(assertion, V.HAD_PRIMARY_SOURCE, attributed))
    agents = {t.subject for t in store.triples(None, V.TYPE, V.PROV_AGENT)}
    prov.extend(t for t in closure_triples(view, [claim]) if t.subject not in agents)
    quads.extend(Quad(t.subject, t.predicate, t.object, provenance) for t in set(prov))
    recorder, recorded = one(claim, V.WAS_ATTRIBUTED_TO), one(claim, V.GENERATED_AT_TIME)
    info = [Triple(np, V.LABEL, Literal(f"claimledger claim {ledger.slug(claim)}"))]
    if recorder is not None:
        info += [Triple(np, V.WAS_ATTRIBUTED_TO, recorder), Triple(np, CREATOR, recorder)]
        label = one(recorder, V.LABEL)
        if label is not None:
            info.append(Triple(recorder, V.LABEL, label))
    if recorded is not None:
        info += [Triple(np, CREATED, recorded), Triple(np, V.GENERATED_AT_TIME, recorded)]
    for old in store.triples(claim, V.WAS_REVISION_OF, None):
        if isinstance(old.object, NamedNode):
            info.append(Triple(np, SUPERSEDES, nanopub_iri(ledger, old.object)))
    quads.extend(Quad(t.subject, t.predicate, t.object, pubinfo) for t in info)
    return quads


def nanopubs(ledger: LedgerCore) -> Iterator[list[Quad]]:
    """The nanopublication of every claim, one list of quads each, by claim IRI."""
    view = StateView(ledger.store, ChangeSet())
    claims = sorted((t.subject for t in ledger.store.triples(None, V.TYPE, V.CLAIM)),
                    key=lambda n: n.value)
    for claim in claims:
        if isinstance(claim, NamedNode):
            yield nanopub_quads(ledger, claim, view)


def nanopub_signer(ledger: LedgerCore, agent: NamedNode) -> Signer:
    """The RSA key that signs ``agent``'s nanopublications: ``$CLAIMLEDGER_RSA_KEY``, else the
    agent's RSA key in the key directory; it must be recorded in the ledger as the agent's.

    :raises InputError: if there is none, or it is not the agent's current RSA key.
    """
    signer = find_signer(StoreReader(ledger.store), agent, ledger.base, algorithm=RSA)
    if signer is None:
        raise InputError("no RSA key to sign nanopublications with: make one (claimledger key "
                         "create --algorithm RSA) or set CLAIMLEDGER_RSA_KEY", argument="--sign")
    require_own_key(ledger.store, ledger.base, signer.key_id, agent, algorithm=RSA)
    return signer


def _signed_base(ledger: LedgerCore, claim: NamedNode) -> str:
    root = ledger.base.split("#", 1)[0]
    return f"{root if root.endswith('/') else root + '/'}np/{ledger.slug(claim)}/"


def signed_nanopubs(ledger: LedgerCore, signer: Signer, *, agent: NamedNode | None = None
                    ) -> Iterator[list[Quad]]:
    """The signed nanopublication of every claim, by claim IRI (see the module doc)."""
    view = StateView(ledger.store, ChangeSet())
    done: dict[NamedNode, tuple[NamedNode, list[Quad]]] = {}

    def signed(claim: NamedNode, busy: frozenset) -> tuple[NamedNode, list[Quad]]:
        if claim in done:
            return done[claim]
        old_np = nanopub_iri(ledger, claim)
        code = signing_np.placeholder()
        np = NamedNode(_signed_base(ledger, claim) + code)
        names = {old_np: np, **{NamedNode(f"{old_np.value}/{part}"): NamedNode(f"{np.value}#{part}")
                                for part in signing_np.PARTS}}
        for old in ledger.store.triples(claim, V.WAS_REVISION_OF, None):
            if isinstance(old.object, NamedNode) and old.object not in busy:
                names[nanopub_iri(ledger, old.object)] = signed(old.object, busy | {claim})[0]
        quads = [Quad(*(names.get(t, t) for t in (q.subject, q.predicate, q.object, q.graph_name)))
                 for q in nanopub_quads(ledger, claim, view)]
        out, trusty = signing_np.sign(quads, np, code, signer, signed_by=agent)
        done[claim] = (trusty, out)
        return done[claim]

    claims = sorted((t.subject for t in ledger.store.triples(None, V.TYPE, V.CLAIM)),
                    key=lambda n: n.value)
    for claim in claims:
        if isinstance(claim, NamedNode):
            yield signed(claim, frozenset())[1]


def export_nanopubs(ledger: LedgerCore, output: IO[bytes], *, signer: Signer | None = None,
                    agent: NamedNode | None = None) -> None:
    """Write one nanopublication per claim as TriG to the binary stream ``output``: signed
    with ``signer`` (an RSA key of ``agent``'s) when given."""
    from claimledger.interchange.prov import ledger_prefixes

    prefixes = {**ledger_prefixes(ledger), "np": NP, "npx": NPX}
    every: list[Quad] = []
    made = nanopubs(ledger) if signer is None else signed_nanopubs(ledger, signer, agent=agent)
    for quads in made:
        order = {g: i for i, g in enumerate(dict.fromkeys(q.graph_name for q in quads))}
        every.extend(sorted(quads, key=lambda q: (order[q.graph_name], q.subject.value,
                                                  q.predicate.value)))
    serialize(every, output, RdfFormat.TRIG, prefixes=prefixes)
