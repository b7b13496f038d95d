"""The corroboration rules, on facts alone (no store)."""

import pytest

from claimledger.rules.corroboration import EvidenceFacts as E
from claimledger.rules.corroboration import Lineage, SourceFacts as S, derive, max_disjoint
from claimledger.errors import ConflictError


def sources(*facts: S) -> dict:
    return {f.iri: f for f in facts}


def test_reports_sharing_an_origin_are_one_origin():
    src = sources(S("wire"), S("b", ("wire",)), S("c", ("wire",)))
    result = derive([E("e1", "supports", "b"), E("e2", "supports", "c")], src)
    assert result.status == "single-source"
    assert result.independent_origins == 1
    assert result.support_origins == {"wire"}


def test_independent_origins_corroborate():
    src = sources(S("wire"), S("b", ("wire",)), S("d"))
    result = derive([E("e1", "supports", "b"), E("e2", "supports", "d")], src)
    assert (result.status, result.independent_origins) == ("corroborated", 2)


def test_attribution_decides_the_origin_not_the_document_in_hand():
    src = sources(S("article"), S("nds", anonymous=True), S("wsj"))
    two = [E("e1", "supports", "article", attributed="nds"),
           E("e2", "supports", "article", attributed="wsj")]
    assert derive(two, src).status == "corroborated"
    own = [E("e3", "supports", "article")]
    assert derive(own, src).status == "single-source"


def test_a_document_built_on_two_reports_counts_once():
    src = sources(S("a"), S("b"), S("nie", ("a", "b")))
    assert derive([E("e1", "supports", "nie")], src).status == "single-source"
    # ...but beside an independent report of one of its inputs, that report is independent
    more = [E("e1", "supports", "nie"), E("e2", "supports", "a"), E("e3", "supports", "b")]
    assert derive(more, src).independent_origins == 2


def test_credible_contradiction_makes_a_claim_contested():
    src = sources(S("a"), S("b"), S("denial", reliability="B"), S("rumour", reliability="E"))
    ev = [E("e1", "supports", "a"), E("e2", "supports", "b")]
    assert derive(ev + [E("x", "contradicts", "rumour")], src).status == "corroborated"
    assert derive(ev + [E("x", "contradicts", "rumour", credibility="2")], src).status == "contested"
    assert derive(ev + [E("x", "contradicts", "denial")], src).status == "contested"


def test_verdict_wins_and_retracted_or_discredited_evidence_does_not_count():
    src = sources(S("a"), S("b", discredited=True), S("c", ("b",)))
    assert derive([E("e", "supports", "a")], src, verdict="refuted").status == "refuted"
    assert derive([E("e", "supports", "a", retracted=True)], src).status == "unsourced"
    result = derive([E("e", "supports", "c")], src)  # derived from a discredited source
    assert result.status == "unsourced" and result.counts == {"e": False}
    result = derive([E("e", "supports", "a", attributed="b")], src)
    assert result.status == "unsourced"


def test_derivation_cycle_is_an_error_naming_the_loop():
    src = sources(S("a", ("b",)), S("b", ("c",)), S("c", ("a",)))
    with pytest.raises(ConflictError, match="cycle: a → b → c → a"):
        Lineage(src).origins("a")


def test_long_chains_do_not_exhaust_the_stack():
    chain = [S(f"s{i}", (f"s{i + 1}",)) for i in range(5000)] + [S("s5000")]
    assert Lineage(sources(*chain)).origins("s0") == {"s5000"}


@pytest.mark.parametrize("sets, expected", [
    ([], 0),
    (["a", "a", "a"], 1),
    (["a", "b", "c"], 3),
    (["ab", "a", "b"], 2),
    (["ab", "bc", "ca"], 1),
    (["ab", "cd", "ac", "bd"], 2),
])
def test_max_disjoint(sets, expected):
    assert max_disjoint([frozenset(s) for s in sets]) == expected


def test_nothing_in_support_is_unsourced_whatever_contradicts_it():
    src = sources(S("a", discredited=True), S("denial", reliability="B"))
    ev = [E("e1", "supports", "a"), E("x", "contradicts", "denial")]
    assert derive(ev, src).status == "unsourced"
    assert derive([E("x", "contradicts", "denial")], src).status == "unsourced"


def test_the_verdict_in_force_is_the_latest_not_withdrawn():
    from claimledger.rules.corroboration import VerdictFacts, verdict_in_force

    first = VerdictFacts("v1", "refuted", "2024-05-01T10:00:00.9Z")
    second = VerdictFacts("v2", "mixed", "2024-05-01T10:00:01.25Z")
    assert verdict_in_force([second, first]) is second   # by time, not by the text of it
    assert verdict_in_force([first, VerdictFacts("v2", "mixed", second.time, withdrawn=True)]) is first
    assert verdict_in_force([VerdictFacts("v1", "refuted", first.time, withdrawn=True)]) is None
    assert verdict_in_force([VerdictFacts("v1", "single-source", first.time)]) is None


@pytest.mark.parametrize("status, origins, independent, expected", [
    ("unsourced", [], 0, "low"),
    ("single-source", ["B"], 1, "moderate"),
    ("contested", ["B", "C"], 2, "moderate"),
    ("corroborated", ["B", "C"], 2, "high"),
    ("corroborated", ["D", "E"], 2, "moderate"),
    ("corroborated", ["B!", "C!"], 2, "moderate"),   # ! anonymous
    ("confirmed", ["B", "C"], 2, "high"),
    ("confirmed", ["B"], 1, "moderate"),
    ("confirmed", [], 0, "low"),
    ("mixed", ["B", "C"], 2, "moderate"),
    ("inconclusive", ["B"], 1, "moderate"),
    ("refuted", ["B", "C"], 2, "low"),
    ("retracted", ["A", "B"], 2, "low"),
])
def test_confidence_is_in_the_claim_and_a_verdict_only_lowers_it(status, origins, independent,
                                                                   expected):
    from claimledger.rules.confidence import allowed

    facts = [S(f"o{i}", reliability=g[0], anonymous=g.endswith("!")) for i, g in enumerate(origins)]
    assert allowed(status, facts, independent) == expected
