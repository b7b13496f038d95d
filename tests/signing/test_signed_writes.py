"""Signed writes: every write of an agent with a key is signed (the signature beside cl:hash,
over it); --sign, the ledger's "signing required" setting and holding a key refuse unsigned
writes; verify says who signed what; the server key signs the web page's writes as itself;
key and signature triples never arrive by import."""

from __future__ import annotations

import json

from forgery import keydir  # noqa: F401  (a fixture)
from pyoxigraph import Literal, NamedNode

from claimledger import audit
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.signing import sign_as_server, server_signer
from claimledger.signing.events import message
from claimledger.signing.keyfiles import read_private_key
from claimledger.signing.keys import PublicKey
from conftest import BASE, snapshot

SOURCE = ("source", "add", "wsj", "--title", "WSJ report", "--reliability", "B")


def _key(run, *args, agent="tester") -> str:
    return json.loads(run.ok("key", "create", "--format", "json", *args, agent=agent).stdout)["key"]


def _verify(run, *args) -> dict:
    result = run("verify", "--format", "json", *args)
    data = json.loads(result.stdout)
    assert (result.exit_code == 0) == data["ok"], result.output
    return data


def test_a_write_is_signed_over_its_hash_and_verify_names_the_signer(run, keydir, ledger_dir):
    key = _key(run)
    written = json.loads(run.ok(*SOURCE, "--format", "json").stdout)
    with Ledger.open(ledger_dir) as led:
        ev = audit.event_iri(led.base, written["event"])
        graph = audit.audit_graph(led.base)
        sig = {t.predicate: t.object for t in led.store.triples(ev, None, None, graph)
               if t.predicate in V.SIGNATURE_PROPERTIES}
    assert sig[V.SIGNED_WITH] == NamedNode(f"{BASE}key/{key}")
    assert sig[V.SIGNATURE_ALGORITHM] == Literal("Ed25519")
    public = read_private_key(keydir / f"{key}.key").public
    import base64
    assert public.verify(base64.b64decode(sig[V.SIGNATURE].value),
                         message(NamedNode(BASE), ev, written["hash"]))
    data = _verify(run)
    signed = {e["sequence"]: e for e in data["signatures"]}
    assert signed[written["event"]]["key_id"] == key
    assert signed[written["event"]]["key_agent"] == "tester"
    assert signed[1]["key_id"] is None  # init: no key could sign it
    text = run.ok("verify").stdout
    assert f"key {key} of tester: events 3–4" in text and "unsigned: events 1–2" in text


def test_sign_without_a_key_refuses_the_write_and_writes_nothing(run, keydir, ledger_dir):
    before = snapshot(ledger_dir)
    result = run(*SOURCE, "--sign")
    assert result.exit_code == 2 and "must be signed" in result.output
    assert snapshot(ledger_dir) == before
    _key(run)
    run.ok(*SOURCE, "--sign")


def test_an_agent_who_holds_a_key_cannot_write_unsigned(run, keydir, ledger_dir):
    key = _key(run)
    (keydir / f"{key}.key").rename(keydir.parent / "elsewhere.key")
    before = snapshot(ledger_dir)
    result = run(*SOURCE)
    assert result.exit_code == 2 and f"holds key {key}" in result.output
    assert snapshot(ledger_dir) == before
    run.ok(*SOURCE, agent="someone-else")  # an agent without a key still writes unsigned


def test_a_ledger_that_requires_signing_refuses_unsigned_writes(run, keydir, ledger_dir):
    assert run("key", "require-signing").exit_code == 2  # the setting itself must be signed
    _key(run)
    run.ok("key", "require-signing", "--reason", "desk policy")
    before = snapshot(ledger_dir)
    result = run(*SOURCE, agent="intern")
    assert result.exit_code == 2 and "requires signed writes" in result.output
    assert snapshot(ledger_dir) == before
    assert run("key", "require-signing", "--off", agent="intern").exit_code == 2
    run.ok(*SOURCE)
    run.ok("key", "require-signing", "--off")
    run.ok(*SOURCE[:2], "ap", "--title", "AP", "--reliability", "B", agent="intern")
    assert _verify(run)["ok"]


def test_a_key_change_is_signed_by_the_previous_key(run, keydir, ledger_dir):
    old = _key(run)
    (keydir / f"{old}.key").rename(keydir.parent / "old.key")
    result = run("key", "create")
    assert result.exit_code == 2 and f"holds key {old}" in result.output
    (keydir.parent / "old.key").rename(keydir / f"{old}.key")
    made = json.loads(run.ok("key", "create", "--format", "json").stdout)
    assert made["replaces"] == [old]
    run.ok(*SOURCE)
    rows = {r["key"]: r for r in json.loads(run.ok("key", "list", "--format", "json").stdout)}
    assert rows[old]["revoked"] is not None and rows[made["key"]]["revoked"] is None
    data = _verify(run)
    by_seq = {e["sequence"]: e["key_id"] for e in data["signatures"]}
    assert by_seq[4] == old  # the key change: signed by the key it replaces
    assert by_seq[5] == made["key"]
    pinned = _verify(run, "--key", str(keydir / f"{old}.pub"))  # the old key vouches for the new
    assert pinned["ok"], pinned["problems"]


