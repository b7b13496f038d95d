"""Public keys recorded as an agent's, and the ledger's signing setting (``claimledger key``).

The only writes that may change key records (:mod:`claimledger.signing.events` refuses the
others). The rules, which ``verify`` checks again from the audit trail
(:mod:`claimledger.audit.signatures`):

* an agent's first key is Ed25519 and its record is signed by that key itself;
* a key change — a new Ed25519 key replacing the current one, or a new RSA key for
  nanopublications — is an event signed by the agent's current Ed25519 key, which records the
  new key, ``cl:replacesKey`` the old one of the same algorithm, and the old one's
  ``prov:invalidatedAtTime``;
* a revocation is signed by the owner's Ed25519 key (the revoked one included); a revoked key
  signs nothing after it;
* keys are recorded by their owner only (``--agent``), and never deleted.

Private keys stay in the key directory (:func:`claimledger.settings.key_dir`), outside every
ledger; only the public key enters the ledger.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from claimledger import settings
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ConflictError, InputError, NotFoundError
from claimledger.model import vocab as V
from claimledger.signing.events import find_signer
from claimledger.signing.keyfiles import private_key_path, read_private_key, write_key_pair
from claimledger.signing.keys import ED25519, PublicKey, Signer, generate
from claimledger.signing.registry import (KeyRecord, StoreReader, agent_keys, all_keys, key_iri,
                                          read_record, record_triples)

_KEY_ID = re.compile(r"[0-9a-f]{32}\Z")


@dataclass
class KeyAdded:
    """What ``key create`` / ``key add`` did."""

    key_id: str
    algorithm: str
    agent: NamedNode
    public: PublicKey
    #: The private and public key files (None for ``key add``, which writes no file).
    private_file: Path | None
    public_file: Path | None
    #: Keys this one replaces (revoked by the same event).
    replaced: list[str]
    result: WriteResult


@dataclass
class KeyListing:
    """One recorded key, and whether its private key is in this user's key directory."""

    record: KeyRecord
    private_here: bool


def _outside_ledger(ledger: LedgerCore, path: Path, what: str) -> None:
    directory = getattr(ledger.store, "directory", None)
    if directory is None:
        return
    inside, target = Path(directory).resolve(), path.resolve()
    if target == inside or inside in target.parents:
        raise InputError(f"{what} {str(path)!r} is inside the ledger; private keys are kept "
                         "outside it (choose another CLAIMLEDGER_KEY_DIR)")


def _plan(ledger: LedgerCore, agent: NamedNode, public: PublicKey, new: Signer
          ) -> tuple[Signer, list[KeyRecord]]:
    """The signer of the write recording ``public`` and the keys it replaces."""
    before = StoreReader(ledger.store)
    if read_record(before, key_iri(ledger.base, public.key_id)) is not None:
        raise ConflictError(f"key {public.key_id} is already recorded in this ledger")
    current = agent_keys(before, agent, algorithm=ED25519)
    replaced = agent_keys(before, agent, algorithm=public.algorithm)
    if not current:
        if public.algorithm != ED25519:
            raise InputError(f"{agent.value} has no Ed25519 key yet: record one first "
                             "(claimledger key create); it signs the record of this key")
        return new, []
    signer = ledger.signer or find_signer(before, agent, ledger.base)
    ids = [r.key_id for r in current]
    if signer is None or signer.key_id not in ids:
        raise InputError(f"{agent.value} holds key {ids[0]}: a new key is recorded by a write "
                         f"signed with it — set CLAIMLEDGER_KEY to its private key file, or "
                         f"keep it as {private_key_path(settings.key_dir(), ids[0])}")
    return signer, replaced


def _record(ledger: LedgerCore, agent: NamedNode, public: PublicKey, signer: Signer,
            replaced: list[KeyRecord], *, server: bool, reason: str | None) -> WriteResult:
    arguments = {"key": public.key_id, "algorithm": public.algorithm, "server": server,
                 "replaces": [r.key_id for r in replaced]}
    with ledger.transaction("key add", arguments, reason=reason) as tx:
        tx.key_write = True
        tx.signer = signer
        iri = key_iri(ledger.base, public.key_id)
        old = replaced[0].iri if replaced else None
        for t in record_triples(iri, agent=agent, public=public, server=server, time=tx.time,
                                replaces=old):
            tx.add(t.subject, t.predicate, t.object)
        for record in replaced:
            tx.add(record.iri, V.INVALIDATED_AT_TIME, tx.time)
    return tx.result


