"""One page of the claim list (records.claim_pages): the same claims as ``claim list``,
filtered, sorted, paged; user values reach the query only as escaped RDF terms."""

from __future__ import annotations

import pytest

from benchmarks.torture import INJECTIONS
from claimledger.errors import InputError, NotFoundError
from claimledger.records.claim_pages import ClaimFilter, claim_page


@pytest.fixture
def filled(ledger):
    ledger.sources.add("wire", title="Wire", reliability="B")
    ledger.sources.add("other", title="Other", reliability="C")
    ledger.sources.add("person", title="Person", kind="person")
    for i in range(23):
        ledger.claims.add(f"c{i:02d}", subject="ex:a", predicate="ex:b", object=f"ex:o{i}",
                          text=f"Claim number {i} about {'Kunduz' if i % 3 == 0 else 'Kabul'}")
        if i % 2 == 0:
            ledger.evidence.add(f"c{i:02d}", "wire", stance="supports", quote="q")
        if i % 4 == 0:
            ledger.evidence.add(f"c{i:02d}", "other", stance="supports", locator="p. 1")
        if i == 5:
            ledger.evidence.add("c05", "other", stance="supports", attributed_to="person",
                                locator="p. 2")
    return ledger


def slugs(page) -> list[str]:
    return [r.slug for r in page.rows]


def test_pages_cover_every_claim_once_in_any_order(filled):
    seen, offset = [], 0
    while True:
        page = claim_page(filled, offset=offset, limit=5)
        seen += slugs(page)
        offset += 5
        if not page.more:
            break
    assert sorted(seen) == sorted(r.slug for r in filled.claims.list())
    assert len(seen) == len(set(seen)) == 23


def test_rows_match_claim_list_and_sorting(filled):
    listed = {r.slug: r for r in filled.claims.list()}
    page = claim_page(filled, sort="slug", limit=500)
    assert slugs(page) == sorted(listed)
    for row in page.rows:
        full = listed[row.slug]
        assert (row.text, row.status, row.confidence, row.independent_origins) == \
            (full.text, full.status, full.confidence, full.independent_origins)
    by_origins = claim_page(filled, sort="origins", limit=500).rows
    assert [r.independent_origins for r in by_origins] == \
        sorted((r.independent_origins for r in by_origins), reverse=True)


def test_filters(filled):
    corroborated = {r.slug for r in filled.claims.list(status="corroborated")}
    assert corroborated and set(slugs(claim_page(filled, ClaimFilter(status="corroborated"),
                                                 limit=500))) == corroborated
    assert set(slugs(claim_page(filled, ClaimFilter(source="person"), limit=500))) == {"c05"}
    other = set(slugs(claim_page(filled, ClaimFilter(source="other"), limit=500)))
    assert other == {f"c{i:02d}" for i in range(23) if i % 4 == 0} | {"c05"}
    kunduz = set(slugs(claim_page(filled, ClaimFilter(text="KUNDUZ"), limit=500)))
    assert kunduz == {f"c{i:02d}" for i in range(23) if i % 3 == 0}
    both = claim_page(filled, ClaimFilter(text="kunduz", status="unsourced"), limit=500)
    assert set(slugs(both)) == {f"c{i:02d}" for i in range(23) if i % 3 == 0 and i % 2}
    assert not claim_page(filled, ClaimFilter(confidence="high")).rows


def test_hostile_search_text_is_searched_for_not_run(filled):
    filled.claims.add("odd", subject="ex:a", predicate="ex:b", object="ex:c",
                      text='He said "}} ; DROP ALL #\\ and left')
    assert slugs(claim_page(filled, ClaimFilter(text='"}} ; drop all #\\'))) == ["odd"]
    for text in INJECTIONS:
        page = claim_page(filled, ClaimFilter(text=text))
        assert all(text.casefold() in r.text.casefold() for r in page.rows)


def test_bad_requests_are_input_errors(filled):
    with pytest.raises(InputError, match="--sort"):
        claim_page(filled, sort="random()")
    with pytest.raises(InputError, match="--limit"):
        claim_page(filled, limit=0)
    with pytest.raises(InputError, match="--offset"):
        claim_page(filled, offset=-1)
    with pytest.raises(InputError, match="--status"):
        claim_page(filled, ClaimFilter(status="true"))
    with pytest.raises(NotFoundError):
        claim_page(filled, ClaimFilter(source="nobody"))


def test_source_pages_cover_every_source_once(filled):
    from claimledger.records.source_pages import source_page

    seen, offset = [], 0
    while True:
        page = source_page(filled, offset=offset, limit=2)
        seen += [s.slug for s in page.rows]
        offset += 2
        if not page.more:
            break
    assert sorted(seen) == [s.slug for s in filled.sources.list()]
    assert page.rows[-1] == filled.sources.get(page.rows[-1].slug)
    with pytest.raises(InputError):
        source_page(filled, limit=10_000)
