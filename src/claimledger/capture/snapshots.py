"""Snapshot files: WARC records of what was fetched, and the text extracted from them.

Layout under :func:`location` (``<ledger>/snapshots`` for the embedded store)::

    warc/<sha256 of the body>.warc.gz     the first capture of those bytes: request + response
    revisits/<capture>.warc.gz            a later capture of identical bytes: request + revisit
    text/<sha256 of the text>.txt         extracted text (UTF-8), what quote positions count in

The WARC files (ISO 28500, WARC/1.1, one gzip member per record, written with warcio) can be
read and replayed by other archiving tools. The response record keeps the HTTP status line
and headers as received, except that the body is stored decoded: Content-Encoding and
Transfer-Encoding are left out and Content-Length is the stored length. Its
``WARC-Payload-Digest`` is the SHA-256 of the body, so the file name, the digest and the
ledger's ``cl:sha256`` are the same hash. A revisit record (profile
``identical-payload-digest``) names the response record it refers to.

Every file is written to a temporary name and renamed into place; the ledger records each
file's own SHA-256, so that ``verify`` detects a file altered on disk.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from claimledger.errors import LedgerError
from claimledger.store.base import Store

_RELATIVE = re.compile(r"^(warc|revisits|text)/[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


def location(store: Store) -> Path:
    """The directory a ledger's snapshot files live in.

    For the embedded store: ``snapshots`` inside the ledger directory. This is the one place
    that decides it, so that a configured shared location can take over for a remote ledger.

    :raises LedgerError: for a store that has no directory of its own.
    """
    directory = getattr(store, "directory", None)
    if directory is None:
        raise LedgerError("this ledger's store has no directory for snapshot files; "
                          "a shared snapshot location for remote ledgers is not configured")
    return Path(directory) / "snapshots"


@dataclass(frozen=True)
class StoredFile:
    """A file written (or found) in the snapshot directory.

    :param path: relative to the snapshot directory, with ``/``.
    :param sha256: hex SHA-256 of the file's bytes.
    :param record_id: the WARC-Record-ID of its main record (``urn:uuid:…``), "" for text.
    :param created: True if this call created it (and may remove it again).
    """

    path: str
    sha256: str
    record_id: str = ""
    created: bool = False


def b32(hexdigest: str) -> str:
    """A hex SHA-256 as a WARC labelled digest: ``sha256:`` + base32."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hexdigest)).decode("ascii")


def _writer(out):
    """A warcio WARC/1.1 writer (one gzip member per record) with SHA-256 digests."""
    from warcio.utils import Digester
    from warcio.warcwriter import WARCWriter

    class Writer(WARCWriter):
        @staticmethod
        def _create_digester():
            return Digester("sha256")

    return Writer(out, gzip=True, warc_version="1.1")


