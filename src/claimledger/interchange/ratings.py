"""Ratings in and out of ClaimReview: an outlet's rating normalised through the ledger's verdict
scales (:mod:`claimledger.records.scales`), with a correspondence table for outlets whose scale
the ledger has not adopted; and the rating claimledger publishes for a derived status.

* :func:`normalise_review` looks the outlet's label up on the ledger's verdict scales first —
  a scale named for the outlet (its name made a slug: ``truthmeter`` for "TruthMeter"; its
  rating values count there too), then the ledger's default scale, then claimledger's own —
  and returns the rating it finds with its normalised value (mapping row
  ``scale:<scale>:<rating>``); failing that, :func:`normalise`.
* :func:`normalise` reads ``resources/interchange/claimreview-ratings.csv``: an outlet's label
  (the Rating's ``alternateName``, else its ``name``, else a textual ``ratingValue``) is
  matched case-, accent- and punctuation-insensitively against the ``label`` rows; failing
  that, a numeric ``ratingValue`` is placed on the outlet's scale (``worstRating`` ..
  ``bestRating``, 1..5 when not given, as schema.org's default) and matched against the
  ``position`` rows. It returns the normalised rating (true / false / mixture / other) and the
  row that produced it; a rating that matches no row is ``other``, by the row ``unmatched``.
* :func:`published_rating` reads ``resources/interchange/claimledger-ratings.csv``: the
  ``ratingValue`` (on 1..5), ``alternateName`` and ``name`` the export writes for a verdict
  (refuted, retracted) or, with ``--all``, a derived status.

A verdict's own rating is published from its scale (:mod:`.claimreview`); the table of
:func:`published_rating` is for derived statuses, and for verdicts recorded before scales.

>>> normalise("Pants on Fire!").normalised, normalise("Pants on Fire!").row
('false', 'pants-on-fire')
>>> normalise(None, value="7", best="8", worst="1").normalised
'true'
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from claimledger import resources

#: The scale a numeric rating is read on when the review does not say (schema.org's default).
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0
NORMALISED = ("true", "false", "mixture", "other")
#: How each normalised rating counts as evidence: true supports, false contradicts; mixture
#: and other are recorded with the review and not counted.
STANCES = {"true": "supports", "false": "contradicts", "mixture": None, "other": None}


@dataclass(frozen=True)
class Normalised:
    """A rating normalised: the value, the mapping row that gave it, and the rating of a
    verdict scale it is (when a scale of the ledger has it)."""

    normalised: str
    row: str
    rating: str | None = None

    @property
    def stance(self) -> str | None:
        return STANCES[self.normalised]


@dataclass(frozen=True)
class PublishedRating:
    """What the ClaimReview export writes for one verdict or status."""

    value: str
    kind: str  # "verdict" or "status"
    rating_value: str | None
    alternate_name: str
    name: str


def fold(text: str) -> str:
    """Case, accents and punctuation folded; ``"Pants on Fire!"`` → ``"pants on fire"``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


@lru_cache(maxsize=None)
def _table() -> tuple[dict[str, tuple[str, str]], list[tuple[float, float, str, str]]]:
    labels: dict[str, tuple[str, str]] = {}
    positions: list[tuple[float, float, str, str]] = []
    for row in csv.DictReader(io.StringIO(resources.interchange("claimreview-ratings.csv"))):
        if row["normalised"] not in NORMALISED:
            raise ValueError(f"claimreview-ratings.csv row {row['row']}: bad normalised value")
        if row["match"] == "label":
            labels.setdefault(fold(row["key"]), (row["normalised"], row["row"]))
        else:
            low, high = (float(x) for x in row["key"].split("-"))
            positions.append((low, high, row["normalised"], row["row"]))
    return labels, positions


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None and text.strip() else None
    except ValueError:
        return None


def normalise(label: str | None, *, value: str | None = None, best: str | None = None,
              worst: str | None = None) -> Normalised:
    """An outlet's rating normalised to true / false / mixture / other (see the module doc)."""
    labels, positions = _table()
    for text in (label, value):
        if text is not None and fold(text) in labels:
            normalised, row = labels[fold(text)]
            return Normalised(normalised, row)
    number = _number(value)
    if number is not None:
        high = _number(best) if _number(best) is not None else DEFAULT_BEST
        low = _number(worst) if _number(worst) is not None else DEFAULT_WORST
        if high != low and min(low, high) <= number <= max(low, high):
            position = (number - low) / (high - low)
            for start, end, normalised, row in positions:
                if start <= position <= end:
                    return Normalised(normalised, row)
    return Normalised("other", "unmatched")


def normalise_review(ledger, *, outlet: str | None, label: str | None, value: str | None = None,
                     best: str | None = None, worst: str | None = None) -> Normalised:
    """An outlet's rating normalised through the ledger's verdict scales, then the table (see
    the module doc). ``ledger`` is anything :class:`~claimledger.records.scales.Scales` reads."""
    from claimledger.interchange.reading import slugify
    from claimledger.records.scales import Scales

    scales = Scales(ledger)
    listed = scales.list()
    looked = [(s, True) for s in listed if outlet and s.name == slugify(outlet)]
    looked += [(scales.default(), False), (listed[0], False)]
    for scale, own in looked:
        for text in (label, value if own else None):
            if text is not None and text.strip():
                found = scale.get(text)
                if found is not None:
                    return Normalised(found.normalised,
                                      f"scale:{scale.name}:{found.notation or found.label}",
                                      found.iri)
    return normalise(label, value=value, best=best, worst=worst)


@lru_cache(maxsize=None)
def _published() -> dict[str, PublishedRating]:
    out = {}
    for row in csv.DictReader(io.StringIO(resources.interchange("claimledger-ratings.csv"))):
        out[row["value"]] = PublishedRating(row["value"], row["kind"], row["ratingValue"] or None,
                                            row["alternateName"], row["name"])
    return out


def published_rating(value: str) -> PublishedRating:
    """The rating the export writes for a verdict or derived status.

    :raises KeyError: for a value the table does not have.
    """
    return _published()[value]
