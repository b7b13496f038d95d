"""Every format a ledger is imported from or exported to, behind one function each way.

RDF (:mod:`.rdf`: TriG, N-Quads, Turtle, JSON-LD, N-Triples, RDF/XML), CSV (:mod:`.tabular`),
schema.org ClaimReview (:mod:`.claimreview`), PROV-O (:mod:`.prov`) and nanopublications
(:mod:`.nanopub`). The faces (the CLI, the web page) call :func:`import_any` and
:func:`export_any`; each format's module does the work.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from claimledger import fs
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import InputError
from claimledger.interchange import rdf

#: Formats ``import`` reads beyond RDF, and file extensions that name them.
TABLE_FORMATS = ("csv", "claimreview")
IMPORT_FORMATS = tuple(rdf.IMPORT_FORMATS) + TABLE_FORMATS
EXTENSIONS = {".csv": "csv"}
#: Formats ``export`` writes.
EXPORT_FORMATS = tuple(rdf.EXPORT_FORMATS) + ("csv", "claimreview", "prov", "nanopub")

Progress = Callable[[int, int], None]


def import_any(ledger: LedgerCore, path: str | os.PathLike[str], *, fmt: str | None = None,
               max_bytes: int = rdf.MAX_IMPORT_BYTES, reason: str | None = None,
               progress: Progress | None = None) -> WriteResult:
    """Import ``path`` as one write, all or nothing, in ``fmt`` (from its extension if None).

    :raises InputError: for an unknown format or a bad file (nothing is written).
    :raises RuleViolation: if what the file holds breaks a sourcing rule (nothing is written).
    """
    if fmt is None:
        fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt == "csv":
        from claimledger.interchange.tabular_import import import_csv

        return import_csv(ledger, path, max_bytes=max_bytes, reason=reason, progress=progress)
    if fmt == "claimreview":
        from claimledger.interchange.claimreview_import import import_claimreview

        return import_claimreview(ledger, path, max_bytes=max_bytes, reason=reason,
                                  progress=progress)
    if fmt is not None and fmt not in rdf.IMPORT_FORMATS:
        raise InputError(f"{fmt!r} is not an import format (choose one of: "
                         f"{', '.join(IMPORT_FORMATS)})", argument="--format")
    return rdf.import_file(ledger, path, fmt=fmt, max_bytes=max_bytes, reason=reason,
                           progress=progress)


def export_any(ledger: LedgerCore, output: IO[bytes], *, fmt: str = "trig", every: bool = False,
               delimiter: str = ",", sign: bool = False, agent: str | None = None) -> None:
    """Write the ledger to the binary stream ``output`` in ``fmt``.

    :param every: ClaimReview only: a review for every claim (its derived status as the
        rating, marked as such), not only for the claims under a verdict.
    :param delimiter: CSV only: ``,`` or ``;``.
    :param sign: nanopub only: sign each nanopublication with the ledger's agent's RSA key
        (:mod:`claimledger.signing.nanopub`); ``agent`` (else the ledger's, else
        ``$CLAIMLEDGER_AGENT``) is the signer.
    :raises InputError: for an unknown format or an option the format does not take.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"{fmt!r} is not an export format (choose one of: "
                         f"{', '.join(EXPORT_FORMATS)})", argument="--format")
    if every and fmt != "claimreview":
        raise InputError("--all is for --format claimreview", argument="--all")
    if delimiter != "," and fmt != "csv":
        raise InputError("--delimiter is for --format csv", argument="--delimiter")
    if sign and fmt != "nanopub":
        raise InputError("--sign is for --format nanopub (a claim's signed bundle: claimledger "
                         "bundle)", argument="--sign")
    if fmt in rdf.EXPORT_FORMATS:
        rdf.export(ledger, output, fmt=fmt)
        return
    if fmt == "prov":
        from claimledger.interchange.prov import export_prov

        export_prov(ledger, output)
        return
    if fmt == "nanopub":
        from claimledger.interchange.nanopub import export_nanopubs, nanopub_signer
        from claimledger.settings import require_agent

        if sign:
            signer_iri = ledger.agent_iri(require_agent(agent or ledger.agent_name))
            export_nanopubs(ledger, output, signer=nanopub_signer(ledger, signer_iri),
                            agent=signer_iri)
        else:
            export_nanopubs(ledger, output)
        return
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "csv":
            from claimledger.interchange.tabular import export_csv

            export_csv(ledger, text, delimiter=delimiter)
        else:
            from claimledger.interchange.claimreview import export_claimreview

            export_claimreview(ledger, text, every=every)
        text.flush()
    finally:
        text.detach()


def export_to_file(ledger: LedgerCore, path: str | os.PathLike[str], *, fmt: str = "trig",
                   every: bool = False, delimiter: str = ",", sign: bool = False,
                   agent: str | None = None) -> None:
    """Export to the file ``path``, all or nothing: written to a temporary file created
    exclusively in the same directory and renamed over ``path`` once complete
    (:func:`claimledger.fs.replace_atomically`: never through or over a link).

    :raises InputError: for an unknown format, a link at ``path``, or a path that cannot be
        written.
    """
    try:
        with fs.replace_atomically(path, argument="--output") as fh:
            export_any(ledger, fh, fmt=fmt, every=every, delimiter=delimiter, sign=sign,
                       agent=agent)
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}",
                         argument="--output") from None
