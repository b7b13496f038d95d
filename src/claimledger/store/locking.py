"""The ledger directory's lock: many readers or one writer, never a traceback.

A writer takes an exclusive ``flock`` on ``<ledger>/claimledger.lock`` and writes its pid
into it; a reader takes a shared lock. RocksDB (under Oxigraph) also locks the store, but it
fails at once with an OS error and cannot tell a reader from a writer; this lock waits, up to
a timeout, and then names the process that holds it. Waiters line up on a second lock,
``<ledger>/claimledger.queue``, so that a process taking the ledger again and again (a
writer in a loop) cannot starve the others.
"""

from __future__ import annotations

import errno
import fcntl
import math
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from claimledger import fs
from claimledger.errors import InputError, LedgerBusy, LedgerError
from claimledger.settings import DEFAULT_TIMEOUT

LOCK_NAME = "claimledger.lock"
#: Processes waiting for the lock queue on this file's lock (see :func:`acquire`).
QUEUE_NAME = "claimledger.queue"


class LedgerLock:
    """A held lock on a ledger directory. Use :func:`acquire`; call :meth:`release` when done."""

    def __init__(self, fd: int, exclusive: bool) -> None:
        self._fd: int | None = fd
        self.exclusive = exclusive

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if self.exclusive:
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def acquire(directory: Path, *, exclusive: bool, timeout: float = DEFAULT_TIMEOUT,
            on_wait: Callable[[str], None] | None = None) -> LedgerLock:
    """Lock ``directory`` for writing (``exclusive``) or reading, waiting up to ``timeout`` s.

    :param on_wait: called once with a message if the lock is not free at first.
    :raises LedgerBusy: when the lock is still held after ``timeout`` seconds.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> lock = acquire(d, exclusive=True)
    >>> lock.release()
    """
    if math.isnan(timeout):
        raise InputError("NaN is not a number of seconds to wait", argument="--wait")
    path = directory / LOCK_NAME
    try:  # never through a link, a FIFO or a hard link planted there (claimledger.fs)
        fd = fs.open_plain(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exclusive or not path.is_file():
            raise LedgerError(f"cannot lock the ledger: {path}: {exc.strerror}") from None
        try:  # a reader of a ledger it may not write to: a shared lock needs no write access
            fd = fs.open_plain(path, os.O_RDONLY)
        except OSError as exc2:
            raise LedgerError(f"cannot lock the ledger: {path}: {exc2.strerror}") from None
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    # Waiters queue first: whoever holds the queue lock is next, so a process that releases
    # the ledger and at once asks again (a writer in a loop) cannot overtake those waiting.
    try:
        queue = _open_queue(directory)
    except BaseException:
        os.close(fd)
        raise
    queued = queue is None
    deadline = time.monotonic() + max(timeout, 0.0)
    told = False
    try:
        while True:
            if not queued:
                queued = _try_lock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB, directory / QUEUE_NAME)
            if queued and _try_lock(fd, mode, path):
                break
            holder = _holder(fd)
            if time.monotonic() >= deadline:
                raise LedgerBusy(f"ledger busy ({holder}); waited {timeout:g} s for {directory}")
            if on_wait is not None and not told:
                on_wait(f"waiting for the ledger ({holder})…")
                told = True
            # Short, jittered polls: every waiter gets its chance when the lock comes free.
            time.sleep(random.uniform(0.001, 0.002) if queued else random.uniform(0.001, 0.005))
    except BaseException:
        os.close(fd)
        raise
    finally:
        if queue is not None:
            os.close(queue)  # leaves the queue
    if exclusive:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    elif os.fstat(fd).st_size:
        # A writer killed while it held the lock left its pid here; no writer holds it now,
        # and a writer that waits for us must not name that dead process.
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
    return LedgerLock(fd, exclusive)


def _open_queue(directory: Path) -> int | None:
    try:
        return fs.open_plain(directory / QUEUE_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        try:  # a reader of a ledger it may not write to
            return fs.open_plain(directory / QUEUE_NAME, os.O_RDONLY)
        except OSError:
            return None  # no queue: waiters just poll the lock


def _try_lock(fd: int, mode: int, path: Path) -> bool:
    try:
        fcntl.flock(fd, mode)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise LedgerError(f"cannot lock the ledger: {path}: {exc.strerror}") from None


def _holder(fd: int) -> str:
    try:  # the lock file we hold open, never a path opened again
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    if text.isdigit():
        return f"held by pid {text}"
    return "held by readers"
