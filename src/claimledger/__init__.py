"""claimledger — a source-provenance and claim-verification ledger.

Every assertion is an RDF triple with its statement text, tied to its sources through
evidence (stance, verbatim quote, locator), with a confidence level and a corroboration status
that is derived from the evidence and aware of circular reporting.

>>> import claimledger
>>> claimledger.Ledger  # doctest: +ELLIPSIS
<class 'claimledger.ledger.Ledger'>

The library does not import click; only :mod:`claimledger.cli` does.
"""

from claimledger.errors import (
    ClaimLedgerError,
    ConflictError,
    EndpointError,
    InputError,
    IntegrityError,
    LedgerBusy,
    LedgerChanged,
    LedgerError,
    NotFoundError,
    RuleViolation,
)

__version__ = "0.1.0"


def __getattr__(name: str):
    """``Ledger`` and ``WriteResult``, imported when first asked for: ``import claimledger``
    (and so every ``claimledger`` command, ``--help`` and shell completion included) does not
    load the whole library up front."""
    if name in ("Ledger", "WriteResult"):
        from claimledger import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module 'claimledger' has no attribute {name!r}")

__all__ = [
    "Ledger",
    "WriteResult",
    "ClaimLedgerError",
    "ConflictError",
    "EndpointError",
    "InputError",
    "IntegrityError",
    "LedgerBusy",
    "LedgerChanged",
    "LedgerError",
    "NotFoundError",
    "RuleViolation",
]
