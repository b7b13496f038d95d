"""Checking a verdict scale file before a ledger adopts it (``claimledger scale add``).

A scale file is Turtle holding one ``skos:ConceptScheme`` and its ratings — concepts with
``skos:inScheme`` — each with a ``skos:prefLabel`` and exactly one ``cl:normalisedRating``
(``cl:normalised-true``, ``-false``, ``-mixture`` or ``-other``), optionally
``skos:altLabel``, ``skos:hiddenLabel``, ``skos:notation``, ``schema:ratingValue``, SKOS
notes and mapping properties; the scheme may carry ``schema:bestRating`` /
``schema:worstRating``. Nothing else is allowed in the file (an allow-list of properties and
subjects), no blank nodes, no IRI in claimledger's own namespace, and no label, notation or
value may name two ratings once folded (:func:`claimledger.records.search.fold`).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from claimledger.errors import InputError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.records.search import fold

#: Most ratings a scale may have (outlets use 5 to 10).
MAX_RATINGS = 200

_SCHEME_PREDICATES = frozenset({
    V.TYPE, V.PREF_LABEL, V.ALT_LABEL, V.DEFINITION, V.LABEL, V.NAME, V.URL,
    V.BEST_RATING, V.WORST_RATING,
    NamedNode(V.RDFS + "comment"), NamedNode(V.SKOS + "note"), NamedNode(V.SKOS + "scopeNote"),
    NamedNode(V.SKOS + "hasTopConcept"),
})
_CONCEPT_PREDICATES = frozenset({
    V.TYPE, V.IN_SCHEME, V.PREF_LABEL, V.ALT_LABEL, V.NOTATION, V.DEFINITION, V.LABEL,
    V.RATING_VALUE, V.NORMALISED_RATING,
    NamedNode(V.RDFS + "comment"), NamedNode(V.SKOS + "note"), NamedNode(V.SKOS + "scopeNote"),
    NamedNode(V.SKOS + "hiddenLabel"), NamedNode(V.SKOS + "topConceptOf"),
    *(NamedNode(V.SKOS + m) for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                      "relatedMatch")),
})
_SCHEME_TYPES = frozenset({V.SKOS_CONCEPT_SCHEME, V.VERDICT_SCALE})


def check_scale_text(text: str, *, source: str = "FILE") -> tuple[NamedNode, list[Triple]]:
    """Parse and check a scale file: one SKOS concept scheme and its ratings, nothing else.

    :returns: the scheme's IRI and the file's triples (canonical literals).
    :raises InputError: naming ``source`` and what is wrong.
    """
    try:
        triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"does not parse as Turtle: {exc}", argument=source) from None
    if not triples:
        raise InputError("holds no triples: a scale file is a SKOS concept scheme in Turtle",
                         argument=source)
    for t in triples:
        if isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode):
            raise InputError("has a blank node: give the scheme and every rating an IRI",
                             argument=source)
    schemes = {t.subject for t in triples if t.predicate == V.TYPE and t.object in _SCHEME_TYPES}
    if len(schemes) != 1:
        raise InputError(f"must hold exactly one skos:ConceptScheme (it holds {len(schemes)})",
                         argument=source)
    scheme = next(iter(schemes))
    concepts = {t.subject for t in triples if t.predicate == V.IN_SCHEME and t.object == scheme}
    concepts |= {t.subject for t in triples
                 if t.predicate == NamedNode(V.SKOS + "topConceptOf") and t.object == scheme}
    if not concepts:
        raise InputError(f"<{scheme.value}> has no ratings (concepts with skos:inScheme)",
                         argument=source)
    if len(concepts) > MAX_RATINGS:
        raise InputError(f"has {len(concepts)} ratings; the limit is {MAX_RATINGS}",
                         argument=source)
    for node in {scheme} | concepts:
        if node.value.startswith(V.CL):
            raise InputError(f"<{node.value}> is in claimledger's own namespace; give your "
                             "scale its own IRIs", argument=source)
    out: list[Triple] = []
    for t in triples:
        allowed = (_SCHEME_PREDICATES if t.subject == scheme else
                   _CONCEPT_PREDICATES if t.subject in concepts else None)
        if allowed is None:
            raise InputError(f"<{t.subject.value}> is neither the scheme nor one of its ratings "
                             "(a scale file holds one concept scheme and its ratings only)",
                             argument=source)
        if t.predicate not in allowed:
            raise InputError(f"<{t.predicate.value}> on <{t.subject.value}> is not a property a "
                             "scale file may use", argument=source)
        if t.predicate == V.TYPE and t.object not in (_SCHEME_TYPES if t.subject == scheme
                                                      else {V.SKOS_CONCEPT}):
            raise InputError(f"<{t.subject.value}> has the type <{t.object.value}>",
                             argument=source)
        if t.predicate == V.IN_SCHEME and t.object != scheme:
            raise InputError(f"<{t.subject.value}> is also in another scheme <{t.object.value}>",
                             argument=source)
        if isinstance(t.object, Literal):
            terms.check_text(t.object.value, argument=source, allow_empty=True)
        out.append(Triple(t.subject, t.predicate, terms.canonical(t.object)))
    _check_ratings(out, scheme, concepts, source)
    return scheme, out


def _check_ratings(triples: list[Triple], scheme: NamedNode, concepts: set, source: str) -> None:
    by: dict = {}
    for t in triples:
        by.setdefault((t.subject, t.predicate), []).append(t.object)
    keys: dict[str, NamedNode] = {}
    for concept in sorted(concepts, key=lambda n: n.value):
        name = f"<{concept.value}>"
        norm = by.get((concept, V.NORMALISED_RATING), [])
        if len(norm) != 1 or V.Normalised.find(norm[0]) is None:
            raise InputError(
                f"{name} needs exactly one cl:normalisedRating: cl:normalised-true, "
                "cl:normalised-false, cl:normalised-mixture or cl:normalised-other", argument=source)
        prefs = by.get((concept, V.PREF_LABEL), [])
        if not prefs or not all(isinstance(p, Literal) and p.value.strip() for p in prefs):
            raise InputError(f"{name} needs a skos:prefLabel (its label, as the outlet writes it)",
                             argument=source)
        for predicate in (V.NOTATION, V.RATING_VALUE):
            values = by.get((concept, predicate), [])
            if len(values) > 1 or any(not isinstance(v, Literal) for v in values):
                raise InputError(f"{name} has more than one {predicate.value.rsplit('/', 1)[-1]}",
                                 argument=source)
        for v in by.get((concept, V.RATING_VALUE), []):
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", v.value):
                raise InputError(f"{name}: schema:ratingValue {v.value!r} is not a number",
                                 argument=source)
        texts = [o.value for p in (V.PREF_LABEL, V.ALT_LABEL, NamedNode(V.SKOS + "hiddenLabel"),
                                   V.NOTATION, V.RATING_VALUE)
                 for o in by.get((concept, p), []) if isinstance(o, Literal)]
        for text in {fold(t) for t in texts if fold(t)}:
            if keys.setdefault(text, concept) != concept:
                raise InputError(f"{text!r} names two ratings, <{keys[text].value}> and {name}: "
                                 "a label, notation or value must name one rating", argument=source)
