"""The ledger directory's lock: many readers or one writer, never a traceback.

A writer takes an exclusive ``flock`` on ``<ledger>/claimledger.lock`` and writes its pid
into it; a reader takes a shared lock. RocksDB (under Oxigraph) also locks the store, but it
fails at once with an OS error and cannot tell a reader from a writer; this lock waits, up to
a timeout, and then names the process that holds it.
"""

from __future__ import annotations

import errno
import fcntl
import math
import os
import time
from collections.abc import Callable
from pathlib import Path

from claimledger.errors import InputError, LedgerBusy, LedgerError

LOCK_NAME = "claimledger.lock"
#: Seconds a command waits for the lock unless told otherwise (``--wait``,
#: ``CLAIMLEDGER_LOCK_TIMEOUT``).
DEFAULT_TIMEOUT = 30.0


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
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exclusive or not path.is_file():
            raise LedgerError(f"cannot lock the ledger: {path}: {exc.strerror}") from None
        try:  # a reader of a ledger it may not write to: a shared lock needs no write access
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc2:
            raise LedgerError(f"cannot lock the ledger: {path}: {exc2.strerror}") from None
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + max(timeout, 0.0)
    told = False
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, mode)
            break
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise LedgerError(f"cannot lock the ledger: {path}: {exc.strerror}") from None
        holder = _holder(path)
        if time.monotonic() >= deadline:
            os.close(fd)
            raise LedgerBusy(f"ledger busy ({holder}); waited {timeout:g} s for {directory}")
        if on_wait is not None and not told:
            on_wait(f"waiting for the ledger ({holder})…")
            told = True
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
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


def _holder(path: Path) -> str:
    try:
        text = path.read_text().strip()
    except OSError:
        text = ""
    if text.isdigit():
        return f"held by pid {text}"
    return "held by readers"
