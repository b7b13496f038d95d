"""Finding things: ``claim list`` and ``source list`` filters, text search and paging."""

import json

import pytest

from claimledger.ledger import Ledger
from claimledger.records import search
from conftest import BASE, EX, Cli, snapshot


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.cases.add("kunduz", title="Kunduz")
        led.sources.add("wire", title="Wire", reliability="B", published="2017-03-01",
                        cases=["kunduz"])
        led.sources.add("reprint", title="Reprint", derived_from=["wire"], published="2019")
        led.sources.add("nds", title="NDS sources", kind="person", anonymous=True,
                        justification="serving officers", known_to="editor", reliability="C")
        led.sources.add("ministry", title="Ministry", kind="organization", reliability="A")
        claims = {
            "kunduz-cooperation": "Les Talibans et l'EI ont coopéré à KUNDÛZ",
            "airport": "The airport attack was anticipated",
            "archrivals": "The outfits are archrivals",
            "prisons": "The Taliban freed prisoners in Kunduz",
        }
        for slug, text in claims.items():
            led.claims.add(slug, subject="ex:s", predicate="ex:p", object=f"ex:{slug}",
                           text=text, cases=["kunduz"] if "unduz" in slug or slug == "prisons" else ())
        led.evidence.add("kunduz-cooperation", "ministry", stance="supports",
                         attributed_to="nds")
        led.evidence.add("airport", "wire", stance="supports", quote="anticipated")
        led.evidence.add("airport", "ministry", stance="supports")
        led.evidence.add("prisons", "reprint", stance="supports", quote="freed")
        led.claims.set_confidence("airport", "high")
        led.claims.verdict("archrivals", "mostly-true", reason="two analysts agree")
    with Ledger.open(path, write=True, agent="second-desk") as led:  # another agent
        led.claims.add("late", subject="ex:s", predicate="ex:p", object="ex:late",
                       text="A claim the second desk recorded")
    return Cli(path)


def slugs(run, *args):
    return [c["slug"] for c in json.loads(run.ok("claim", "list", *args, "--format", "json").stdout)]


@pytest.mark.parametrize("args, expected", [
    ((), ["airport", "archrivals", "kunduz-cooperation", "late", "prisons"]),
    (("--text", "kunduz"), ["kunduz-cooperation", "prisons"]),          # KUNDÛZ too
    (("--text", "TALIBANS et l ei"), ["kunduz-cooperation"]),            # case, accents, punctuation
    (("--text", "cooperé"), ["kunduz-cooperation"]),
    (("--text", "nothing like it"), []),
    (("--source", "wire"), ["airport"]),
    (("--source", "nds"), ["kunduz-cooperation"]),                       # attributed to it
    (("--origin", "wire"), ["airport", "prisons"]),                      # a reprint traces to wire
    (("--origin", "nds"), ["kunduz-cooperation"]),
    (("--status", "corroborated"), ["airport"]),
    (("--status", "confirmed"), ["archrivals"]),
    (("--confidence", "high"), ["airport"]),
    (("--recorded-by", "second-desk"), ["late"]),
    (("--recorded-from", "2000"), ["airport", "archrivals", "kunduz-cooperation", "late", "prisons"]),
    (("--recorded-to", "2001-06"), []),
    (("--published-from", "2018"), ["prisons"]),
    (("--published-to", "2017-03"), ["airport"]),
    (("--published-from", "2019-06-01", "--published-to", "2019-06-30"), ["prisons"]),  # a year overlaps
    (("--case", "kunduz"), ["kunduz-cooperation", "prisons"]),
    (("--case", "kunduz", "--text", "freed"), ["prisons"]),
])
def test_claim_list_filters(desk, args, expected):
    assert slugs(desk, *args) == expected


