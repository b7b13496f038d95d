"""Signed bundles of one claim (``claimledger bundle``): the claim, its evidence and sources,
signed by the exporting agent's Ed25519 key — the format and exactly what the signature covers
are in :mod:`claimledger.signing.bundles`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, serialize

from claimledger import audit, settings
from claimledger.core.facts import closure_triples
from claimledger.core.ledger import LedgerCore
from claimledger.core.view import StateView
from claimledger.errors import InputError
from claimledger.model import terms
from claimledger.signing import bundles
from claimledger.signing.events import find_signer
from claimledger.signing.keys import ED25519, Signer
from claimledger.signing.registry import StoreReader, key_iri, require_own_key
from claimledger.store.base import ChangeSet


def bundle_quads(ledger: LedgerCore, slug: str, *, agent: str | None = None,
                 signer: Signer | None = None) -> list[Quad]:
    """The signed bundle of claim ``slug``, signed by ``agent`` (else the ledger's agent,
    else ``$CLAIMLEDGER_AGENT``) with ``signer``, else with the agent's key
    (``$CLAIMLEDGER_KEY`` or the key directory).

    :raises NotFoundError: for an unknown claim.
    :raises InputError: without an agent, or without a key of the agent's to sign with.
    """
    claim = ledger.resolve("claim", slug, argument="CLAIM")
    who = ledger.agent_iri(settings.require_agent(agent or ledger.agent_name))
    store = ledger.store
    signer = signer or find_signer(StoreReader(store), who, ledger.base)
    if signer is None:
        raise InputError(f"no key to sign with: {who.value} has none in the key directory "
                         f"({settings.key_dir()}) and CLAIMLEDGER_KEY is not set")
    require_own_key(store, ledger.base, signer.key_id, who, algorithm=ED25519)
    view = StateView(store, ChangeSet())
    content = [Quad(t.subject, t.predicate, t.object, DefaultGraph())
               for t in sorted(set(closure_triples(view, [claim])), key=str)]
    proof = bundles.proof_quads(
        NamedNode(f"{ledger.base}bundle/{ledger.slug(claim)}"), claim=claim, ledger=ledger.node,
        head=audit.head(store, ledger.base).hash, agent=who, time=terms.now_literal(),
        key=key_iri(ledger.base, signer.key_id), public=signer.public)
    return bundles.sign(content, proof, signer)


FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}


def write_bundle(ledger: LedgerCore, slug: str, output: IO[bytes], *, agent: str | None = None,
                 signer: Signer | None = None, fmt: str = "trig") -> None:
    """Write the signed bundle of claim ``slug`` as TriG (or N-Quads) to ``output``.

    :raises InputError: as :func:`bundle_quads`, or for another format.
    """
    from claimledger.interchange.prov import ledger_prefixes

    if fmt not in FORMATS:
        raise InputError(f"{fmt!r} is not a bundle format (trig, nquads)", argument="--format")
    quads = bundle_quads(ledger, slug, agent=agent, signer=signer)
    prefixes = ledger_prefixes(ledger) if fmt == "trig" else None
    serialize(quads, output, FORMATS[fmt], prefixes=prefixes)


def bundle_to_file(ledger: LedgerCore, slug: str, path: str | os.PathLike[str], *,
                   agent: str | None = None, signer: Signer | None = None,
                   fmt: str = "trig") -> None:
    """Write the bundle to ``path``, all or nothing (``<path>.part`` renamed when complete).

    :raises InputError: as :func:`bundle_quads`, or for a path that cannot be written.
    """
    output = Path(path)
    tmp = output.with_name(output.name + ".part")
    try:
        with open(tmp, "wb") as fh:
            write_bundle(ledger, slug, fh, agent=agent, signer=signer, fmt=fmt)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}",
                         argument="--output") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
