"""Keys: made by ``key create``, the private key in an owner-only file outside the ledger,
never in it and never printed; key files opened without following links; ``key list``."""

from __future__ import annotations

import base64
import io
import json
import os
import stat

import pytest
from forgery import keydir  # noqa: F401  (a fixture)

from claimledger.errors import InputError
from claimledger.interchange import export
from claimledger.ledger import Ledger
from claimledger.signing import generate, read_private_key, read_public_keys
from claimledger.signing.keyfiles import write_key_pair


def _create(run, *args, agent="tester") -> dict:
    return json.loads(run.ok("key", "create", "--format", "json", *args, agent=agent).stdout)


def test_key_create_keeps_the_private_key_owner_only_outside_the_ledger(run, keydir, ledger_dir):
    made = _create(run)
    private, public = keydir / f"{made['key']}.key", keydir / f"{made['key']}.pub"
    assert made["private_key_file"] == str(private) and made["public_key_file"] == str(public)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(keydir.stat().st_mode) == 0o700
    assert not str(private.resolve()).startswith(str(ledger_dir.resolve()))
    signer = read_private_key(private)
    assert signer.key_id == made["key"] and signer.algorithm == "Ed25519"
    assert read_public_keys(public) == [signer.public]
    assert made["public_key"] == signer.public.base64


def test_the_private_key_is_never_printed_nor_in_the_ledger(run, keydir, ledger_dir):
    result = run.ok("key", "create")
    key_id = next(p.stem for p in keydir.glob("*.key"))
    pem = (keydir / f"{key_id}.key").read_text()
    body = "".join(pem.strip().splitlines()[1:-1])
    der = base64.b64decode(body)
    seed = der[-32:]  # PKCS #8 Ed25519: the 32-byte private key ends the DER
    printed = result.stdout + result.stderr
    assert "PRIVATE" not in printed and body not in printed and body[:24] not in printed
    with Ledger.open(ledger_dir) as led:
        buf = io.BytesIO()
        export(led, buf, fmt="nquads")
    dump = buf.getvalue()
    for secret in (body.encode(), seed, base64.b64encode(seed), seed.hex().encode()):
        assert secret not in dump
    assert key_id.encode() in dump  # the public key is recorded, by its id


def test_key_list_shows_whose_key_since_when_and_whether_its_private_key_is_here(run, keydir):
    key = _create(run)["key"]
    rows = json.loads(run.ok("key", "list", "--format", "json").stdout)
    assert [(r["key"], r["agent"], r["algorithm"], r["revoked"], r["private_key_here"])
            for r in rows] == [(key, "tester", "Ed25519", None, True)]
    assert rows[0]["added"].startswith("20")
    text = run.ok("key", "list").stdout
    assert key in text and "tester" in text
    (keydir / f"{key}.key").unlink()
    assert json.loads(run.ok("key", "list", "--format", "json").stdout)[0]["private_key_here"] is False


def test_a_key_directory_inside_the_ledger_is_refused_and_nothing_is_written(run, ledger_dir,
                                                                            monkeypatch):
    from conftest import snapshot

    before = snapshot(ledger_dir)
    monkeypatch.setenv("CLAIMLEDGER_KEY_DIR", str(ledger_dir / "keys"))
    monkeypatch.delenv("CLAIMLEDGER_KEY", raising=False)
    result = run("key", "create")
    assert result.exit_code == 2 and "inside the ledger" in result.output
    assert not (ledger_dir / "keys").exists()
    assert snapshot(ledger_dir) == before


def test_a_key_file_that_is_a_link_is_refused(run, keydir, tmp_path, monkeypatch, ledger_dir):
    from conftest import snapshot

    key = _create(run)["key"]
    link = tmp_path / "link.key"
    link.symlink_to(keydir / f"{key}.key")
    with pytest.raises(InputError, match="symbolic link"):
        read_private_key(link)
    before = snapshot(ledger_dir)
    monkeypatch.setenv("CLAIMLEDGER_KEY", str(link))
    result = run("source", "add", "s1", "--title", "A source", "--reliability", "B")
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert snapshot(ledger_dir) == before


def test_a_private_key_others_can_read_is_refused(keydir):
    private, _ = write_key_pair(generate(), keydir)
    os.chmod(private, 0o640)
    with pytest.raises(InputError, match="chmod 600"):
        read_private_key(private)


def test_writing_a_key_never_follows_or_overwrites_what_is_there(tmp_path):
    signer = generate()
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    target = tmp_path / "elsewhere"
    target.write_text("untouched")
    (folder / f"{signer.key_id}.key").symlink_to(target)
    with pytest.raises(InputError, match="already exists"):
        write_key_pair(signer, folder)
    assert target.read_text() == "untouched"
    linked = tmp_path / "linked-keys"
    linked.symlink_to(folder)
    with pytest.raises(InputError, match="not a directory"):
        write_key_pair(generate(), linked)


def test_public_key_files_take_pem_blocks_and_base64_lines(tmp_path):
    a, b = generate(), generate("RSA")
    file = tmp_path / "known"
    file.write_text(f"# trusted\n{a.public.pem()}\n{b.public.base64} the desk's RSA key\n")
    assert read_public_keys(file) == [a.public, b.public]
    (tmp_path / "private").write_bytes(a.private_pem())
    with pytest.raises(InputError, match="private key"):
        read_public_keys(tmp_path / "private")
    (tmp_path / "junk").write_text("not-a-key\n")
    with pytest.raises(InputError, match="not base64|not a valid"):
        read_public_keys(tmp_path / "junk")


def test_key_add_records_an_existing_private_key_which_then_signs(run, keydir, tmp_path,
                                                                  monkeypatch):
    private, _ = write_key_pair(generate(), tmp_path / "elsewhere")
    added = json.loads(run.ok("key", "add", str(private), "--format", "json").stdout)
    assert added["private_key_file"] is None  # nothing written: the key was there already
    monkeypatch.setenv("CLAIMLEDGER_KEY", str(private))
    done = json.loads(run.ok("source", "add", "s1", "--title", "A source", "--reliability", "B",
                             "--format", "json").stdout)
    signed = {e["sequence"]: e["key_id"] for e in
              json.loads(run.ok("verify", "--format", "json").stdout)["signatures"]}
    assert signed[done["event"]] == added["key"] == read_private_key(private).key_id
    again = run("key", "add", str(private))
    assert again.exit_code == 2 and "already recorded" in again.output
