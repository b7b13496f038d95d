"""Files claimledger creates or writes, opened without following links.

Someone who can write into a ledger's directory (or next to an export's output) could plant a
symbolic link where claimledger is about to write — ``claimledger.lock`` pointing at a file of
yours, say — and have claimledger truncate or overwrite whatever it points to. So every file
claimledger creates or opens for writing there goes through this module:

* :func:`open_plain` opens an existing or new file with ``O_NOFOLLOW`` (and without blocking
  on a FIFO) and insists on a plain file with a single link;
* :func:`replace_atomically` writes a new version of a file through a temporary file created
  exclusively (``O_EXCL``, a random name) in the same directory, then renames it over the
  target — which must not be a link;
* :func:`make_directory`, :func:`check_directory` and :func:`check_no_links` refuse a link
  where a directory of the ledger should be.

A planted link is a clear error (exit 2) naming the path; nothing it points to is touched.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from claimledger.errors import InputError, LedgerError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _error(message: str, argument: str | None) -> InputError | LedgerError:
    return InputError(message, argument=argument) if argument else LedgerError(message)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a plain file"


def open_plain(path: str | os.PathLike[str], flags: int, mode: int = 0o644, *,
               argument: str | None = None) -> int:
    """``os.open`` that never follows a symbolic link and only opens a plain file that has
    one name (a hard link to another file is refused as well). Returns the descriptor.

    :param argument: the option the path came from (an InputError then), or None for a file
        of the ledger directory (a LedgerError).
    :raises InputError, LedgerError: for a link, a FIFO, a device, a directory, a hard link.
    :raises OSError: for any other failure (permissions, a missing directory…).
    """
    path = Path(path)
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC | _NONBLOCK, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno in (errno.EEXIST, errno.ENXIO)
                                         and path.is_symlink()):
            raise _error(f"{path} is a symbolic link; claimledger never writes through a link "
                         "(remove it)", argument) from None
        if exc.errno == errno.ENXIO:  # a FIFO without a reader, opened for writing
            raise _error(f"{path} is not a plain file (a FIFO); remove it", argument) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        what = _kind(info.st_mode) if not stat.S_ISREG(info.st_mode) else (
            f"a hard link shared with {info.st_nlink - 1} other name(s)")
        raise _error(f"{path} is not a plain file ({what}); claimledger never writes to it "
                     "(remove it)", argument)
    return fd


def read_plain(path: str | os.PathLike[str], limit: int, *, argument: str | None = None
               ) -> bytes:
    """At most ``limit`` bytes of a plain file, opened as :func:`open_plain` does."""
    fd = open_plain(path, os.O_RDONLY, argument=argument)
    try:
        return os.read(fd, limit)
    finally:
        os.close(fd)


def check_directory(path: str | os.PathLike[str], *, argument: str | None = None) -> bool:
    """True if ``path`` is a real directory, False if nothing is there.

    :raises InputError, LedgerError: for a symbolic link or anything else that is there.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(info.st_mode):
        return True
    raise _error(f"{path} is {_kind(info.st_mode)}, not a directory; claimledger never "
                 "follows links in the ledger directory", argument)


def check_no_links(directory: str | os.PathLike[str]) -> None:
    """Refuse a directory (a store) that holds a symbolic link or a non-plain entry.

    :raises LedgerError: naming the first such entry.
    """
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_symlink() or not (entry.is_file(follow_symlinks=False)
                                          or entry.is_dir(follow_symlinks=False)):
                kind = "a symbolic link" if entry.is_symlink() else "not a plain file"
                raise LedgerError(f"{entry.path} is {kind}; claimledger never opens a store "
                                  "that holds one (remove it)")


def make_directory(path: str | os.PathLike[str], *, argument: str | None = None) -> None:
    """Create ``path`` (and its parents) if missing; it must end up a real directory.

    :raises InputError, LedgerError: for a dangling or other symbolic link, a file in the
        way, or a path that cannot be created.
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise _error(f"{path} is a symbolic link to nothing; give the directory itself",
                     argument)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _error(f"{path} is not a directory (a file is in the way)", argument) from None
    except OSError as exc:
        raise _error(f"cannot create {path}: {exc.strerror or exc}", argument) from None
    if not path.is_dir():
        raise _error(f"{path} is not a directory", argument)


@contextmanager
def replace_atomically(path: str | os.PathLike[str], *, argument: str | None = None
                       ) -> Iterator[BinaryIO]:
    """Write a new version of ``path``: yields a binary file, a temporary created exclusively
    (a random name, ``O_EXCL | O_NOFOLLOW``) in the same directory, synced and renamed over
    ``path`` when the block ends; removed if the block raises. ``path`` must be a plain file
    or missing — a link there is refused, never followed or replaced.

    :raises InputError, LedgerError: for a link (or another kind of file) at ``path``.
    :raises OSError: when the directory cannot be written.
    """
    target = Path(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _error(f"{target} is {_kind(info.st_mode)}; claimledger never writes through "
                     "or over one (remove it, or give another path)", argument)
    fd, tmp = _create_exclusive(target.parent, f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    sync_directory(target.parent)


def _create_exclusive(directory: Path, prefix: str) -> tuple[int, Path]:
    for _ in range(100):
        candidate = directory / f"{prefix}{os.urandom(8).hex()}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC,
                           0o644), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(directory))


def sync_directory(directory: str | os.PathLike[str]) -> None:
    """Make a rename in ``directory`` durable (fsync the directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
