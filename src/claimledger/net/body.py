"""Reading a response body under a size cap and a deadline, decompressing it ourselves.

The body is read as it arrives on the wire and decoded here (gzip, deflate): every
decompression step is bounded (``zlib``'s ``max_length``), so a small compressed body that
inflates past the cap is stopped at the cap, never inflated in memory first. The cap applies to
the bytes on the wire and to the decoded bytes alike; a declared Content-Length over the cap
is refused before anything is read.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO

from claimledger.net.errors import RequestFailed

CHUNK = 64 * 1024


class _Decoder:
    """Decodes one Content-Encoding (identity, gzip, deflate) with bounded output."""

    def __init__(self, encoding: str | None, shown: str) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise RequestFailed(f"{shown} sent a body with several content encodings "
                                f"({encoding}); not supported", kind="content", url=shown)
        self.coding = codings[0] if codings else None
        if self.coding in ("gzip", "x-gzip"):
            self._new = lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._new = lambda: zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding is None:
            self._new = None
        else:
            raise RequestFailed(f"{shown} sent a body in the content encoding {self.coding!r}, "
                                "which claimledger does not decode (it asks for gzip or "
                                "deflate)", kind="content", url=shown)
        self._d = self._new() if self._new else None
        self._raw_deflate_tried = False
        self.shown = shown

    def feed(self, data: bytes, room: int | None) -> list[bytes]:
        """Decode ``data``; never produce more than ``room + 1`` bytes in one step."""
        if self._d is None:
            return [data]
        out: list[bytes] = []
        pending = data
        produced = 0
        while pending:
            limit = 0 if room is None else max(room - produced + 1, 1)
            try:
                piece = self._d.decompress(pending, limit)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._raw_deflate_tried and not out:
                    # "deflate" is often sent as a raw deflate stream without the zlib header
                    self._raw_deflate_tried = True
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise RequestFailed(f"{self.shown} sent a corrupt {self.coding} body ({exc})",
                                    kind="protocol", url=self.shown) from None
            out.append(piece)
            produced += len(piece)
            if room is not None and produced > room:
                return out
            if self._d.eof:
                rest = self._d.unused_data
                if rest and self.coding in ("gzip", "x-gzip"):  # another gzip member
                    self._d = self._new()
                    pending = rest
                    continue
                return out
            pending = self._d.unconsumed_tail
        return out

    def finish(self) -> bytes:
        return self._d.flush() if self._d is not None else b""


def read_body(response: Any, max_body: int | None, end: float | None,
              on_progress: Callable[[int, int | None], None] | None, shown: str,
              sink: BinaryIO | None = None) -> bytes:
    """The whole decoded body of a streamed requests ``response`` (or b"", with the body
    written to ``sink`` as it comes).

    :param max_body: cap in bytes (wire and decoded), or None.
    :param end: ``time.monotonic()`` value by which the body must be complete, or None.
    :raises RequestFailed: ``too-large``, ``deadline``, ``content`` (an encoding it cannot
        decode) or ``protocol`` (a corrupt compressed body).
    """
    declared = response.headers.get("Content-Length", "")
    total = int(declared) if declared.strip().isdigit() else None
    if max_body is not None and total is not None and total > max_body:
        raise _too_large(shown, max_body, f"it declares {total:,} bytes")
    decoder = _Decoder(response.headers.get("Content-Encoding"), shown)
    parts: list[bytes] = []
    size = wire = 0
    for chunk in response.raw.stream(CHUNK, decode_content=False):
        if end is not None and time.monotonic() > end:
            raise RequestFailed("", kind="deadline", url=shown)  # reworded by the client
        wire += len(chunk)
        if max_body is not None and wire > max_body:
            raise _too_large(shown, max_body, "on the wire")
        room = None if max_body is None else max_body - size
        for piece in decoder.feed(chunk, room):
            size += len(piece)
            if sink is None:
                parts.append(piece)
            elif max_body is None or size <= max_body:
                sink.write(piece)
        if max_body is not None and size > max_body:
            raise _too_large(shown, max_body, "after decompression" if decoder.coding else "")
        if on_progress is not None:
            on_progress(wire, total)
    tail = decoder.finish()
    size += len(tail)
    if max_body is not None and size > max_body:
        raise _too_large(shown, max_body, "after decompression")
    if sink is not None:
        sink.write(tail)
        return b""
    parts.append(tail)
    if max_body is not None and size > max_body:
        raise _too_large(shown, max_body, "after decompression")
    return b"".join(parts)


def _too_large(shown: str, cap: int, how: str) -> RequestFailed:
    return RequestFailed(f"the body of {shown} is larger than the {_size(cap)} limit"
                         + (f" ({how})" if how else "")
                         + "; nothing was kept (raise the limit with --max-size)",
                         kind="too-large", url=shown)


def _size(n: int) -> str:
    for unit, factor in (("GB", 10 ** 9), ("MB", 10 ** 6), ("kB", 10 ** 3)):
        if n >= factor:
            value = n / factor
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"
