"""Quads in one canonical order — by graph, then by the canonical N-Triples line — however the
store keeps them, so that an export is the same bytes from every backend (and diffs cleanly).

Any number of quads is sorted in bounded memory: sorted runs are spilled to temporary files
and merged, then read back as quads and handed to the serialiser in order.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from pyoxigraph import DefaultGraph, Quad

from claimledger.model import ntriples

#: Lines sorted in memory before a run is spilled to a temporary file.
RUN = 500_000
#: Lines parsed back at a time.
CHUNK = 20_000


def _key(q: Quad) -> str:
    graph = "" if isinstance(q.graph_name, DefaultGraph) else ntriples.term(q.graph_name)
    return graph + "\t" + ntriples.line(q.triple)


def ordered(quads: Iterable[Quad]) -> Iterator[Quad]:
    """``quads`` sorted by graph (the default graph first), then by canonical N-Triples."""
    runs = []
    batch: list[str] = []
    for q in quads:
        batch.append(_key(q))
        if len(batch) >= RUN:
            batch.sort()
            runs.append(_spill(batch))
            batch = []
    batch.sort()
    lines: Iterable[str] = heapq.merge(*(_lines(f) for f in runs), iter(batch)) if runs else batch
    chunk: list[str] = []
    for key in lines:
        graph, _, line = key.partition("\t")
        chunk.append(line[:-1] + graph + " ." if graph else line)
        if len(chunk) >= CHUNK:
            yield from ox.parse("\n".join(chunk).encode("utf-8"), ox.RdfFormat.N_QUADS)
            chunk = []
    if chunk:
        yield from ox.parse("\n".join(chunk).encode("utf-8"), ox.RdfFormat.N_QUADS)
    for f in runs:
        f.close()


def _spill(batch: list[str]):
    f = tempfile.TemporaryFile("w+", encoding="utf-8")
    f.writelines(line + "\n" for line in batch)
    f.seek(0)
    return f


def _lines(f) -> Iterator[str]:
    for line in f:
        yield line.rstrip("\n")
