"""Whole-ledger copies: backup, restore and store-to-store copy, verified on the other side.

A copy keeps *everything* a ledger holds — its state, its audit trail, its prefixes and base
(on the ledger's own node), its policies, its verdict scales and cases — because it copies
every quad of the store, through the store contract only (:meth:`Store.quads` out,
:meth:`Store.bulk_add` into a fresh store). It is then verified like the original: the audit
chain is recomputed and replayed (:func:`claimledger.audit.verify`) and must end at the same
head hash, with the same number of quads. Merging another ledger's claims into this one is
something else: the audited ``import`` (:mod:`claimledger.interchange.rdf`).

A backup file is N-Quads (any RDF tool reads it) between a header and a trailer of comment
lines::

    # claimledger backup 1
    # base <https://example.org/desk/>
    # events 20
    # head 3f5c…
    <s> <p> <o> .
    <s> <p> <o> <g> .
    # end 1234 quads sha256 9ab1…

The trailer's count and SHA-256 (of the quad lines) show a truncated or altered file before
anything is restored.

Library API (the remote store's push / pull reuses it):

* :func:`copy_store` — every quad of one store into another (empty) store;
* :func:`verify_copy` — check a store against a :class:`Header` (head hash, events, quads);
* :func:`write_backup` / :func:`backup` — a ledger to a stream / a file;
* :func:`restore` — a backup file into a new ledger directory, verified, all or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from pyoxigraph import Quad

from claimledger import audit, settings
from claimledger.core.ledger import LedgerCore
from claimledger.errors import InputError, IntegrityError, LedgerError
from claimledger.store.base import Store
from claimledger.store.embedded import EmbeddedStore

MAGIC = "# claimledger backup 1"
#: Quads handed to the target store at a time.
BATCH = 50_000
_HEADER_RE = {
    "base": re.compile(r"^# base <([^<>\s]+)>$"),
    "events": re.compile(r"^# events (\d+)$"),
    "head": re.compile(r"^# head ([0-9a-f]{64})$"),
}
_TRAILER_RE = re.compile(r"^# end (\d+) quads sha256 ([0-9a-f]{64})$")


@dataclass(frozen=True)
class Header:
    """What a copy must match: the ledger's base, its number of events and head hash, and
    (once known) the number of quads."""

    base: str
    events: int
    head: str
    quads: int | None = None


@dataclass(frozen=True)
class CopyReport:
    """What a verified copy holds."""

    base: str
    events: int
    head: str
    quads: int


def header_of(ledger: LedgerCore) -> Header:
    """The header of ``ledger`` as it is now."""
    head = audit.head(ledger.store, ledger.base)
    return Header(ledger.base, head.sequence, head.hash)


def copy_store(source: Store, target: Store, *, batch: int = BATCH) -> int:
    """Copy every quad of ``source`` into ``target`` with its bulk load; return how many.

    ``target`` should be empty: the copy adds, it never removes. Not atomic: make ``target``
    a fresh store and discard it if anything fails (as :func:`restore` does).
    """
    return _bulk(source.quads(), target, batch)


def verify_copy(store: Store, header: Header) -> CopyReport:
    """Check that ``store`` holds the ledger ``header`` describes: its audit trail intact and
    replaying to its state, ending at the same head hash after as many events, and (when the
    header knows it) as many quads.

    :raises IntegrityError: naming every difference.
    """
    report = audit.verify(store, header.base)
    problems = list(report.problems)
    if report.head_hash != header.head:
        problems.append(f"the copy's head hash is {report.head_hash}, not {header.head}")
    if report.events != header.events:
        problems.append(f"the copy has {report.events} events, not {header.events}")
    count = sum(1 for _ in store.quads())
    if header.quads is not None and count != header.quads:
        problems.append(f"the copy holds {count} quads, not {header.quads}")
    if problems:
        raise IntegrityError(problems)
    return CopyReport(header.base, report.events, report.head_hash, count)


def write_backup(ledger: LedgerCore, output: IO[bytes]) -> CopyReport:
    """Write the whole of ``ledger`` to ``output`` as a backup file (see the module doc)."""
    header = header_of(ledger)
    output.write(f"{MAGIC}\n# base <{header.base}>\n# events {header.events}\n"
                 f"# head {header.head}\n".encode("ascii"))
    digest = hashlib.sha256()
    count = 0
    chunk: list[Quad] = []

    def flush() -> None:
        data = ox.serialize(chunk, format=ox.RdfFormat.N_QUADS)
        digest.update(data)
        output.write(data)
        chunk.clear()

    for quad in ledger.store.quads():
        chunk.append(quad)
        count += 1
        if len(chunk) >= BATCH:
            flush()
    if chunk:
        flush()
    output.write(f"# end {count} quads sha256 {digest.hexdigest()}\n".encode("ascii"))
    return CopyReport(header.base, header.events, header.head, count)


def backup(ledger: LedgerCore, path: str | os.PathLike[str]) -> CopyReport:
    """Write ``ledger`` to the backup file ``path`` (written beside it, then renamed: a crash
    never leaves half a backup under that name).

    :raises InputError: if the file cannot be written.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "wb") as fh:
            report = write_backup(ledger, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {str(target)!r}: {exc.strerror or exc}",
                         argument="FILE") from None
    return report


