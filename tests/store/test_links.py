"""Files in the ledger directory are opened without following links: a planted symbolic link
(or hard link, or FIFO) is a clear error, exit 2, and nothing outside the ledger is touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimledger.interchange import rdf as interchange
from conftest import Cli

SECRET = "a file outside the ledger\n"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file outside the ledger that nothing may change."""
    path = tmp_path / "outside.txt"
    path.write_text(SECRET)
    return path


def _untouched(path: Path, stat: os.stat_result) -> None:
    assert path.read_text() == SECRET
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@pytest.mark.parametrize("name", ["claimledger.lock", "claimledger.queue"])
@pytest.mark.parametrize("args", [["claim", "list"], ["source", "add", "s", "--title", "T"]])
def test_a_symlink_at_the_lock_files_is_refused(run, ledger_dir, outside, name, args):
    (ledger_dir / name).unlink(missing_ok=True)
    (ledger_dir / name).symlink_to(outside)
    stat = outside.stat()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "link" in result.stderr
    _untouched(outside, stat)


def test_a_hard_link_or_a_fifo_at_the_lock_is_refused(run, ledger_dir, outside):
    lock = ledger_dir / "claimledger.lock"
    lock.unlink(missing_ok=True)
    os.link(outside, lock)
    stat = outside.stat()
    result = run("source", "add", "s", "--title", "T")
    assert result.exit_code == 2 and "not a plain file" in result.stderr, result.output
    assert outside.read_text() == SECRET and outside.stat().st_mtime_ns == stat.st_mtime_ns
    lock.unlink()
    os.mkfifo(lock)
    result = run("claim", "list")  # must not hang on the FIFO
    assert result.exit_code == 2 and "not a plain file" in result.stderr, result.output


def test_a_symlink_for_the_store_or_inside_it_is_refused(run, ledger_dir, tmp_path, outside):
    store = ledger_dir / "store"
    log = next(p for p in store.iterdir() if p.name.startswith("LOG"))
    log.unlink()
    log.symlink_to(outside)
    stat = outside.stat()
    result = run("source", "add", "s", "--title", "T")
    assert result.exit_code == 2 and "link" in result.stderr, result.output
    _untouched(outside, stat)
    log.unlink()
    moved = tmp_path / "elsewhere"
    store.rename(moved)
    store.symlink_to(moved)
    result = run("claim", "list")
    assert result.exit_code == 2 and "link" in result.stderr, result.output


def test_a_symlink_at_the_pointer_is_refused(run, ledger_dir, outside, monkeypatch, tmp_path):
    (ledger_dir / "CURRENT").symlink_to(outside)
    stat = outside.stat()
    result = run("claim", "list")
    assert result.exit_code == 2 and "link" in result.stderr, result.output
    _untouched(outside, stat)


def test_a_planted_pointer_temporary_is_never_written_through(run, ledger_dir, outside, tmp_path,
                                                              monkeypatch):
    """The bulk path switches CURRENT through a temporary file made exclusively."""
    monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    for name in ("CURRENT.tmp", "CURRENT.part"):
        (ledger_dir / name).symlink_to(outside)
    stat = outside.stat()
    data = tmp_path / "one.nt"
    data.write_text("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n")
    run.ok("import", str(data))
    _untouched(outside, stat)
    run.ok("verify")


def test_stray_symlinks_named_like_store_copies_are_not_followed(run, ledger_dir, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text(SECRET)
    (ledger_dir / "store-planted").symlink_to(victim)
    run.ok("source", "add", "s", "--title", "T")  # a writer sweeps crashed store copies
    assert (victim / "keep.txt").read_text() == SECRET


@pytest.mark.parametrize("planted", ["OUT.trig.part", ".OUT.trig.tmp", "OUT.trig.tmp"])
def test_export_never_writes_through_a_planted_temporary(run, tmp_path, outside, planted):
    out = tmp_path / "OUT.trig"
    (tmp_path / planted).symlink_to(outside)
    stat = outside.stat()
    run.ok("export", "-o", str(out))
    _untouched(outside, stat)
    assert out.read_text().startswith(("@prefix", "PREFIX", "<"))
    assert not out.is_symlink()


def test_export_over_a_symlink_is_refused(run, tmp_path, outside):
    out = tmp_path / "out.trig"
    out.symlink_to(outside)
    stat = outside.stat()
    result = run("export", "-o", str(out))
    assert result.exit_code == 2 and "link" in result.stderr, result.output
    _untouched(outside, stat)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.trig")]


def test_init_on_a_dangling_symlink_or_under_a_file(tmp_path):
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, words in ((dangling, "symbolic link"), (blocker / "ledger", "not a directory"),
                          (blocker, "not a directory")):
        result = Cli(target)("init")
        assert result.exit_code == 2, (target, result.output)
        assert result.stderr.startswith("Error: ") and words in result.stderr, result.stderr
    assert not (tmp_path / "nowhere").exists()
    assert blocker.read_text() == "x"
