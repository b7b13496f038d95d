"""The digest of a set of triples (``D`` in :mod:`claimledger.audit.chain`), computed at once
or kept as a bulk import writes its event's graph — triples given twice, removed, given again,
spilled to temporary files — always the digest of the set as it ends."""

from __future__ import annotations

import hashlib
import random

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from claimledger import audit
from claimledger.audit import chain
from claimledger.model import ntriples


def triples(n: int) -> list[Triple]:
    return [Triple(NamedNode(f"urn:s{i % 7}"), NamedNode(f"urn:p{i % 3}"), Literal(f"o {i}"))
            for i in range(n)]


def by_definition(ts: set[Triple]) -> bytes:
    """SHA-256 over the sorted SHA-256 digests of the triples' canonical N-Triples lines."""
    h = hashlib.sha256()
    for d in sorted(hashlib.sha256(ntriples.line(t).encode()).digest() for t in ts):
        h.update(d)
    return h.digest()


@pytest.mark.parametrize("spill", [chain.SPILL, 4])
def test_the_digest_of_a_set_is_the_one_defined_in_any_order(monkeypatch, spill):
    monkeypatch.setattr(chain, "SPILL", spill)
    ts = triples(40)
    shuffled = random.Random(3).sample(ts, len(ts))
    assert audit.set_digest(ts) == audit.set_digest(shuffled) == by_definition(set(ts))
    assert audit.set_digest([]) == hashlib.sha256().digest()


@pytest.mark.parametrize("spill", [chain.SPILL, 4])
def test_a_digest_kept_while_writing_is_that_of_the_set_written(monkeypatch, spill):
    monkeypatch.setattr(chain, "SPILL", spill)
    ts = triples(30)
    kept = audit.SetDigest()
    for t in ts + ts[:10]:            # ten given twice: they count once
        kept.add(t)
    for t in ts[5:15]:                # ten removed again …
        kept.discard(t)
    kept.add(ts[6])                   # … one of them written once more
    kept.discard(Triple(NamedNode("urn:never"), NamedNode("urn:p"), Literal("written")))
    final = (set(ts) - set(ts[5:15])) | {ts[6]}
    assert kept.digest() == by_definition(final)
    assert by_definition(final) != by_definition(set(ts))
