"""``verify-bundle``: check a signed file on its own, with no ledger — a claimledger bundle
(:mod:`.bundles`) or one or more nanopublications (:mod:`.nanopub`)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from claimledger.errors import InputError
from claimledger.signing import bundles, nanopub
from claimledger.signing.trust import SignedCheck, TrustAnchors

#: Largest signed file read.
MAX_BYTES = 64 * 1024 * 1024

Check = SignedCheck


def read_signed_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> list[ox.Quad]:
    """The quads of a TriG (or, by its extension, N-Quads) file.

    :raises InputError: for a missing, oversized or malformed file.
    """
    file = Path(path)
    fmt = ox.RdfFormat.N_QUADS if file.suffix.lower() in (".nq", ".nquads") else ox.RdfFormat.TRIG
    try:
        with open(file, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(file)!r}: {exc.strerror}", argument="FILE") from None
    if len(data) > max_bytes:
        raise InputError(f"{file.name!r} is over {max_bytes:,} bytes", argument="FILE")
    try:
        quads = list(ox.parse(data, fmt))
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{file.name!r} is not valid {fmt.name}: {exc}", argument="FILE") from None
    if any(isinstance(t, ox.Triple) for q in quads for t in (q.subject, q.object)):
        raise InputError(f"{file.name!r} uses RDF 1.2 triple terms", argument="FILE")
    return quads


def check_file(path: str | os.PathLike[str], trust: TrustAnchors) -> list[Check]:
    """Check every signed thing in the file ``path``: each nanopublication in it, or the
    bundle it is. Quads that belong to no nanopublication of a nanopublication file are a
    problem (nothing signs them).

    :raises InputError: for a file that cannot be read, or no trusted key given.
    """
    if not trust:
        raise InputError("give the public key you trust (--key PUB or --known-keys FILE): the "
                         "key inside a signed file says who claims to have signed it, not who did",
                         argument="--key")
    quads = read_signed_file(path)
    found, rest = nanopub.split(quads)
    if not found:
        return [bundles.check(quads, trust)]
    checks: list[Check] = [nanopub.check(np, mine, trust) for np, mine in found]
    if rest:
        stray = SignedCheck(kind="nanopublication", subject=Path(path).name)
        stray.problems.append(f"{len(rest)} quads belong to no nanopublication of the file "
                              "(nothing signs them)")
        checks.append(stray)
    return checks