def create_key(ledger: LedgerCore, *, algorithm: str = ED25519, server: bool = False,
               directory: str | os.PathLike[str] | None = None, reason: str | None = None
               ) -> KeyAdded:
    """Make a key pair for the writing agent, keep the private key in its owner-only file in
    the key directory, and record the public key in the ledger (see the module doc).

    :param server: the key of a server that signs the web page's writes for its users.
    :raises InputError: for a key directory inside the ledger, shared or a link; a key change
        without the current key; an RSA key before an Ed25519 one.
    """
    ledger.check_writable(reason)
    agent = ledger.agent_iri(ledger.agent_name or "")
    folder = Path(directory) if directory is not None else settings.key_dir()
    _outside_ledger(ledger, folder, "the key directory")
    new = generate(algorithm)
    signer, replaced = _plan(ledger, agent, new.public, new)
    private, public = write_key_pair(new, folder)
    try:
        result = _record(ledger, agent, new.public, signer, replaced, server=server,
                         reason=reason)
    except BaseException:  # nothing recorded: leave no key behind either
        private.unlink(missing_ok=True)
        public.unlink(missing_ok=True)
        raise
    return KeyAdded(new.key_id, new.algorithm, agent, new.public, private, public,
                    [r.key_id for r in replaced], result)


def add_key(ledger: LedgerCore, path: str | os.PathLike[str], *, server: bool = False,
            reason: str | None = None) -> KeyAdded:
    """Record the public key of an existing private key file as the writing agent's.

    :raises InputError: as :func:`create_key`, and for a key file that cannot be used.
    """
    ledger.check_writable(reason)
    agent = ledger.agent_iri(ledger.agent_name or "")
    _outside_ledger(ledger, Path(path), "the key file")
    key = read_private_key(path)
    signer, replaced = _plan(ledger, agent, key.public, key)
    result = _record(ledger, agent, key.public, signer, replaced, server=server, reason=reason)
    return KeyAdded(key.key_id, key.algorithm, agent, key.public, None, None,
                    [r.key_id for r in replaced], result)


def revoke_key(ledger: LedgerCore, key_id: str, *, reason: str | None = None) -> WriteResult:
    """Revoke one of the writing agent's keys: from this event on it signs nothing.

    :raises NotFoundError: for a key the ledger does not hold.
    :raises ConflictError: for a key already revoked.
    :raises InputError: for another agent's key, or without the agent's Ed25519 key to sign.
    """
    ledger.check_writable(reason)
    if not _KEY_ID.match(key_id or ""):
        raise InputError(f"{key_id!r} is not a key id (32 hex digits, as key list shows)",
                         argument="KEY")
    agent = ledger.agent_iri(ledger.agent_name or "")
    before = StoreReader(ledger.store)
    iri = key_iri(ledger.base, key_id)
    record = read_record(before, iri)
    if record is None:
        raise NotFoundError(f"no key {key_id} in this ledger", argument="KEY")
    if record.revoked is not None:
        raise ConflictError(f"key {key_id} was already revoked at {record.revoked}",
                            argument="KEY")
    if record.agent != agent:
        raise InputError(f"key {key_id} is {record.agent.value if record.agent else 'nobody'}'s; "
                         "only its owner revokes it", argument="KEY")
    signer = ledger.signer or find_signer(before, agent, ledger.base)
    if signer is None:
        raise InputError(f"revoking key {key_id} takes a write signed with {agent.value}'s "
                         "Ed25519 key (set CLAIMLEDGER_KEY to its private key file); without "
                         "it, no write can revoke the key")
    with ledger.transaction("key revoke", {"key": key_id}, reason=reason) as tx:
        tx.key_write = True
        tx.signer = signer
        tx.add(iri, V.INVALIDATED_AT_TIME, tx.time)
    return tx.result


def require_signing(ledger: LedgerCore, required: bool = True, *, reason: str | None = None
                    ) -> WriteResult:
    """Turn the ledger's "signing required" setting on (every later write must be signed,
    and ``verify`` fails on an unsigned one) or off. Either way the write itself is signed.

    :raises InputError: if the writing agent has no key to sign it with.
    """
    ledger.check_writable(reason)
    command = "signing require" if required else "signing relax"
    with ledger.transaction(command, {"required": required}, reason=reason) as tx:
        tx.key_write = True
        tx.set(ledger.node, V.SIGNING_REQUIRED, Literal(True) if required else None)
    return tx.result


def list_keys(ledger: LedgerCore) -> list[KeyListing]:
    """Every key the ledger records, and whether its private key is in the key directory."""
    folder = settings.key_dir()
    return [KeyListing(r, os.path.lexists(private_key_path(folder, r.key_id)))
            for r in all_keys(ledger.store)]
