"""The snapshot terms the code writes are documented in the ontology, and the import graph of
the new packages points down only."""

from __future__ import annotations

import ast
from pathlib import Path

import rdflib

from claimledger import resources
from claimledger.model import vocab as V

SRC = Path(__file__).resolve().parents[2] / "src" / "claimledger"
NEW_TERMS = [V.SNAPSHOT, V.CAPTURE, V.EXTRACTED_TEXT, V.ANCHOR, V.CAPTURE_LINK, V.LAST_CAPTURE,
             V.CURRENT_SNAPSHOT, V.SNAPSHOT_LINK, V.OUTCOME, V.REQUESTED_URL, V.FINAL_URL,
             V.HTTP_STATUS, V.CONTENT_TYPE, V.SHA256, V.BYTE_SIZE, V.REDIRECTS, V.FAILURE,
             V.WARC_FILE, V.WARC_RECORD, V.FILE_SHA256, V.TEXT_LINK, V.TEXT_FILE, V.TEXT_LENGTH,
             V.EXTRACTOR, V.EXTRACTOR_VERSION, V.ANCHOR_LINK, V.ANCHOR_STATUS, V.QUOTE_STATUS,
             V.OCCURRENCE]


def test_every_snapshot_term_and_concept_is_in_the_ontology():
    g = rdflib.Graph().parse(data=resources.ontology(), format="turtle")
    described = {str(s) for s in g.subjects(rdflib.RDFS.comment, None)}
    missing = [t.value for t in NEW_TERMS if t.value not in described]
    assert missing == []
    for scheme in (V.QuoteStatus, V.AnchorStatus, V.CaptureOutcome):
        for token in scheme.tokens:
            concept = rdflib.URIRef(scheme.iri(token).value)
            assert (concept, rdflib.SKOS.notation, rdflib.Literal(token)) in g


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("claimledger")}


def test_net_and_capture_know_nothing_above_them():
    for package, forbidden in (("net", ("records", "core", "cli", "ledger", "capture", "query")),
                               ("capture", ("records", "core", "cli", "ledger", "query"))):
        for path in (SRC / package).glob("*.py"):
            for module in _imports(path):
                assert not module.startswith(tuple(f"claimledger.{f}" for f in forbidden)), \
                    f"{path.name} imports {module}"
