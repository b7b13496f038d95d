"""Names in a ledger: slugs for what it minted, CURIEs for the rest."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from conftest import BASE


def test_slugs_curies_and_iris(ledger):
    ledger.add_prefix("ent", BASE + "entity/")
    assert ledger.compact(NamedNode(BASE + "claim/kunduz")) == "kunduz"
    # under the base, but not in one of the ledger's collections: its prefix, not the full IRI
    assert ledger.compact(NamedNode(BASE + "entity/Taliban")) == "ent:Taliban"
    assert ledger.compact(NamedNode("https://example.org/e/ISIS")) == "ex:ISIS"
    assert ledger.compact(NamedNode("urn:x:y")) == "<urn:x:y>"
    assert ledger.compact(Literal("text")) == "text"
    assert ledger.slug(NamedNode(BASE + "source/wire")) == "wire"
