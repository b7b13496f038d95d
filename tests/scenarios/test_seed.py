"""The seed ledger (data/): the article recorded claim by claim, and the shipped TriG file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.model import vocab as V
from claimledger.cli import cli
from claimledger.errors import LedgerError
from claimledger.interchange import import_file
from claimledger.ledger import Ledger
from claimledger.validation import validate_store
from conftest import seed_builder

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "data" / "seeds" / "taliban-isis-rivalry.txt"
SHIPPED = ROOT / "data" / "taliban-isis-rivalry.trig"

ANONYMOUS = ("iraqi-officer", "us-afghan-officials", "afghan-officials", "nds-sources",
             "eyewitnesses", "multiple-sources", "taliban-official")




builder = seed_builder("build_seed_ledger")


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory) -> Path:
    """The seed ledger, built once through the script's command line (with --export)."""
    out = tmp_path_factory.mktemp("seed")
    path = out / "seed-ledger"
    assert builder.main(["--ledger", str(path), "--export", str(out / "seed.trig")]) == 0
    return path


@pytest.fixture(scope="module")
def seed(seed_dir):
    with Ledger.open(seed_dir) as led:
        yield led


@pytest.fixture(scope="module")
def claims(seed):
    return {c.slug: seed.claims.get(c.slug) for c in seed.claims.list()}


def _statuses(ledger: Ledger) -> dict[str, tuple[str | None, int]]:
    return {c.slug: (c.status, c.independent_origins) for c in ledger.claims.list()}


def test_the_ledger_holds_the_data_of_the_script(seed, claims):
    assert set(claims) == {c.slug for c in builder.CLAIMS}
    assert 25 <= len(claims) <= 60
    assert {s.slug for s in seed.sources.list()} == {s.slug for s in builder.SOURCES}
    assert seed.base == "https://example.org/taliban-isis-rivalry/"
    assert seed.prefixes["ent"] == "https://example.org/taliban-isis-rivalry/entity/"
    assert seed.prefixes["rel"] == "https://example.org/taliban-isis-rivalry/relation/"


def test_every_quote_is_verbatim_in_the_article_where_its_locator_says(claims):
    text = ARTICLE.read_text(encoding="utf-8")
    blocks = builder.article_blocks(text)
    assert len([k for k in blocks if k.startswith("para ")]) == 22
    assert len([k for k in blocks if k.startswith("caption ")]) == 7
    quotes = 0
    for claim in claims.values():
        assert claim.evidence, claim.slug
        for ev in claim.evidence:
            assert ev.source == "article", (claim.slug, ev.id)
            assert ev.quote and ev.quote in text, (claim.slug, ev.quote)
            assert ev.quote in blocks[ev.locator], (claim.slug, ev.locator, ev.quote)
            quotes += 1
    assert quotes >= len(claims)


def test_check_quotes_refuses_a_quote_that_is_not_verbatim():
    good = builder.CLAIMS[0]
    ev = dataclasses.replace(good.evidence[0], quote=good.evidence[0].quote.replace("’", "'")
                             .replace("“", '"') + " (paraphrased)")
    bad = dataclasses.replace(good, evidence=(ev,))
    with pytest.raises(ValueError, match="not found verbatim"):
        builder.check_quotes([bad])
    wrong_para = dataclasses.replace(good, evidence=(dataclasses.replace(good.evidence[0],
                                                                         locator="para 3"),))
    with pytest.raises(ValueError, match="para 3"):
        builder.check_quotes([wrong_para])


def test_the_one_credible_anecdote_rests_on_the_nds_sources_alone(claims):
    kunduz = claims["kunduz-cooperation"]
    assert kunduz.status == "single-source"
    assert kunduz.independent_origins == 1
    assert kunduz.support_origins == ["nds-sources"]
    assert [(e.source, e.attributed_to) for e in kunduz.evidence] == [("article", "nds-sources")]
    assert "Kunduz and Badakhshan" in kunduz.evidence[0].quote


def test_eyewitness_safe_passage_is_a_separate_claim(claims):
    passage = claims["safe-passage"]
    assert passage.status == "single-source"
    assert passage.support_origins == ["eyewitnesses"]
    assert "safe passage" in passage.evidence[0].quote


