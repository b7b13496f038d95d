"""Backup, restore and copy: a whole ledger, history and all, verified by the same head hash."""

import hashlib
import json
from pathlib import Path

import pytest

from claimledger.errors import IntegrityError
from claimledger.interchange import backup as B
from claimledger.ledger import Ledger
from claimledger.store.memory import MemoryStore
from conftest import Cli

METER = Path(__file__).parents[1] / "records" / "data" / "meter.ttl"
POLICY = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cl: <https://w3id.org/claimledger#> .
@prefix ex: <https://example.org/policy#> .
ex:named a sh:NodeShape ; sh:targetClass cl:Source ;
    sh:property [ sh:path <http://schema.org/name> ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "named" ] .
"""


@pytest.fixture
def desk(tmp_path):
    run = Cli(tmp_path / "desk")
    run.ok("init", "--base", "https://example.org/desk/")
    run.ok("prefix", "add", "ex", "https://example.org/entity/")
    policy = tmp_path / "named.ttl"
    policy.write_text(POLICY, encoding="utf-8")
    run.ok("policy", "add", str(policy))
    run.ok("scale", "add", str(METER), "--name", "meter", "--default")
    run.ok("case", "add", "kunduz", "--title", "Kunduz")
    run.ok("source", "add", "wire", "--title", "Wire", "--reliability", "B", "--case", "kunduz")
    run.ok("source", "add", "outlet", "--title", "Outlet", "--derived-from", "wire")
    run.ok("claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed its jailed members",
           "--case", "kunduz")
    run.ok("evidence", "add", "freed", "outlet", "--supports", "--quote", "freed")
    run.ok("claim", "verdict", "freed", "Mostly True", "--reason", "the registry agrees")
    return run


def head(run: Cli) -> str:
    return json.loads(run.ok("verify", "--format", "json").stdout)["head"]


def test_export_and_import_lose_the_history_a_backup_keeps(desk, tmp_path):
    # The defect: export + import into a fresh ledger kept the state, not the history (20
    # events became 2), nor the prefixes; with another base, `claim show SLUG` failed.
    events = json.loads(desk.ok("verify", "--format", "json").stdout)["events"]
    desk.ok("export", "-o", str(tmp_path / "desk.trig"))
    imported = Cli(tmp_path / "imported")
    imported.ok("init")
    imported.ok("import", str(tmp_path / "desk.trig"))
    assert json.loads(imported.ok("verify", "--format", "json").stdout)["events"] == 2 < events
    assert imported("claim", "show", "freed").exit_code == 2

    out = desk.ok("backup", str(tmp_path / "desk.nq")).stdout
    assert f"backed up {events} events" in out and head(desk) in out
    copy = Cli(tmp_path / "copy")
    out = copy.ok("restore", str(tmp_path / "desk.nq"), "--ledger", str(tmp_path / "copy")).stdout
    assert f"head: {head(desk)}" in out
    assert head(copy) == head(desk)
    assert json.loads(copy.ok("verify", "--format", "json").stdout)["events"] == events
    shown = json.loads(copy.ok("claim", "show", "freed", "--format", "json").stdout)["claim"]
    original = json.loads(desk.ok("claim", "show", "freed", "--format", "json").stdout)["claim"]
    assert shown == original and shown["status"] == "confirmed"
    assert json.loads(copy.ok("prefix", "list", "--format", "json").stdout)["ex"] == \
        "https://example.org/entity/"
    assert [p["name"] for p in json.loads(copy.ok("policy", "list", "--format", "json").stdout)] \
        == ["named"]
    scales = json.loads(copy.ok("scale", "list", "--format", "json").stdout)
    assert [(s["name"], s["default"]) for s in scales] == [("claimledger", False), ("meter", True)]
    assert json.loads(copy.ok("case", "show", "kunduz", "--format", "json").stdout)["case"][
        "claims"] == ["freed"]
    assert copy.ok("log").stdout == desk.ok("log").stdout
    # and the copy goes on like the original
    copy.ok("claim", "withdraw-verdict", "freed", "--reason", "rated too early")
    copy.ok("verify")


def test_init_from_a_backup(desk, tmp_path):
    desk.ok("backup", str(tmp_path / "desk.nq"))
    fresh = Cli(tmp_path / "fresh")
    out = fresh.ok("init", "--from", str(tmp_path / "desk.nq")).stdout
    assert "base https://example.org/desk/" in out and head(desk) in out
    assert head(fresh) == head(desk)
    result = fresh("init", "--from", str(tmp_path / "desk.nq"), "--base", "https://x.org/")
    assert result.exit_code == 2 and "not both" in result.stderr


def _rewrite(path: Path, change) -> None:
    """Change a backup's quad lines and recompute its trailer, as a careful forger would."""
    lines = path.read_bytes().splitlines(keepends=True)
    body = change([line for line in lines[4:-1]])
    digest = hashlib.sha256(b"".join(body)).hexdigest()
    path.write_bytes(b"".join(lines[:4] + body)
                     + f"# end {len(body)} quads sha256 {digest}\n".encode())


@pytest.mark.parametrize("damage, code, message", [
    (lambda p: p.write_bytes(p.read_bytes()[:-200]), 2, "truncated or altered"),
    (lambda p: p.write_bytes(p.read_bytes().replace(b"jailed", b"jailec", 1)), 2,
     "was altered or damaged"),
    (lambda p: p.write_bytes(b"# not a backup\n" + p.read_bytes()), 2, "is not a claimledger backup"),
    (lambda p: _rewrite(p, lambda body: [b.replace(b"jailed", b"released") for b in body]), 1,
     "the audit trail was edited"),
    (lambda p: _rewrite(p, lambda body: body[:-3]), 1, "audit trail check failed"),
    (lambda p: _rewrite(p, lambda body: body + [b'<urn:x> <urn:y> "z" .\n']), 1, "outside claimledger"),
    (lambda p: _rewrite(p, lambda body: body + [b"<urn:x> <urn:y> \n"]), 2, "does not parse as N-Quads"),
])
def test_a_damaged_backup_restores_nothing(desk, tmp_path, damage, code, message):
    path = tmp_path / "desk.nq"
    desk.ok("backup", str(path))
    damage(path)
    target = tmp_path / "copy"
    result = Cli(target)("restore", str(path), "--ledger", str(target))
    assert result.exit_code == code, result.output
    assert message in result.stderr and result.stderr.startswith(("Error: ", "Error: FILE"))
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]


def test_restore_refuses_a_ledger_in_the_way(desk, tmp_path):
    desk.ok("backup", str(tmp_path / "desk.nq"))
    result = Cli(desk.ledger_dir)("restore", str(tmp_path / "desk.nq"),
                                  "--ledger", str(desk.ledger_dir))
    assert result.exit_code == 2 and "is not empty" in result.stderr
    desk.ok("verify")
    assert Cli(tmp_path / "x")("restore", str(tmp_path / "none.nq"),
                               "--ledger", str(tmp_path / "x")).exit_code == 2


def test_copy_store_through_the_store_contract(desk):
    """The copy the remote store's push / pull use: every quad out of one store, bulk-loaded
    into another, verified to the same head hash."""
    with Ledger.open(desk.ledger_dir) as led:
        header = B.header_of(led)
        target = MemoryStore()
        n = B.copy_store(led.store, target)
        assert n == sum(1 for _ in led.store.quads())
        report = B.verify_copy(target, B.Header(header.base, header.events, header.head, n))
        assert (report.head, report.quads) == (header.head, n)
        with pytest.raises(IntegrityError, match="not 999"):
            B.verify_copy(target, B.Header(header.base, 999, header.head))
