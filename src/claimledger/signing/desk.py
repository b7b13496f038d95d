"""The web page's writes in desk mode: signed with the server's own key, recorded as such.

The server never holds its users' private keys. It holds one key of its own, recorded in the
ledger as a **server key** of the server's agent (``claimledger key create --server --agent
desk-server``); every write the web page makes for a user is that user's event (its agent is
the user) signed with the server key, and ``verify`` reports it as "server key … of
desk-server, on behalf of <user>". Only a user's own client (the CLI with the user's key)
signs as the user.

The web page calls :func:`sign_as_server` on each ledger it opens for writing::

    ledger = Ledger.open(path, write=True, agent=user)
    sign_as_server(ledger, server_signer())
"""

from __future__ import annotations

import os

from claimledger import settings
from claimledger.errors import InputError
from claimledger.signing.keyfiles import read_private_key
from claimledger.signing.keys import ED25519, Signer
from claimledger.signing.registry import StoreReader, key_iri, read_record


def server_signer(path: str | os.PathLike[str] | None = None) -> Signer:
    """The server's private key: the file ``path``, else ``$CLAIMLEDGER_SERVER_KEY``.

    :raises InputError: if neither names a usable Ed25519 private key file.
    """
    file = path or settings.key_file("CLAIMLEDGER_SERVER_KEY")
    if file is None:
        raise InputError("no server key: give its file, or set CLAIMLEDGER_SERVER_KEY")
    signer = read_private_key(file)
    if signer.algorithm != ED25519:
        raise InputError(f"the server key {str(file)!r} is {signer.algorithm}; it must be "
                         f"{ED25519}")
    return signer


def sign_as_server(ledger, signer: Signer) -> None:
    """Make ``signer`` — a server key recorded in ``ledger`` and not revoked — sign every
    write made through ``ledger`` (a :class:`claimledger.Ledger`), whoever its agent.

    :raises InputError: if the ledger does not record ``signer`` as an active server key.
    """
    record = read_record(StoreReader(ledger.store), key_iri(ledger.base, signer.key_id))
    if record is None or not record.server:
        raise InputError(f"key {signer.key_id} is not a server key of this ledger (record it "
                         "with claimledger key create --server)")
    if record.revoked is not None:
        raise InputError(f"the server key {signer.key_id} was revoked at {record.revoked}")
    ledger.signer = signer