def read_header(path: str | os.PathLike[str]) -> Header:
    """The header and trailer of backup file ``path``, after checking its quad lines against
    the trailer's count and SHA-256.

    :raises InputError: if it is not a claimledger backup, or is truncated or altered.
    """
    name = str(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {name!r}: {exc.strerror or exc}", argument="FILE") from None
    with fh:
        first = fh.readline(200).decode("ascii", "replace").rstrip("\n")
        if first != MAGIC:
            raise InputError(f"{name!r} is not a claimledger backup (it does not start with "
                             f"{MAGIC!r}; to merge RDF into a ledger, use import)", argument="FILE")
        values: dict[str, str] = {}
        for key in ("base", "events", "head"):
            line = fh.readline(4200).decode("utf-8", "replace").rstrip("\n")
            m = _HEADER_RE[key].match(line)
            if not m:
                raise InputError(f"{name!r}: its header lacks the {key} line", argument="FILE")
            values[key] = m.group(1)
        digest = hashlib.sha256()
        lines = 0
        last = b""
        for line in fh:
            if line.startswith(b"# end "):
                last = line
                break
            digest.update(line)
            lines += 1
        trailing = fh.read(1)
    m = _TRAILER_RE.match(last.decode("ascii", "replace").rstrip("\n"))
    if not m or trailing:
        raise InputError(f"{name!r} is truncated or altered: it does not end with its "
                         "'# end N quads sha256 …' line", argument="FILE")
    if int(m.group(1)) != lines or m.group(2) != digest.hexdigest():
        raise InputError(f"{name!r} was altered or damaged: its quads do not match the count "
                         "and SHA-256 of its last line", argument="FILE")
    return Header(values["base"], int(values["events"]), values["head"], int(m.group(1)))


def restore(path: str | os.PathLike[str], directory: str | os.PathLike[str] | None, *,
            timeout: float | None = None) -> CopyReport:
    """Restore backup file ``path`` as a new ledger in ``directory``, verified, all or nothing.

    The store is built beside the target and moved into place only once it verifies: a bad
    file, a crash or a failed check leaves no ledger behind.

    :raises InputError: for a file that is not a whole, unaltered backup.
    :raises LedgerError: if ``directory`` is not empty.
    :raises IntegrityError: if the restored ledger does not verify to the backup's head hash.
    """
    header = read_header(path)
    target = new_ledger_directory(directory, "restore")

    def fill(store: EmbeddedStore) -> CopyReport:
        with open(path, "rb") as fh:
            try:
                _bulk(ox.parse(fh, format=ox.RdfFormat.N_QUADS), store, BATCH)
            except SyntaxError as exc:
                raise InputError(f"{str(path)!r} does not parse as N-Quads: {exc}",
                                 argument="FILE") from None
        LedgerCore(store)  # the ledger's own node is there, in a format this version reads
        return verify_copy(store, header)

    return build_in_place(target, "restoring", fill, timeout=timeout)


def new_ledger_directory(directory: str | os.PathLike[str] | None, verb: str) -> Path:
    """The directory a new ledger is to be made in (``restore``, ``pull``): missing or empty.

    :raises LedgerError: if it exists and is not an empty directory.
    """
    target = settings.ledger_path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise LedgerError(f"{target} exists and is not empty; {verb} into a new directory")
    return target


def build_in_place(target: Path, doing: str, fill: Callable[[EmbeddedStore], CopyReport], *,
                   timeout: float | None = None) -> CopyReport:
    """A new embedded ledger at ``target``, all or nothing: its store is made beside it
    (``.NAME.<doing>-XXXXXXXX``), filled and checked by ``fill``, and moved into place only
    once ``fill`` returns; anything raised removes it and leaves ``target`` as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{doing}-{uuid.uuid4().hex[:8]}")
    try:
        store = EmbeddedStore(staging, write=True, create=True,
                              timeout=settings.lock_timeout(timeout))
        try:
            report = fill(store)
        finally:
            store.close()
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _bulk(quads: Iterable[Quad], target: Store, batch: int) -> int:
    count = 0
    for chunk in _chunks(quads, batch):
        target.bulk_add(chunk)
        count += len(chunk)
    return count


def _chunks(items: Iterable[Quad], size: int) -> Iterator[list[Quad]]:
    chunk: list[Quad] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["Header", "CopyReport", "copy_store", "verify_copy", "write_backup", "backup",
           "read_header", "restore", "header_of"]