def test_the_anticipated_attack_has_two_independent_attributions(claims):
    claim = claims["attack-anticipated"]
    assert claim.status == "corroborated"
    assert claim.independent_origins == 2
    assert claim.support_origins == ["taliban-official", "us-allied-warnings"]
    assert sorted(e.attributed_to for e in claim.evidence) == ["taliban-official",
                                                               "us-allied-warnings"]
    assert {e.source for e in claim.evidence} == {"article"}


def test_multiple_unnamed_sources_are_one_source(claims):
    claim = claims["multiple-sources"]
    assert claim.status == "single-source"
    assert claim.support_origins == ["multiple-sources"]
    assert "Bagram" in claim.evidence[0].quote


def test_the_wsj_report_is_a_document_without_invented_details(seed, claims):
    wsj = seed.sources.get("wsj-report")
    assert wsj.kind == "document"
    assert wsj.url is None and wsj.published is None
    assert claims["khorasani-executed"].support_origins == ["wsj-report"]


def test_no_source_has_a_url_or_date_the_article_does_not_give(seed):
    for source in seed.sources.list():
        assert source.url is None and source.published is None, source.slug


def test_anonymous_sources_say_why_and_who_knows_them(seed):
    for slug in ANONYMOUS:
        source = seed.sources.get(slug)
        assert source.anonymous, slug
        assert source.justification and "does not name" in source.justification, slug
        assert source.known_to == "author", slug
        assert source.reliability in {"A", "B", "C", "D", "E", "F"}
    article = seed.sources.get("article")
    assert article.kind == "document" and not article.anonymous


def test_unattributed_assertions_rest_on_the_article(claims):
    for claim in claims.values():
        if all(e.attributed_to is None for e in claim.evidence):
            assert claim.support_origins == ["article"], claim.slug
            assert claim.status == "single-source", claim.slug


def test_attribution_is_per_statement_not_derivation(seed):
    assert list(seed.store.triples(None, V.WAS_DERIVED_FROM, None)) == []
    for source in seed.sources.list():
        assert source.derived_from == [], source.slug


def test_the_ledger_validates_with_single_origin_warnings_only(seed, claims):
    report = validate_store(seed.store, seed.shapes)
    assert report.conforms, [r.describe() for r in report.violations]
    single = {c.iri for c in claims.values() if c.status == "single-source"}
    assert single and len(single) == len(claims) - 1
    warned = {r.focus for r in report.warnings if r.rule == "single-origin"}
    assert warned == single
    assert {r.rule for r in report.warnings} == {"single-origin"}


def test_confidence_stays_within_the_rules(claims):
    levels = {c.slug: c.confidence for c in claims.values()}
    assert "high" not in levels.values()
    assert levels["kunduz-cooperation"] == "low"
    assert levels["attack-anticipated"] == "moderate"


def test_claim_list_filters_by_status_and_confidence(seed, claims):
    moderate = seed.claims.list(confidence="moderate")
    expected = {slug for slug, c in claims.items() if c.confidence == "moderate"}
    assert {c.slug for c in moderate} == expected
    assert {c.confidence for c in moderate} == {"moderate"}
    assert [c.slug for c in seed.claims.list(status="corroborated")] == ["attack-anticipated"]
    assert len(seed.claims.list(status="single-source", confidence="low")) == len(
        [c for c in claims.values() if c.status == "single-source" and c.confidence == "low"])


def test_cli_verify_and_validate_pass(seed_dir, seed):
    runner = CliRunner()
    env = {"CLAIMLEDGER_LEDGER": str(seed_dir)}
    result = runner.invoke(cli, ["verify"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.stdout
    result = runner.invoke(cli, ["validate", "--min-severity", "violation"], env=env,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_build_refuses_an_existing_ledger(seed_dir):
    with pytest.raises(LedgerError):
        builder.build(seed_dir)


@pytest.mark.parametrize("trig", ["shipped", "fresh"])
def test_importing_the_trig_gives_the_same_claims_and_statuses(seed, seed_dir, tmp_path, trig):
    path = SHIPPED if trig == "shipped" else seed_dir.parent / "seed.trig"
    with Ledger.create(tmp_path / "imported", base=builder.BASE, agent="importer") as fresh:
        result = import_file(fresh, path)
        assert result.report.conforms
        assert _statuses(fresh) == _statuses(seed)
        kunduz = fresh.claims.get("kunduz-cooperation")
        assert kunduz.support_origins == ["nds-sources"]
