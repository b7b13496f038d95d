"""The embedded store: a ledger kept in an on-disk Oxigraph (RocksDB) store in its directory."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import Store as _OxStore

from claimledger import fs
from claimledger.errors import LedgerChanged, LedgerError
from claimledger.settings import DEFAULT_TIMEOUT
from claimledger.store import locking
from claimledger.store.base import Condition
from claimledger.store.oxigraph import OxigraphStore


POINTER = "CURRENT"


def _rmtree(path: Path) -> None:
    """Remove a store copy's directory tree, whatever is in it. shutil loads when one is
    removed (with bz2, lzma…: a few milliseconds that a write, which removes none, spares)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)


#: RocksDB information logs of earlier openings kept in a store directory (see
#: :meth:`EmbeddedStore._prune_info_logs`).
KEPT_INFO_LOGS = 3


class EmbeddedStore(OxigraphStore):
    """A ledger kept in an Oxigraph store inside the ledger directory, locked while open.

    Writers hold an exclusive lock and open the store read-write; readers hold a shared lock
    and open it read-only, so any number of readers can run together and never beside a
    writer (Oxigraph does not allow reading a store another process is writing).

    The store lives in ``<ledger>/store`` or, after a big write, in the directory the file
    ``<ledger>/CURRENT`` names: a big write (a bulk import) is built in a private copy made
    with :meth:`staging` and made current by :meth:`swap`, which replaces ``CURRENT``
    atomically — so it fully happens or not at all, however large.

    :param directory: the ledger directory.
    :param write: open for writing.
    :param create: create the directory and an empty store if missing.
    :param timeout: seconds to wait for the lock.
    :raises LedgerError: if the directory holds no store (and ``create`` is false).
    :raises LedgerBusy: if the lock is not free within ``timeout``.
    """

    capabilities = OxigraphStore.capabilities | {"staging"}

    def __init__(self, directory: str | os.PathLike[str], *, write: bool, create: bool = False,
                 timeout: float = DEFAULT_TIMEOUT, on_wait=None) -> None:
        self.directory = Path(directory)
        if create:
            fs.make_directory(self.directory, argument="--ledger")
        elif not (self.directory / POINTER).is_file() and not (self.directory / "store").is_dir():
            raise LedgerError(
                f"no ledger at {self.directory} (create one with: claimledger init, "
                "or choose another with --ledger / CLAIMLEDGER_LEDGER)"
            )
        self._lock = locking.acquire(self.directory, exclusive=write, timeout=timeout, on_wait=on_wait)
        try:
            self.store_dir = self._current()
            if fs.check_directory(self.store_dir):  # a real directory, holding no link
                fs.check_no_links(self.store_dir)
            if write:
                self._sweep()
                ox = _OxStore(str(self.store_dir))
                self._prune_info_logs()
            else:
                ox = _OxStore.read_only(str(self.store_dir))
        except OSError as exc:
            self._lock.release()
            raise LedgerError(f"cannot open the ledger store in {self.directory}: {exc}") from None
        except BaseException:
            self._lock.release()
            raise
        super().__init__(ox, writable=write)

    def _current(self) -> Path:
        pointer = self.directory / POINTER
        if pointer.is_file() or pointer.is_symlink():
            name = fs.read_plain(pointer, 256).decode("utf-8", "replace").strip()
            if not name or "/" in name or name.startswith("."):
                raise LedgerError(f"{pointer} is corrupt ({name!r})")
            return self.directory / name
        return self.directory / "store"

    def _sweep(self) -> None:
        """Remove store copies a crashed big write left behind (writers only)."""
        for path in self.directory.glob("store-*"):
            if path.is_dir() and not path.is_symlink() and path != self.store_dir:
                _rmtree(path)
        store = self.directory / "store"
        if self.store_dir.name != "store" and store.is_dir() and not store.is_symlink():
            _rmtree(self.directory / "store")

    def _prune_info_logs(self) -> None:
        """Remove RocksDB's informational logs of earlier openings but the newest
        :data:`KEPT_INFO_LOGS` (writers only). RocksDB starts a new ``LOG`` each time a
        process opens the store for writing and keeps the old one as ``LOG.old.<microseconds>``,
        up to a thousand of them: about 140 KB for every CLI write, which the data never
        needs. Only plain files named so are removed (their names parsed, never a link)."""
        old = []
        with os.scandir(self.store_dir) as entries:
            for entry in entries:
                stamp = entry.name[len("LOG.old."):]
                if (entry.name.startswith("LOG.old.") and stamp.isdigit() and stamp.isascii()
                        and entry.is_file(follow_symlinks=False)):
                    old.append((int(stamp), entry.path))
        for _stamp, path in sorted(old)[:-KEPT_INFO_LOGS]:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    @contextmanager
    def staging(self) -> Iterator[OxigraphStore]:
        """A private, writable copy of the store to build a big write in.

        The copy shares RocksDB's immutable files with the live store (hard links), so making
        it is cheap. Leaving the block by an exception discards it; call :meth:`swap` inside
        the block to make it the ledger's store.
        """
        self._require_write()
        target = self.directory / f"store-{uuid.uuid4().hex[:12]}"
        self._store.flush()
        self._store.backup(str(target))
        staged = OxigraphStore(_OxStore(str(target)), writable=True)
        staged.path = target
        try:
            yield staged
        except BaseException:
            staged.close()
            _rmtree(target)
            raise
        staged.close()

    @contextmanager
    def scratch(self) -> Iterator[OxigraphStore]:
        """An empty, private store in the ledger directory — to read a big file into before
        any of it is admitted — removed when the block ends (swept after a crash)."""
        self._require_write()
        target = self.directory / f"store-scratch-{uuid.uuid4().hex[:12]}"
        target.mkdir()  # a new directory, never an existing path or link
        scratch = OxigraphStore(_OxStore(str(target)), writable=True)
        try:
            yield scratch
        finally:
            scratch.close()
            _rmtree(target)

    def swap(self, staged: OxigraphStore, *, condition: Condition | None = None) -> None:
        """Make a staging copy the ledger's store, atomically — only while ``condition``
        still holds in the live store (the audit head the big write started from).

        :raises LedgerChanged: if it no longer does; the copy is then discarded.
        """
        with self._apply_lock:
            if condition is not None and not self.ask(f"ASK {{ {condition.where()} }}"):
                raise LedgerChanged()
            self._swap(staged)

    def _swap(self, staged: OxigraphStore) -> None:
        staged._store.flush()
        staged.close()
        old = self.store_dir
        with fs.replace_atomically(self.directory / POINTER) as fh:  # an exclusive temporary
            fh.write((staged.path.name + "\n").encode())
        super().close()
        self.store_dir = staged.path
        self._store = _OxStore(str(self.store_dir))
        _rmtree(old)

    def close(self) -> None:
        super().close()
        self._lock.release()
