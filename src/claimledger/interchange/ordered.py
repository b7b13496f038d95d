"""Quads in one canonical order — by graph, then by the canonical N-Triples line — however the
store keeps them, so that an export is the same bytes from every backend (and diffs cleanly).

Any number of quads is sorted in bounded memory: sorted runs are spilled to temporary files
and merged, then read back as quads and handed to the serialiser in order. A store that writes
canonical N-Triples itself (:func:`ordered_store`) is sorted as its own lines.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from itertools import chain, groupby, islice

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
    keys = (_key(q) for q in quads)

    def groups() -> Iterator[tuple[str, list[str]]]:
        for chunk in _sorted(_batched(keys)):
            for graph, group in groupby(chunk, key=lambda k: k.partition("\t")[0]):
                yield graph, [k.partition("\t")[2] for k in group]
    return chain.from_iterable(_parsed(lines, graph) for graph, lines in groups())


def ordered_store(store, *, default_graph_only: bool = False) -> Iterator[Quad]:
    """Every quad of ``store`` (of its default graph only, when asked) in the order of
    :func:`ordered`. A store that writes its own canonical N-Triples lines
    (``"canonical-lines"`` in its capabilities: Oxigraph's writer) is read as those lines,
    one graph at a time: they are sorted as they are, and only the sorted ones become quads,
    parsed in bulk (at 10,000 claims: 4.6 s against 6.6 s through every quad as a Python
    object; Oxigraph's own dump of the store takes 3.0 s)."""
    if "canonical-lines" not in store.capabilities:
        quads = store.quads() if not default_graph_only else (
            Quad(t.subject, t.predicate, t.object, DefaultGraph())
            for t in store.triples(None, None, None))
        return ordered(quads)
    graphs = [] if default_graph_only else sorted(
        (ntriples.term(g), g) for g in store.named_graphs())
    return chain.from_iterable(
        _parsed(lines, key)
        for key, graph in [("", DefaultGraph()), *graphs]
        for lines in _sorted(store.canonical_lines(graph)))


def _batched(lines: Iterable[str]) -> Iterator[list[str]]:
    while batch := list(islice(lines, CHUNK)):
        yield batch


def _sorted(batches: Iterable[list[str]]) -> Iterator[list[str]]:
    """The lines of ``batches`` sorted, in lists of at most :data:`CHUNK`, in bounded memory:
    runs of :data:`RUN` lines are sorted, spilled to temporary files and merged."""
    runs = []
    batch: list[str] = []
    for lines in batches:
        batch.extend(lines)
        if len(batch) >= RUN:
            batch.sort()
            runs.append(_spill(batch))
            batch = []
    batch.sort()
    if not runs:
        for i in range(0, len(batch), CHUNK):
            yield batch[i:i + CHUNK]
        return
    try:
        yield from _batched(heapq.merge(*(_lines(f) for f in runs), iter(batch)))
    finally:
        for f in runs:
            f.close()


def _parsed(lines: list[str], graph: str) -> Iterator[Quad]:
    """Canonical N-Triples ``lines`` as quads of ``graph`` (its N-Triples term; "" for the
    default graph). A canonical line holds no line break, so `` .`` then one ends a line."""
    text = "\n".join(lines) + "\n"
    if graph:
        text = text.replace(" .\n", f" {graph} .\n")
    return ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS)


def _spill(batch: list[str]):
    f = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
    f.write("\n".join(batch) + "\n")
    f.seek(0)
    return f


def _lines(f) -> Iterator[str]:
    for line in f:
        yield line[:-1]
