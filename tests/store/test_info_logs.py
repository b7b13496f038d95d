"""RocksDB keeps the information log of every earlier opening for writing (``LOG.old.*``, about
140 KB for each CLI write, up to a thousand): a writer keeps the newest few and removes the
rest, and nothing else in the store directory."""

from __future__ import annotations

from claimledger.ledger import Ledger
from claimledger.store.embedded import KEPT_INFO_LOGS, EmbeddedStore


def _logs(store_dir) -> list[str]:
    return sorted(p.name for p in store_dir.iterdir() if p.name.startswith("LOG.old."))


def test_a_writer_keeps_only_the_newest_information_logs(tmp_path):
    ledger = tmp_path / "ledger"
    Ledger.create(ledger, agent="a").close()
    counts = []
    for k in range(KEPT_INFO_LOGS + 4):
        with Ledger.open(ledger, write=True, agent="a") as led:
            led.sources.add(f"s{k}", title=f"Source {k}")
            store_dir = led.store.store_dir
        counts.append(len(_logs(store_dir)))
    assert max(counts) <= KEPT_INFO_LOGS
    assert counts[-1] == KEPT_INFO_LOGS  # RocksDB made one per opening: they were there to prune
    with Ledger.open(ledger) as led:  # the data is all there
        assert [s.slug for s in led.sources.list()] == [f"s{k}" for k in range(KEPT_INFO_LOGS + 4)]


def test_only_plain_files_named_as_rocksdb_names_them_are_removed(tmp_path):
    ledger = tmp_path / "ledger"
    Ledger.create(ledger, agent="a").close()
    store = EmbeddedStore(ledger, write=True)
    store_dir = store.store_dir
    store.close()
    keep = [store_dir / "LOG.old.notanumber", store_dir / "LOG.old.12x", store_dir / "LOG.older"]
    for path in keep:
        path.write_text("a user's file\n")
    (store_dir / "LOG.old.5").mkdir()  # a directory, however named, is left alone
    for path in (store_dir / f"LOG.old.{n}" for n in (1, 2, 3, 4)):
        path.write_text("old\n")
    EmbeddedStore(ledger, write=True).close()
    assert all(path.read_text() == "a user's file\n" for path in keep)
    assert (store_dir / "LOG.old.5").is_dir()
    numbered = [n for n in _logs(store_dir) if n[len("LOG.old."):].isdigit()
                and (store_dir / n).is_file()]
    assert len(numbered) == KEPT_INFO_LOGS
    assert "LOG.old.1" not in numbered and "LOG.old.2" not in numbered  # the oldest went first