def test_paging(desk):
    everything = slugs(desk)
    pages = [slugs(desk, "--limit", "2", "--offset", str(k)) for k in (0, 2, 4, 6)]
    assert pages[0] + pages[1] + pages[2] == everything and pages[3] == []
    result = desk.ok("claim", "list", "--limit", "2")
    assert "(more: --offset 2)" in result.stderr
    assert "more" not in desk.ok("claim", "list", "--limit", "10").stderr
    assert slugs(desk, "--text", "the", "--limit", "1", "--offset", "1") == ["archrivals"]
    assert slugs(desk, "--limit", "0") == []


def test_pages_of_a_long_list_follow_the_store_and_cover_it_once(desk, monkeypatch):
    monkeypatch.setattr(search, "SORTED_UP_TO", 2)  # as for a ledger of many claims
    with Ledger.open(desk.ledger_dir) as led:
        pages = [led.claims.page(search.ClaimFilter(), limit=2, offset=k) for k in (0, 2, 4)]
        got = [r.slug for p in pages for r in p.items]
        assert sorted(got) == [r.slug for r in led.claims.list()]
        assert [p.more for p in pages] == [True, True, False]
        found = led.claims.page(search.ClaimFilter(text="the"), limit=2)
        assert len(found.items) == 2 and found.more
        assert all("the" in search.fold(r.text) for r in found.items)


def test_json_list_shows_evidence_and_verdicts(desk):
    # The defect: claim list --format json printed "evidence": [] and "verdicts": [].
    listed = {c["slug"]: c for c in json.loads(desk.ok("claim", "list", "--format", "json").stdout)}
    assert [e["id"] for e in listed["airport"]["evidence"]] == ["airport-1", "airport-2"]
    assert [v["rating"] for v in listed["archrivals"]["verdicts"]] == ["mostly true"]
    shown = json.loads(desk.ok("claim", "show", "airport", "--format", "json").stdout)["claim"]
    assert listed["airport"] == shown


@pytest.mark.parametrize("args, message", [
    (("--status", "sourced"), "'sourced' is not a corroboration status"),
    (("--source", "nope"), "--source: no source 'nope'"),
    (("--source", "wir"), "did you mean 'wire'?"),
    (("--case", "kabul"), "--case: no case 'kabul'"),
    (("--recorded-by", "nobody"), "--recorded-by: no agent 'nobody'"),
    (("--recorded-from", "last week"), "--recorded-from: 'last week' is not a date"),
    (("--published-to", "2019-02-30"), "not a valid date"),
    (("--text", " ,; "), "--text: give words to search for"),
    (("--limit", "-1"), "Invalid value for '--limit'"),
])
def test_bad_filters_are_refused(desk, args, message):
    before = snapshot(desk.ledger_dir)
    result = desk("claim", "list", *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert snapshot(desk.ledger_dir) == before


@pytest.mark.parametrize("args, expected", [
    ((), ["ministry", "nds", "reprint", "wire"]),
    (("--kind", "person"), ["nds"]),
    (("--grade", "A"), ["ministry"]),
    (("--reliability", "F"), ["reprint"]),
    (("--anonymous",), ["nds"]),
    (("--named",), ["ministry", "reprint", "wire"]),
    (("--named", "--kind", "organization"), ["ministry"]),
    (("--case", "kunduz"), ["wire"]),
    (("--limit", "2", "--offset", "1"), ["nds", "reprint"]),
])
def test_source_list_filters(desk, args, expected):
    got = json.loads(desk.ok("source", "list", *args, "--format", "json").stdout)
    assert [s["slug"] for s in got] == expected


def test_source_list_refuses_a_bad_kind(desk):
    result = desk("source", "list", "--kind", "rumour")
    assert result.exit_code == 2 and "'rumour' is not a source kind" in result.stderr


def test_dates_cover_their_whole_span():
    assert search.day("2017", "x") == "2017-01-01" and search.day("2017", "x", end=True) == "2017-12-31"
    assert search.day("2024-02", "x", end=True) == "2024-02-29"
    assert search.day("2017-12", "x", end=True) == "2017-12-31"
    assert search.day("2017-03-04T10:00:00Z", "x") == "2017-03-04"
