"""The further checks :func:`claimledger.audit.verify` runs beside the chain's replay, each
``check(store, base) -> [problem, ...]``, for what claimledger keeps outside the chain: the
snapshot files of :mod:`claimledger.records.snapshots` (each against its recorded hash) and
the report facts kept on write (:mod:`claimledger.rules.materialised`, recounted).

They are named here, not registered by their modules as those are imported: which modules a
process happened to import must not decide what ``verify`` checks (a ``claimledger verify``
process loads no record kinds). Each loads when ``verify`` runs."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimledger.store.base import Store

Check = Callable[["Store", str], list[str]]

#: ``(module, function)`` of each check, in the order they run.
CHECKS = (("claimledger.records.snapshots", "check_files"),
          ("claimledger.rules.materialised", "check"))


def checks() -> tuple[Check, ...]:
    """The checks of :data:`CHECKS`, loaded."""
    return tuple(getattr(import_module(module), name) for module, name in CHECKS)
