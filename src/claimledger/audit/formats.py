"""The event formats: how each version of the audit trail hashes its events.

An event records which format it was written in (``cl:formatVersion`` in its description;
events without one are format 1), and :func:`claimledger.audit.verify` checks each event by
its own format's rules, so a ledger written by an older claimledger still verifies — and
``claimledger migrate`` (one audited event) moves it to the current format.

Both formats chain events the same way (see :mod:`claimledger.audit.chain`)::

    hash(n) = SHA-256( TAG + "\\n" + hash(n-1) + "\\n"
                       + D(description) + D(removed triples) + D(added triples) )
    D(set)  = SHA-256 over the sorted SHA-256 digests of the set's N-Triples lines

(the description: the event's triples in the audit graph, except its ``cl:hash`` and its
signature triples, which sign that hash — see :mod:`claimledger.signing.events`.)

They differ in how a triple becomes a line:

* **format 1** (``TAG = "claimledger-event-2"``, claimledger 0.1): Oxigraph's N-Triples
  serialisation of Oxigraph's own literal forms (``"3.0E1"^^xsd:double`` as ``"30"``). It
  can be recomputed anywhere, by running the literal through an in-memory Oxigraph.
* **format 2** (``TAG = "claimledger-event-3"``): claimledger's canonical N-Triples
  (:mod:`claimledger.model.ntriples`) of claimledger's canonical literal forms
  (:mod:`claimledger.model.literals`) — computed by claimledger itself from the RDF 1.1 and
  XSD rules, so the same ledger replayed on any engine hashes the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Triple
from pyoxigraph import Store as _OxStore

from claimledger.model import ntriples
from claimledger.model.literals import XSD

#: The format new events are written in.
CURRENT = 2


@dataclass(frozen=True)
class EventFormat:
    """One version of the event format: its hash tag and its line for a triple."""

    version: int
    tag: str
    line: Callable[[Triple], str]


_OX_NUMERIC = frozenset(XSD + n for n in ("double", "float"))


@lru_cache(maxsize=65536)
def _oxigraph_form(literal: Literal) -> Literal:
    store = _OxStore()
    s = NamedNode("urn:claimledger:oxigraph-form")
    store.add(Quad(s, s, literal, DefaultGraph()))
    return next(iter(store)).object


def _line_1(t: Triple) -> str:
    o = t.object
    if type(o) is Literal and o.datatype.value in _OX_NUMERIC:
        t = Triple(t.subject, t.predicate, _oxigraph_form(o))
    return f"{t} ."


FORMATS = {
    1: EventFormat(1, "claimledger-event-2", _line_1),
    2: EventFormat(2, "claimledger-event-3", ntriples.line),
}


def event_format(version: int) -> EventFormat:
    """The rules of event format ``version``.

    :raises KeyError: for a format this claimledger does not know.
    """
    return FORMATS[version]
