"""The ICD 203 confidence a claim's sourcing allows (sourcing rules 2, 8 and 9).

A claim's confidence is the fact-checker's, but its sourcing caps it: a claim nothing counted
supports is held with low confidence at most; high confidence needs corroboration by two or
more independent origins, at least one of them graded A–C and at least one named (not
anonymous); anything else allows moderate. Claims under a verdict are exempt.

The shapes enforce the cap on what a user sets (a write that sets confidence too high is
refused); the write path uses :func:`cap` to lower a confidence that a later write — a
derivation learned, a source discredited, evidence retracted — leaves too high.

>>> allowed("unsourced", [])
'low'
>>> cap("high", "moderate")
'moderate'
"""

from __future__ import annotations

from collections.abc import Iterable

from claimledger.model.vocab import CREDIBLE_RELIABILITY, VERDICTS, Confidence
from claimledger.rules.corroboration import SourceFacts


def allowed(status: str, origins: Iterable[SourceFacts]) -> str | None:
    """The highest confidence ``status`` with these support origins allows (None: no cap)."""
    if status in VERDICTS:
        return None
    if status == "unsourced":
        return "low"
    origins = list(origins)
    if (status == "corroborated" and any(o.reliability in CREDIBLE_RELIABILITY for o in origins)
            and any(not o.anonymous for o in origins)):
        return "high"
    return "moderate"


def cap(current: str | None, limit: str | None) -> str | None:
    """``current`` lowered to ``limit`` if it is higher; None when nothing changes."""
    if current is None or limit is None:
        return None
    order = Confidence.tokens
    if current in order and order.index(current) > order.index(limit):
        return limit
    return None