class SnapshotFiles:
    """The snapshot directory of one ledger.

    :param root: the directory (see :func:`location`); created when first written to.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- writing -------------------------------------------------------------------------
    def write_response(self, response, *, sha256: str, retrieved_at: str) -> StoredFile:
        """Store ``response`` (a :class:`claimledger.net.http.Response`) as request + response
        records in ``warc/<sha256>.warc.gz``."""
        buf = io.BytesIO()
        writer = _writer(buf)
        resp = self._response_record(writer, response, retrieved_at)
        req = self._request_record(writer, response, retrieved_at,
                                   resp.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(req)
        writer.write_record(resp)
        return self._put(f"warc/{sha256}.warc.gz", buf.getvalue(),
                         resp.rec_headers.get_header("WARC-Record-ID"))

    def write_revisit(self, response, *, sha256: str, retrieved_at: str, refers_to: str,
                      refers_to_uri: str, refers_to_date: str) -> StoredFile:
        """Store a later capture of identical bytes as request + revisit records."""
        from warcio.statusandheaders import StatusAndHeaders

        buf = io.BytesIO()
        writer = _writer(buf)
        headers = StatusAndHeaders(f"{response.status} {response.reason}".strip(),
                                   _stored_headers(response), protocol=response.http_version)
        rev = writer.create_revisit_record(
            response.url, b32(sha256), refers_to_uri, refers_to_date, http_headers=headers,
            warc_headers_dict={"WARC-Date": retrieved_at, "WARC-Refers-To": refers_to})
        req = self._request_record(writer, response, retrieved_at,
                                   rev.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(req)
        writer.write_record(rev)
        stamp = re.sub(r"[^0-9]", "", retrieved_at)[:17]
        name = f"revisits/{stamp}-{sha256[:12]}-{uuid.uuid4().hex[:8]}.warc.gz"
        return self._put(name, buf.getvalue(), rev.rec_headers.get_header("WARC-Record-ID"))

    def write_text(self, sha256: str, text: str) -> StoredFile:
        """Store extracted text as ``text/<sha256>.txt`` (UTF-8)."""
        return self._put(f"text/{sha256}.txt", text.encode("utf-8"), "")

    def _response_record(self, writer, response, retrieved_at: str):
        from warcio.statusandheaders import StatusAndHeaders

        headers = StatusAndHeaders(f"{response.status} {response.reason}".strip(),
                                   _stored_headers(response) + [
                                       ("Content-Length", str(len(response.body)))],
                                   protocol=response.http_version)
        return writer.create_warc_record(response.url, "response",
                                         payload=io.BytesIO(response.body),
                                         length=len(response.body), http_headers=headers,
                                         warc_headers_dict={"WARC-Date": retrieved_at})

    def _request_record(self, writer, response, retrieved_at: str, concurrent_to: str):
        from warcio.statusandheaders import StatusAndHeaders

        parts = urlsplit(response.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.netloc.rpartition("@")[2]
        sent = [("Host", host)] + [(k, v) for k, v in response.request_headers
                                   if k.lower() != "host"]
        headers = StatusAndHeaders(f"{response.method} {target} {response.http_version}", sent,
                                   is_http_request=True)
        return writer.create_warc_record(response.url, "request", payload=io.BytesIO(b""),
                                         length=0, http_headers=headers,
                                         warc_headers_dict={"WARC-Date": retrieved_at,
                                                            "WARC-Concurrent-To": concurrent_to})

    def _put(self, relative: str, data: bytes, record_id: str) -> StoredFile:
        target = self._path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        return StoredFile(relative, hashlib.sha256(data).hexdigest(), record_id, not existed)

    def discard(self, files: list[StoredFile]) -> None:
        """Remove the files this process created (a write that did not commit)."""
        for f in files:
            if f.created:
                try:
                    self._path(f.path).unlink()
                except OSError:
                    pass

    # -- reading -------------------------------------------------------------------------
    def _path(self, relative: str) -> Path:
        if not _RELATIVE.match(relative or "") or ".." in relative:
            raise LedgerError(f"the ledger names a snapshot file {relative!r} that is not in "
                              "the snapshot directory")
        return self.root / relative

    def read_bytes(self, relative: str) -> bytes:
        """A file's bytes, opened without following a symbolic link.

        :raises LedgerError: if it is missing or cannot be read.
        """
        path = self._path(relative)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise LedgerError(f"the snapshot file {relative} is missing from {self.root}") from None
        except OSError as exc:
            raise LedgerError(f"the snapshot file {relative} cannot be read: "
                              f"{exc.strerror}") from None
        with os.fdopen(fd, "rb") as fh:
            return fh.read()

    def read_text(self, relative: str, sha256: str) -> str:
        """Stored text, checked against its recorded hash.

        :raises LedgerError: if it is missing or was altered.
        """
        data = self.read_bytes(relative)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise LedgerError(f"the snapshot text {relative} was altered on disk (its SHA-256 "
                              "no longer matches the ledger); run claimledger verify")
        return data.decode("utf-8")

    def body(self, relative: str) -> tuple[bytes, str]:
        """The response body stored in a WARC file, and its WARC-Target-URI."""
        from warcio.archiveiterator import ArchiveIterator

        data = self.read_bytes(relative)
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response":
                return record.content_stream().read(), record.rec_headers.get_header(
                    "WARC-Target-URI")
        raise LedgerError(f"the snapshot file {relative} holds no response record")

    def check(self, relative: str, file_sha256: str, payload_sha256: str | None = None
              ) -> str | None:
        """What is wrong with a stored file, or None: missing, altered (its own hash), or —
        for a response WARC — a body whose SHA-256 is not the snapshot's."""
        try:
            data = self.read_bytes(relative)
        except LedgerError as exc:
            return exc.message
        if hashlib.sha256(data).hexdigest() != file_sha256:
            return f"the snapshot file {relative} was altered on disk (its SHA-256 no longer " \
                   "matches the ledger)"
        if payload_sha256 is not None:
            try:
                body, _ = self.body(relative)
            except Exception as exc:  # a file that is not a WARC any more
                return f"the snapshot file {relative} cannot be read as WARC ({type(exc).__name__})"
            if hashlib.sha256(body).hexdigest() != payload_sha256:
                return f"the snapshot file {relative} holds a body whose SHA-256 is not the " \
                       "snapshot's"
        return None


def _stored_headers(response) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.header_list if k.lower() not in _DROPPED]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
