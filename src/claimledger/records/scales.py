"""Verdict scales: the ratings a desk publishes, and the one normalisation every face uses.

A verdict scale is a SKOS concept scheme (``cl:VerdictScale``) whose every concept — a
rating — is mapped by ``cl:normalisedRating`` to one of four normalised ratings, as ClaimsKG
normalises fact-checking outlets' ratings: ``true``, ``false``, ``mixture``, ``other``. The
normalised rating decides the status a verdict with that rating sets:

=================  ==============  ==================================================
normalised rating  status          ratings of claimledger's own scale
=================  ==============  ==================================================
true               confirmed       true, mostly true
false              refuted         false, mostly false, refuted
mixture            mixed           half true, misleading, missing context
other              inconclusive    unproven (and ``retracted``, which sets retracted)
=================  ==============  ==================================================

claimledger's own scale (``claimledger``, ``cl:VerdictScheme`` in the ontology) is always
there; a ledger adopts its outlet's with :meth:`Scales.add` (``claimledger scale add
FILE.ttl``): a Turtle file holding one ``skos:ConceptScheme`` and its concepts, each with a
``skos:prefLabel`` and a ``cl:normalisedRating``, optionally ``skos:altLabel``,
``skos:notation`` and ``schema:ratingValue`` (and ``schema:bestRating`` /
``schema:worstRating`` on the scheme). Nothing else may be in the file.

The library API — the CLI, the web page and ClaimReview import/export all go through it:

* ``ledger.scales.list()`` → every :class:`Scale`, claimledger's own first;
* ``ledger.scales.get(name)`` → one :class:`Scale`;
* ``ledger.scales.resolve(text, scale=None)`` → the :class:`Rating` a user or a file names:
  by label or alternative label (case-, accent- and punctuation-insensitive: ``Mostly-True``
  = ``mostly true``), notation, ``schema:ratingValue``, or the concept's IRI / CURIE; without
  ``scale``, on the ledger's default scale first, then on claimledger's own;
* ``ledger.scales.rating(iri)`` → the :class:`Rating` behind a stored ``cl:rating`` (None if
  the ledger knows no such concept);
* :func:`normalise` (``rating.normalised``) and :func:`status_of` (``rating.status``);
* ``ledger.scales.add(text, name=…, default=…, reason=…)`` and ``set_default(name, …)``;
* :func:`builtin` — claimledger's own scale without a ledger: ``builtin().get(label)`` maps an
  outlet's label that no adopted scale knows through claimledger's labels and alternative
  labels (``"Pants on Fire"`` → false), or gives None (then: other).

>>> builtin().get("mostly-true").normalised, builtin().get("mostly-true").status
('true', 'confirmed')
>>> fold("  Mostly-TRUE ") == fold("mostly true")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ConflictError, InputError, NotFoundError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.records.scale_file import check_scale_text
from claimledger.records.search import fold
from claimledger.store.base import Store
from claimledger.store.memory import MemoryStore

BUILTIN_NAME = "claimledger"



@dataclass(frozen=True)
class Rating:
    """One rating of a verdict scale (a SKOS concept)."""

    iri: str
    #: The name of its scale (``claimledger`` for claimledger's own).
    scale: str
    #: Its preferred label (the English one when there are several).
    label: str
    #: ``true``, ``false``, ``mixture`` or ``other``.
    normalised: str
    notation: str | None = None
    #: ``schema:ratingValue`` as written, for numeric scales.
    value: str | None = None
    #: Every label it is known by (preferred, alternative, hidden), as written.
    labels: tuple[str, ...] = ()
    definition: str | None = None

    @property
    def status(self) -> str:
        """The claim status a verdict with this rating sets (see :func:`status_of`)."""
        return status_of(self)


@dataclass(frozen=True)
class Scale:
    """A verdict scale: its ratings in the order of the file (by rating value when given)."""

    name: str
    iri: str
    label: str
    ratings: tuple[Rating, ...]
    builtin: bool = False
    best: str | None = None
    worst: str | None = None
    default: bool = False
    _keys: dict[str, Rating] = field(default_factory=dict, repr=False, compare=False)

    def get(self, text: str) -> Rating | None:
        """The rating ``text`` names on this scale (label, notation, value or IRI), or None."""
        for rating in self.ratings:
            if text == rating.iri:
                return rating
        return self._keys.get(fold(text)) if text.strip() else None


def normalise(rating: Rating) -> str:
    """The normalised rating (``true`` / ``false`` / ``mixture`` / ``other``) of ``rating``."""
    return rating.normalised


def status_of(rating: Rating) -> str:
    """The status a verdict with ``rating`` sets: by its normalised rating (true: confirmed,
    false: refuted, mixture: mixed, other: inconclusive), except claimledger's own
    ``retracted``, which sets ``retracted``."""
    if rating.iri == V.Verdict.iri("retracted").value:
        return "retracted"
    return V.NORMALISED_STATUS[rating.normalised]


class Scales:
    """A ledger's verdict scales. Reached as ``ledger.scales``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    # -- reading -------------------------------------------------------------------------
    def list(self) -> list[Scale]:
        """claimledger's own scale, then the scales the ledger adopted, by name."""
        default = self._default_iri()
        own = builtin()
        out = [_with_default(own, default == own.iri)]
        store = self.ledger.store
        adopted = [_read_scale(store, t.subject, default) for t in
                   store.triples(None, V.TYPE, V.VERDICT_SCALE) if isinstance(t.subject, NamedNode)]
        out.extend(sorted((s for s in adopted if s is not None), key=lambda s: s.name))
        return out

    def get(self, name: str) -> Scale:
        """The scale called ``name``.

        :raises NotFoundError: if the ledger has no such scale.
        """
        for scale in self.list():
            if scale.name == name:
                return scale
        names = [s.name for s in self.list()]
        raise NotFoundError(f"no scale {name!r} in this ledger (scales: {', '.join(names)}; "
                            "adopt one with: claimledger scale add FILE.ttl)", argument="--scale")

    def default(self) -> Scale:
        """The scale ratings are looked up on first: the one set as default, else claimledger's."""
        scales = self.list()
        return next((s for s in scales if s.default), scales[0])

    def rating(self, iri: str | NamedNode) -> Rating | None:
        """The rating whose concept IRI is ``iri``, on any of the ledger's scales."""
        value = iri.value if isinstance(iri, NamedNode) else iri
        for scale in self.list():
            for rating in scale.ratings:
                if rating.iri == value:
                    return rating
        return None

    def resolve(self, text: str, *, scale: str | None = None, argument: str = "RATING") -> Rating:
        """The rating ``text`` names: a label, notation, rating value, IRI or CURIE.

        :param scale: look only on this scale; else on the default scale, then claimledger's.
        :raises InputError: if no scale looked at has it, naming the scales that do.
        :raises NotFoundError: for an unknown ``scale``.
        """
        if not isinstance(text, str) or not text.strip():
            raise InputError("a rating is required", argument=argument)
        terms.check_text(text, argument=argument)
        scales = self.list()
        if scale is not None:
            looked = [self.get(scale)]
        else:
            first = self.default()
            looked = [first] + ([scales[0]] if not first.builtin else [])
        iri = self._as_iri(text)
        for candidate in looked:
            found = candidate.get(iri) if iri is not None else candidate.get(text)
            if found is not None:
                return found
        elsewhere = [s.name for s in scales if s not in looked
                     and (s.get(iri) if iri is not None else s.get(text)) is not None]
        shown = repr(text) if len(text) <= 60 else repr(text[:59] + "…")
        where = " or ".join(f"{s.name}'s" for s in looked)
        message = f"{shown} is not a rating on {where} scale"
        if elsewhere:
            message += f"; it is one on {', '.join(elsewhere)}: give --scale {elsewhere[0]}"
        else:
            options = [r.notation or r.label for r in looked[0].ratings]
            message += f" (choose one of: {', '.join(options)})"
        raise InputError(message, argument=argument)

    def _as_iri(self, text: str) -> str | None:
        if text.startswith("<") and text.endswith(">"):
            return terms.check_iri(text[1:-1], argument="RATING").value
        head, sep, _ = text.partition(":")
        if sep and head in self.ledger.prefixes and " " not in text:
            return self.ledger.expand(text, argument="RATING").value
        return None

    def _default_iri(self) -> str | None:
        found = next(self.ledger.store.triples(self.ledger.node, V.DEFAULT_SCALE, None), None)
        return found.object.value if found is not None else None

    # -- writing -------------------------------------------------------------------------
    def add(self, text: str, *, name: str, default: bool = False, reason: str | None = None,
            source: str = "FILE") -> WriteResult:
        """Adopt the scale in ``text`` (Turtle) as ``name``; with ``default``, make it the scale
        ratings are looked up on first.

        :param source: how to name the file in messages.
        :raises InputError: for a bad name, or a file that is not one SKOS concept scheme whose
            every rating is mapped to a normalised rating.
        :raises ConflictError: if the name or an IRI of the scale is already in the ledger.
        """
        led = self.ledger
        terms.check_slug(name, argument="--name")
        if name == BUILTIN_NAME or any(s.name == name for s in self.list()):
            raise ConflictError(f"a scale called {name!r} already exists", argument="--name")
        scheme, triples = check_scale_text(text, source=source)
        with led.transaction("scale add", {"name": name, "scheme": scheme.value,
                                           "ratings": sum(1 for t in triples
                                                          if t.predicate == V.NORMALISED_RATING),
                                           "default": default}, reason=reason) as tx:
            subjects = {t.subject for t in triples}
            for node in subjects:
                if tx.view.exists(node) or tx.view.subjects(V.IN_SCHEME, node):
                    raise ConflictError(f"{source}: <{node.value}> is already in the ledger",
                                        argument=source)
            for t in triples:
                tx.add(t.subject, t.predicate, t.object)
            tx.add(scheme, V.TYPE, V.SKOS_CONCEPT_SCHEME)
            tx.add(scheme, V.TYPE, V.VERDICT_SCALE)
            tx.add(scheme, V.SCALE_NAME, Literal(name))
            for node in subjects - {scheme}:
                tx.add(node, V.TYPE, V.SKOS_CONCEPT)
            tx.add(scheme, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(scheme, V.GENERATED_AT_TIME, tx.time)
            if default:
                tx.set(led.node, V.DEFAULT_SCALE, scheme)
            tx.created = scheme
        return tx.result

    def set_default(self, name: str, *, reason: str | None = None) -> WriteResult:
        """Make scale ``name`` the one ratings are looked up on first (``claimledger``: none).

        :raises NotFoundError: for an unknown scale.
        """
        led = self.ledger
        scale = self.get(name)
        with led.transaction("scale default", {"name": name}, reason=reason) as tx:
            tx.set(led.node, V.DEFAULT_SCALE, None if scale.builtin else NamedNode(scale.iri))
        return tx.result


# -- reading scales ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def builtin() -> Scale:
    """claimledger's own verdict scale, from the ontology."""
    store = MemoryStore(ox.parse(resources.ontology(), format=ox.RdfFormat.TURTLE))
    scale = _read_scale(store, V.BUILTIN_SCALE, None, builtin=True)
    assert scale is not None
    return scale


def _with_default(scale: Scale, default: bool) -> Scale:
    if scale.default == default:
        return scale
    return Scale(scale.name, scale.iri, scale.label, scale.ratings, scale.builtin, scale.best,
                 scale.worst, default, scale._keys)


def _values(store: Store, node, predicate) -> list:
    return [t.object for t in store.triples(node, predicate, None)]


def _preferred(literals: list) -> str | None:
    texts = [t for t in literals if isinstance(t, Literal)]
    if not texts:
        return None
    english = [t for t in texts if (t.language or "").startswith("en")]
    return min(english or texts, key=lambda t: (t.language or "", t.value)).value


def _read_scale(store: Store, scheme: NamedNode, default: str | None, *,
                builtin: bool = False) -> Scale | None:
    names = [t.value for t in _values(store, scheme, V.SCALE_NAME) if isinstance(t, Literal)]
    if not names:
        return None
    name = names[0]
    ratings = []
    for t in store.triples(None, V.IN_SCHEME, scheme):
        concept = t.subject
        if not isinstance(concept, NamedNode):
            continue
        norm = next((V.Normalised.find(o) for o in _values(store, concept, V.NORMALISED_RATING)
                     if V.Normalised.find(o)), None)
        if norm is None:
            continue
        prefs = _values(store, concept, V.PREF_LABEL)
        labels = [o.value for p in (V.PREF_LABEL, V.ALT_LABEL, NamedNode(V.SKOS + "hiddenLabel"))
                  for o in _values(store, concept, p) if isinstance(o, Literal)]
        notation = next((o.value for o in _values(store, concept, V.NOTATION)
                         if isinstance(o, Literal)), None)
        value = next((o.value for o in _values(store, concept, V.RATING_VALUE)
                      if isinstance(o, Literal)), None)
        ratings.append(Rating(concept.value, name, _preferred(prefs) or notation or concept.value,
                              norm, notation, value, tuple(sorted(set(labels))),
                              _preferred(_values(store, concept, V.DEFINITION))))
    ratings.sort(key=_order)
    keys: dict[str, Rating] = {}
    for rating in ratings:  # labels first, so that a notation never hides another's label
        for text in (*rating.labels, rating.notation, rating.value):
            if text:
                keys.setdefault(fold(text), rating)
    best = next((o.value for o in _values(store, scheme, V.BEST_RATING)), None)
    worst = next((o.value for o in _values(store, scheme, V.WORST_RATING)), None)
    label = _preferred(_values(store, scheme, V.PREF_LABEL)) or name
    return Scale(name, scheme.value, label, tuple(ratings), builtin, best, worst,
                 default == scheme.value, keys)


def _order(rating: Rating) -> tuple:
    if builtin_order := _BUILTIN_ORDER.get(rating.iri):
        return (0, builtin_order, "")
    try:
        return (1, -float(rating.value), rating.label) if rating.value else (2, 0, rating.label)
    except ValueError:
        return (2, 0, rating.label)


_BUILTIN_ORDER = {V.Verdict.iri(t).value: i + 1 for i, t in enumerate(V.Verdict.tokens)}
