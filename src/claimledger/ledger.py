"""The front door: :class:`Ledger`, the core with the record-keeping API grouped by concept.

>>> import tempfile
>>> ledger = Ledger.create(tempfile.mkdtemp() + "/ledger", agent="editor")
>>> ledger.base
'https://example.org/ledger/'
>>> ledger.close()
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from claimledger.core.ledger import DEFAULT_BASE, FORMAT_VERSION, LedgerCore
from claimledger.core.transaction import StatusChange, Transaction, WriteResult
from claimledger.settings import ledger_path

if TYPE_CHECKING:
    from claimledger.records.cases import Cases
    from claimledger.records.claims import Claims
    from claimledger.records.evidence import EvidenceRecords
    from claimledger.records.policies import Policies
    from claimledger.records.scales import Scales
    from claimledger.records.snapshots import Snapshots
    from claimledger.records.sources import Sources
    from claimledger.records.verdicts import Verdicts

__all__ = ["DEFAULT_BASE", "FORMAT_VERSION", "Ledger", "StatusChange", "Transaction",
           "WriteResult", "ledger_path"]


class Ledger(LedgerCore):
    """A ledger opened on a store, with its records: :attr:`claims`, :attr:`sources`,
    :attr:`evidence`, :attr:`verdicts`, :attr:`scales`, :attr:`cases`, :attr:`policies`,
    :attr:`snapshots` (each kind's module is loaded when it is first used).

    Use :meth:`open` for an existing ledger directory and :meth:`create` for a new one; both
    return a ledger that must be closed (or used as a context manager).
    """

    @cached_property
    def claims(self) -> Claims:
        from claimledger.records.claims import Claims

        return Claims(self)

    @cached_property
    def sources(self) -> Sources:
        from claimledger.records.sources import Sources

        return Sources(self)

    @cached_property
    def evidence(self) -> EvidenceRecords:
        from claimledger.records.evidence import EvidenceRecords

        return EvidenceRecords(self)

    @cached_property
    def policies(self) -> Policies:
        from claimledger.records.policies import Policies

        return Policies(self)

    @cached_property
    def snapshots(self) -> Snapshots:
        from claimledger.records.snapshots import Snapshots

        return Snapshots(self)

    @cached_property
    def verdicts(self) -> Verdicts:
        from claimledger.records.verdicts import Verdicts

        return Verdicts(self)

    @cached_property
    def scales(self) -> Scales:
        from claimledger.records.scales import Scales

        return Scales(self)

    @cached_property
    def cases(self) -> Cases:
        from claimledger.records.cases import Cases

        return Cases(self)

    def add_prefix(self, name: str, namespace: str, *, reason: str | None = None) -> WriteResult:
        """Declare ``name:`` as a prefix for ``namespace`` (see :func:`records.prefixes.add_prefix`)."""
        from claimledger.records.prefixes import add_prefix

        return add_prefix(self, name, namespace, reason=reason)
