"""RDF/XML with a DTD that declares entities is refused outright (as defusedxml does)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import snapshot

RDF = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://e.org/">'
       '<rdf:Description rdf:about="https://e.org/x"><ex:p>{body}</ex:p></rdf:Description></rdf:RDF>')


def _doc(doctype: str, body: str = "v") -> str:
    return '<?xml version="1.0"?>\n' + doctype + "\n" + RDF.format(body=body)


def _laughs(levels: int = 10) -> list[str]:
    return ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(levels - 1)]


def test_billion_laughs_with_its_top_entity_declared_twice_is_refused(ledger_dir, tmp_path):
    # The parser uses the first declaration of "j" (10**10 characters); the second, small
    # one is what an entity-counting check once looked at.
    entities = _laughs(10) + ['<!ENTITY j "small">']
    path = tmp_path / "laughs.rdf"
    path.write_text(_doc("<!DOCTYPE rdf:RDF [ " + " ".join(entities) + " ]>", "&j;"))
    assert path.stat().st_size < 2000
    before = snapshot(ledger_dir)
    env = dict(os.environ, CLAIMLEDGER_LEDGER=str(ledger_dir), CLAIMLEDGER_AGENT="tester")
    proc = subprocess.run([sys.executable, "-m", "claimledger.cli", "import", str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert proc.stderr.startswith("Error: FILE: ")
    assert "entit" in proc.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rdf:RDF [ <!ENTITY ex "https://e.org/"> ]>',
    '<!DOCTYPE rdf:RDF [ <!ENTITY  ex  \'https://e.org/\' > ]>',
    '<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>',
    '<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>',
    '<!DOCTYPE rdf:RDF [ <!ENTITY x PUBLIC "-//x//EN" "http://127.0.0.1:9/x"> ]>',
    '<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "http://127.0.0.1:9/x" NDATA gif> ]>',
    '<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/rdf.dtd">',
    '<!DOCTYPE rdf:RDF PUBLIC "-//x//EN" "rdf.dtd" [ ]>',
])
def test_entity_declarations_and_external_dtds_are_refused(run, ledger_dir, tmp_path, doctype):
    path = tmp_path / "entities.rdf"
    path.write_text(_doc(doctype))
    before = snapshot(ledger_dir)
    result = run("import", str(path))
    assert result.exit_code == 2, result.output
    assert "DTD" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("doctype", [
    "",
    "<!DOCTYPE rdf:RDF>",
    "<!DOCTYPE rdf:RDF [ <!ELEMENT x ANY> ]>",
    "<!-- <!ENTITY x 'not a declaration'> -->",
    '<?note <!ENTITY y "x"> ?>',
])
def test_xml_without_entity_declarations_is_read(run, tmp_path, doctype):
    path = tmp_path / "plain.rdf"
    path.write_text(_doc(doctype, "&amp; &#65;"))
    run.ok("import", str(path))


def test_xml_that_is_not_well_formed_before_its_root_is_refused(run, tmp_path):
    path = tmp_path / "broken.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY >\n' + RDF.format(body="v"))
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.startswith("Error: FILE: ")