def test_a_revoked_key_signs_nothing_more(run, keydir, ledger_dir, monkeypatch):
    key = _key(run)
    run.ok("key", "revoke", key, "--reason", "laptop lost")
    monkeypatch.setenv("CLAIMLEDGER_KEY", str(keydir / f"{key}.key"))
    before = snapshot(ledger_dir)
    result = run(*SOURCE)
    assert result.exit_code == 2 and "revoked" in result.output
    assert snapshot(ledger_dir) == before
    monkeypatch.delenv("CLAIMLEDGER_KEY")
    run.ok(*SOURCE)  # no key held any more: writes go unsigned again
    assert _verify(run)["ok"]


def test_the_server_key_signs_web_writes_as_the_server_on_the_users_behalf(run, keydir,
                                                                           ledger_dir):
    server = _key(run, "--server", agent="desk-server")
    user = _key(run, agent="jdoe")
    with Ledger.open(ledger_dir, write=True, agent="asmith") as led:
        sign_as_server(led, server_signer(keydir / f"{server}.key"))
        led.sources.add("wsj", title="WSJ report", reliability="B")
    with Ledger.open(ledger_dir, write=True, agent="jdoe") as led:
        sign_as_server(led, server_signer(keydir / f"{server}.key"))
        led.sources.add("ap", title="AP", reliability="B")
    data = _verify(run)
    web = [e for e in data["signatures"] if e["command"] == "source add"]
    assert [(e["agent"], e["key_id"], e["key_agent"], e["server"]) for e in web] == [
        ("asmith", server, "desk-server", True), ("jdoe", server, "desk-server", True)]
    assert "server key" in run.ok("verify").stdout and "on behalf of asmith" in run.ok("verify").stdout
    # a user's own key is no server key: it cannot be made to sign for someone else
    with Ledger.open(ledger_dir, write=True, agent="asmith") as led:
        try:
            sign_as_server(led, server_signer(keydir / f"{user}.key"))
        except Exception as exc:
            assert "not a server key" in str(exc)
        else:
            raise AssertionError("a user's key was taken as the server's")


def test_key_and_signature_triples_never_arrive_by_import(run, keydir, ledger_dir, tmp_path):
    key = _key(run)
    public = read_private_key(keydir / f"{key}.key").public
    other = PublicKey.from_der(public.der)
    before = snapshot(ledger_dir)
    file = tmp_path / "keys.ttl"
    for body in (f'<{BASE}key/{"0" * 32}> <https://w3id.org/claimledger#keyOf> <{BASE}agent/x> .',
                 f'<{BASE}agent/x> <https://w3id.org/claimledger#publicKey> "{other.base64}" .',
                 f'<{BASE}event/3> <https://w3id.org/claimledger#signature> "AAAA" .',
                 f'<{BASE}> <https://w3id.org/claimledger#signingRequired> false .'):
        file.write_text(body + "\n")
        result = run("import", str(file))
        assert result.exit_code == 2 and "claimledger key" in result.output, (body, result.output)
        assert snapshot(ledger_dir) == before


def test_an_export_of_a_signed_ledger_imports_without_its_keys(run, keydir, ledger_dir, tmp_path):
    _key(run)
    run.ok(*SOURCE)
    out = tmp_path / "ledger.trig"
    run.ok("export", "--format", "trig", "-o", str(out))
    fresh = Ledger.create(tmp_path / "fresh", base="https://example.org/fresh/", agent="other")
    fresh.close()
    result = run("import", str(out), "--ledger", str(tmp_path / "fresh"), agent="other")
    assert result.exit_code == 0, result.output
    with Ledger.open(tmp_path / "fresh") as led:
        assert not list(led.store.triples(None, V.TYPE, V.PUBLIC_KEY))
        assert list(led.store.triples(None, V.TYPE, V.SOURCE))


def test_the_bulk_import_path_refuses_key_triples_and_signs_what_it_imports(run, keydir,
                                                                          ledger_dir, tmp_path):
    from claimledger.interchange.rdf import BULK_BYTES

    key = _key(run)
    lines = [f'<https://example.org/filler/{i}> <https://example.org/p> "filler line {i:07d} '
             f'of a large import" .' for i in range(BULK_BYTES // 60)]
    big = tmp_path / "big.nt"
    big.write_text("\n".join(lines + [f'<{BASE}key/{"0" * 32}> <{V.KEY_OF.value}> '
                                      f'<{BASE}agent/x> .']) + "\n")
    assert big.stat().st_size > BULK_BYTES
    before = snapshot(ledger_dir)
    result = run("import", str(big))
    assert result.exit_code == 2 and "claimledger key" in result.output
    assert snapshot(ledger_dir) == before
    big.write_text("\n".join(lines) + "\n")
    done = json.loads(run.ok("import", str(big), "--format", "json").stdout)
    signed = {e["sequence"]: e["key_id"] for e in _verify(run)["signatures"]}
    assert signed[done["event"]] == key
