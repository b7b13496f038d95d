"""Key pairs and public keys: Ed25519 for a ledger's events and its signed bundles, RSA for
nanopublications (the nanopublication ecosystem signs with RSA).

A public key is kept as its DER ``SubjectPublicKeyInfo`` (the X.509 form every library reads;
in RDF, base64 of it). Its **key id** is the first 32 hex digits of the SHA-256 of that DER:
the key's name in a ledger (``<base>key/KEYID``) and in its private key file's name.

>>> signer = generate(ED25519)
>>> signer.public.verify(signer.sign(b"text"), b"text"), signer.public.verify(b"x" * 64, b"text")
(True, False)
>>> len(signer.key_id)
32
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from claimledger.errors import InputError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey

ED25519 = "Ed25519"
RSA = "RSA"
ALGORITHMS = (ED25519, RSA)
#: Size of the RSA keys claimledger makes (the nanopublication tools read any size).
RSA_BITS = 3072
#: Smallest RSA key claimledger accepts for signing or as a trusted key.
RSA_MIN_BITS = 2048

@lru_cache(maxsize=1)
def _c() -> SimpleNamespace:
    """The cryptography modules, loaded when a key is first used (a write without a key,
    and most commands, need none of them)."""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

    return SimpleNamespace(InvalidSignature=InvalidSignature,
                           UnsupportedAlgorithm=UnsupportedAlgorithm, hashes=hashes,
                           serialization=serialization, ed25519=ed25519, padding=padding, rsa=rsa)


@dataclass(frozen=True)
class PublicKey:
    """A public key: its algorithm (:data:`ED25519` or :data:`RSA`) and its DER
    ``SubjectPublicKeyInfo``."""

    algorithm: str
    der: bytes

    @classmethod
    def from_der(cls, der: bytes, *, what: str = "public key") -> PublicKey:
        """Read a DER ``SubjectPublicKeyInfo``.

        :raises InputError: if it is not an Ed25519 or RSA (2048 bits or more) public key.
        """
        try:
            key = _c().serialization.load_der_public_key(der)
        except (ValueError, _c().UnsupportedAlgorithm, TypeError):
            raise InputError(f"the {what} is not a valid DER public key") from None
        return cls._of(key, what)

    @classmethod
    def from_base64(cls, text: str, *, what: str = "public key") -> PublicKey:
        """Read base64 of a DER ``SubjectPublicKeyInfo`` (line breaks and spaces ignored).

        :raises InputError: if it is not base64 of an Ed25519 or RSA public key.
        """
        try:
            der = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"the {what} is not base64") from None
        return cls.from_der(der, what=what)

    @classmethod
    def _of(cls, key: object, what: str) -> PublicKey:
        if isinstance(key, _c().ed25519.Ed25519PublicKey):
            algorithm = ED25519
        elif isinstance(key, _c().rsa.RSAPublicKey):
            if key.key_size < RSA_MIN_BITS:
                raise InputError(f"the {what} is a {key.key_size}-bit RSA key; claimledger takes "
                                 f"{RSA_MIN_BITS} bits or more")
            algorithm = RSA
        else:
            raise InputError(f"the {what} is neither an Ed25519 nor an RSA key")
        der = key.public_bytes(_c().serialization.Encoding.DER,  # type: ignore[attr-defined]
                               _c().serialization.PublicFormat.SubjectPublicKeyInfo)
        return cls(algorithm, der)

    @property
    def key_id(self) -> str:
        """The first 32 hex digits of the SHA-256 of the DER form."""
        return hashlib.sha256(self.der).hexdigest()[:32]

    @property
    def base64(self) -> str:
        """Base64 (standard alphabet, padded, one line) of the DER form."""
        return base64.b64encode(self.der).decode("ascii")

    def pem(self) -> str:
        """The key as a PEM ``PUBLIC KEY`` block."""
        key = _c().serialization.load_der_public_key(self.der)
        return key.public_bytes(_c().serialization.Encoding.PEM,
                                _c().serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``message`` (Ed25519; or RSA
        PKCS #1 v1.5 with SHA-256, as nanopublications use). A bad signature is ``False`` —
        never an exception to ignore."""
        key = _c().serialization.load_der_public_key(self.der)
        try:
            if isinstance(key, _c().ed25519.Ed25519PublicKey):
                key.verify(signature, message)
            elif isinstance(key, _c().rsa.RSAPublicKey):
                key.verify(signature, message, _c().padding.PKCS1v15(), _c().hashes.SHA256())
            else:  # pragma: no cover - from_der admits no other kind
                return False
        except _c().InvalidSignature:
            return False
        return True


class Signer:
    """A private key that signs: Ed25519 (events, bundles) or RSA (nanopublications).

    :param private: the private key.
    :param path: the file it was read from, if any (never its contents).
    """

    def __init__(self, private: PrivateKey, *, path: Path | None = None) -> None:
        self._private = private
        self.path = path
        self.public = PublicKey._of(private.public_key(), "key")

    @property
    def algorithm(self) -> str:
        return self.public.algorithm

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        """The signature of ``message``: Ed25519, or RSA PKCS #1 v1.5 with SHA-256."""
        if isinstance(self._private, _c().ed25519.Ed25519PrivateKey):
            return self._private.sign(message)
        return self._private.sign(message, _c().padding.PKCS1v15(), _c().hashes.SHA256())

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS #8 PEM, for writing to its owner-only file."""
        return self._private.private_bytes(_c().serialization.Encoding.PEM,
                                           _c().serialization.PrivateFormat.PKCS8,
                                           _c().serialization.NoEncryption())

    def __repr__(self) -> str:  # never the key itself
        return f"<Signer {self.algorithm} {self.key_id}>"


def generate(algorithm: str = ED25519) -> Signer:
    """A new key pair: Ed25519, or RSA of :data:`RSA_BITS` bits.

    :raises InputError: for another algorithm.
    """
    if algorithm == ED25519:
        return Signer(_c().ed25519.Ed25519PrivateKey.generate())
    if algorithm == RSA:
        return Signer(_c().rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS))
    raise InputError(f"{algorithm!r} is not a key algorithm claimledger makes "
                     f"(choose {ED25519} or {RSA})", argument="--algorithm")


def load_private_pem(data: bytes, *, name: str) -> Signer:
    """A signer from an unencrypted PEM private key (PKCS #8 or the traditional forms).

    :raises InputError: if it is not one, is encrypted, or is neither Ed25519 nor RSA.
    """
    try:
        key = _c().serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise InputError(f"{name!r} is an encrypted private key; claimledger reads "
                         "unencrypted keys in owner-only files") from None
    except (ValueError, _c().UnsupportedAlgorithm):
        raise InputError(f"{name!r} is not a PEM private key") from None
    if not isinstance(key, (_c().ed25519.Ed25519PrivateKey, _c().rsa.RSAPrivateKey)):
        raise InputError(f"{name!r} is neither an Ed25519 nor an RSA private key")
    signer = Signer(key)  # checks the RSA size too
    return signer
