"""The ICD 203 confidence a claim's sourcing — and its verdict — allow (sourcing rules 2, 8,
9 and 14).

Confidence is always confidence *in the claim* (that what it asserts is so), never in a
verdict. The fact-checker sets it; its sourcing caps it, and a verdict can only lower the cap:

* nothing counted supports the claim (whatever contradicts it): low at most;
* high needs two or more independent origins, at least one graded A–C and at least one named
  (not anonymous), and the claim corroborated — or confirmed by a verdict (rated true or
  mostly true), which settles a contradiction but does not make up for thin sourcing;
* anything else: moderate at most;
* under a verdict rating it false (refuted) or retracting it: low; rated a mixture (mixed) or
  inconclusive: moderate at most.

The shapes enforce the cap on what a user sets (a write that sets confidence too high is
refused); the write path uses :func:`cap` to lower a confidence that a later write — a
derivation learned, a source discredited, evidence retracted, a verdict recorded — leaves too
high.

>>> allowed("unsourced", [])
'low'
>>> allowed("refuted", [SourceFacts("a", reliability="A")], 2)
'low'
>>> cap("high", "moderate")
'moderate'
"""

from __future__ import annotations

from collections.abc import Iterable

from claimledger.model.vocab import CREDIBLE_RELIABILITY, Confidence
from claimledger.rules.corroboration import SourceFacts

#: The most confidence each verdict status allows, whatever the sourcing.
VERDICT_CAP = {"refuted": "low", "retracted": "low", "mixed": "moderate",
               "inconclusive": "moderate", "confirmed": "high"}


def allowed(status: str, origins: Iterable[SourceFacts], independent_origins: int = 0) -> str:
    """The highest confidence a claim with ``status``, these support origins and this many
    independent origins allows."""
    origins = list(origins)
    if status == "unsourced" or not origins:
        return "low"
    sourcing = "moderate"
    if ((status == "corroborated" or (status == "confirmed" and independent_origins >= 2))
            and any(o.reliability in CREDIBLE_RELIABILITY for o in origins)
            and any(not o.anonymous for o in origins)):
        sourcing = "high"
    limit = VERDICT_CAP.get(status, "high")
    order = Confidence.tokens
    return order[min(order.index(sourcing), order.index(limit))]


def cap(current: str | None, limit: str | None) -> str | None:
    """``current`` lowered to ``limit`` if it is higher; None when nothing changes."""
    if current is None or limit is None:
        return None
    order = Confidence.tokens
    if current in order and order.index(current) > order.index(limit):
        return limit
    return None
