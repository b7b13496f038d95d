"""Trust anchors: the public keys a verifier trusts, pinned outside the ledger.

A ledger records its agents' public keys, but whoever controls the store (or the server) can
write there too; so ``verify`` and ``verify-bundle`` take the keys to trust from outside it:
``--key FILE`` (repeatable) and a known-keys file (``--known-keys FILE`` or
``$CLAIMLEDGER_KNOWN_KEYS``), in the format :mod:`claimledger.signing.keyfiles` reads.

A ledger key is trusted if it is pinned, or if the event that recorded it was signed by a
trusted key of the same agent (a key change signed by the previous key): so one pinned key
follows its owner through every rotation, and a key swapped in behind the owner's back is not.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimledger import settings
from claimledger.signing.keyfiles import read_public_keys
from claimledger.signing.keys import PublicKey


@dataclass
class SignedCheck:
    """What checking one signed file part found (a bundle, a nanopublication): what it is
    (``kind``), what it is about, who signed it with which key, and the problems — none
    when it checks."""

    kind: str
    subject: str | None = None
    signer: str | None = None
    key_id: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class TrustAnchors:
    """Pinned public keys (by DER form), each with where it was pinned from."""

    keys: dict[bytes, str] = field(default_factory=dict)

    @classmethod
    def load(cls, key_files: Iterable[str | os.PathLike[str]] = (),
             known_keys: str | os.PathLike[str] | None = None) -> TrustAnchors:
        """The keys in ``key_files`` and in the known-keys file (``known_keys``, else
        ``$CLAIMLEDGER_KNOWN_KEYS``).

        :raises InputError: for a file that cannot be read or holds no valid key.
        """
        anchors = cls()
        files = [Path(f) for f in key_files]
        known = settings.known_keys_file(known_keys)
        if known is not None:
            files.append(known)
        for file in files:
            for key in read_public_keys(file):
                anchors.keys.setdefault(key.der, file.name)
        return anchors

    def trusts(self, key: PublicKey) -> bool:
        return key.der in self.keys

    def __bool__(self) -> bool:
        return bool(self.keys)

    def key_ids(self) -> list[str]:
        return sorted(PublicKey.from_der(der).key_id for der in self.keys)
