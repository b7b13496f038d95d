"""A ledger on a SPARQL 1.1 server, through the W3C standards alone.

Reads go through the SPARQL 1.1 Protocol (POST, form-encoded: every server takes it), writes
through SPARQL 1.1 Update. Nothing relies on the server's default graph — some servers make
it the union of every graph, their own system graphs included: every request names its
dataset. The ledger's graphs are named under its base IRI ``B`` (the configuration's
``graph``): its state is the graph ``<B>state``, its audit trail the graphs its events name
(``<B>audit``, ``<B>event/N/added`` …). So one server holds many ledgers, and nothing
outside a ledger's graphs is read or written.

A write is one update operation, ``DELETE { … } INSERT { … } WHERE { the head is still H }``,
which every server applies as a whole. It is then confirmed by reading the new event's hash
back — some servers answer 200 and discard an update. A write too large for one request (the
server's limit, found by the probe, or :data:`MAX_UPDATE_TRIPLES`) is first copied into
staging graphs no reader follows, then made current by one conditional operation. A write
that fails on the way (a 5xx, a dropped connection, a timeout) is looked for before anything
is sent again: it either landed, or it is sent once more — which is safe, since it applies
only on the head it was built on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Triple

from claimledger.errors import EndpointError, InputError, LedgerChanged, LedgerError
from claimledger.model import ntriples, sparql
from claimledger.model import vocab as V
from claimledger.net.errors import RequestFailed
from claimledger.net.http import Client, Policy, check_status
from claimledger.store import bindings as binding
from claimledger.store.base import Bindings, ChangeSet, QueryResult, Rows, Term, update_text
from claimledger.store.config import RemoteConfig
from claimledger.store.protocol import RESULTS_JSON, parse_json, parse_rdf

#: Triples sent in one update request at most, unless the probe found the server's limit.
MAX_UPDATE_TRIPLES = 5000
#: Times a failed write is sent again (after checking that it did not land).
WRITE_ATTEMPTS = 3
_WHAT = "the SPARQL endpoint"


class RemoteStore:
    """The store contract over a SPARQL 1.1 server (see the module doc).

    :param config: where the ledger lives.
    :param write: whether writes are allowed.
    :param client: the HTTP client (one is made with the endpoint policy and the
        credentials from the environment when omitted).
    """

    capabilities: frozenset[str] = frozenset()

    def __init__(self, config: RemoteConfig, *, write: bool, client: Client | None = None) -> None:
        if not config.graph:
            raise LedgerError("a remote ledger's configuration must name its graph IRI")
        self.config = config
        self.writable = write
        self.base = config.graph
        self.state = NamedNode(self.base + "state")
        self.audit = NamedNode(self.base + "audit")
        if client is None:
            from claimledger.net.credentials import from_environment

            from claimledger.settings import remote_timeout

            timeout = remote_timeout()
            client = Client(Policy.for_endpoint(read_timeout=timeout, connect_timeout=min(10.0, timeout)),
                            credentials=from_environment(config.endpoint))
        self.client = client
        probe = config.probe or {}
        self.max_triples = int(probe.get("max_update_triples") or MAX_UPDATE_TRIPLES)

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql_text: str, bindings: Bindings | None = None) -> QueryResult:
        text = binding.inline(sparql_text, bindings or {})
        checked = sparql.check_query(text)
        named = self._named_graphs_of(checked.tokens, bindings or {})
        form = checked.form
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        response = self._post_query(checked.text, named, accept)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return parse_rdf(response.body, response.content_type, what=_WHAT)
        result = parse_json(response.body, what=_WHAT)
        if form == "ASK" and not isinstance(result, bool):
            raise EndpointError(f"{_WHAT} answered an ASK query with rows")
        if form == "SELECT" and not isinstance(result, Rows):
            raise EndpointError(f"{_WHAT} answered a SELECT query with a boolean")
        return result

    def select(self, sparql_text: str, bindings: Bindings | None = None) -> Rows:
        result = self.query(sparql_text, bindings)
        if not isinstance(result, Rows):
            raise InputError("expected a SELECT query")
        return result

    def ask(self, sparql_text: str, bindings: Bindings | None = None) -> bool:
        result = self.query(sparql_text, bindings)
        if not isinstance(result, bool):
            raise InputError("expected an ASK query")
        return result

    def construct(self, sparql_text: str, bindings: Bindings | None = None) -> list[Triple]:
        result = self.query(sparql_text, bindings)
        if not isinstance(result, list):
            raise InputError("expected a CONSTRUCT or DESCRIBE query")
        return result

    def triples(self, subject: Term | None, predicate: NamedNode | None, obj: Term | None,
                graph: NamedNode | DefaultGraph | None = None) -> Iterator[Triple]:
        pattern = "?s ?p ?o"
        if isinstance(graph, NamedNode):
            pattern = f"GRAPH {ntriples.term(graph)} {{ ?s ?p ?o }}"
        given = {k: v for k, v in (("s", subject), ("p", predicate), ("o", obj)) if v is not None}
        for row in self.select(f"SELECT ?s ?p ?o WHERE {{ {pattern} }}", given):
            yield Triple(row["s"], row["p"], row["o"])

    def named_graphs(self) -> Iterator[NamedNode]:
        yield from self._ledger_graphs()

    def quads(self) -> Iterator[Quad]:
        for t in self.triples(None, None, None):
            yield Quad(t.subject, t.predicate, t.object, DefaultGraph())
        graphs = list(self._ledger_graphs())
        if not graphs:
            return
        rows = self._select_in("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", graphs)
        for row in rows:
            yield Quad(row["s"], row["p"], row["o"], row["g"])

    def dump(self, output: IO[bytes], fmt: RdfFormat, *, graph: DefaultGraph | NamedNode | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        if isinstance(graph, DefaultGraph):
            data: Iterable = self.triples(None, None, None)
        elif graph is not None:
            data = self.triples(None, None, None, graph)
        else:
            data = self.quads()
        ox.serialize(data, output, fmt, prefixes=prefixes)

    def _ledger_graphs(self) -> Iterator[NamedNode]:
        """The ledger's named graphs: its audit graph and every graph an event names."""
        rows = self._select_in(
            "SELECT DISTINCT ?g WHERE { GRAPH ?a { { ?e ?link ?g } VALUES ?link { "
            f"{ntriples.term(V.ADDED_GRAPH)} {ntriples.term(V.REMOVED_GRAPH)} }} }} }}",
            [self.audit])
        found = [row["g"] for row in rows if isinstance(row["g"], NamedNode)]
        if found or self.ask_in("ASK { GRAPH ?a { ?s ?p ?o } }", [self.audit]):
            yield self.audit
        yield from sorted(found, key=lambda n: n.value)

    def _named_graphs_of(self, toks: Sequence[sparql.Token], bound: Mapping[str, Term]
                         ) -> list[NamedNode]:
        """The named graphs a query reads: those it names after GRAPH (directly or through a
        bound variable); every graph of the ledger if it reads a GRAPH variable left free."""
        significant = sparql.code(toks)
        named: set[NamedNode] = set()
        for i, t in enumerate(significant[:-1]):
            if t.keyword != "GRAPH":
                continue
            nxt = significant[i + 1]
            if nxt.kind == "IRIREF":
                named.add(NamedNode(nxt.text[1:-1]))
            elif nxt.kind in ("VAR1", "VAR2"):
                value = bound.get(nxt.text[1:])
                if isinstance(value, NamedNode):
                    named.add(value)
                elif _var_bound_by_values(significant, nxt.text[1:]):
                    named.update(_values_iris(significant, nxt.text[1:]))
                else:
                    return list(self._ledger_graphs())
        return sorted(named, key=lambda n: n.value)

    def _select_in(self, text: str, graphs: Sequence[NamedNode]) -> Rows:
        checked = sparql.check_query(text)
        result = parse_json(self._post_query(checked.text, graphs, RESULTS_JSON).body, what=_WHAT)
        if not isinstance(result, Rows):
            raise EndpointError(f"{_WHAT} answered a SELECT query with a boolean")
        return result

    def ask_in(self, text: str, graphs: Sequence[NamedNode]) -> bool:
        result = parse_json(self._post_query(text, graphs, RESULTS_JSON).body, what=_WHAT)
        if not isinstance(result, bool):
            raise EndpointError(f"{_WHAT} answered an ASK query with rows")
        return result

    def _post_query(self, text: str, named: Sequence[NamedNode], accept: str):
        form = [("query", text), ("default-graph-uri", self.state.value)]
        form.extend(("named-graph-uri", g.value) for g in named)
        if not named:  # an empty named-graph set: nothing but the state is readable
            form.append(("named-graph-uri", self.base + "none"))
        response = self.client.post(self.config.endpoint, form=form, accept=accept,
                                    idempotent=True)
        if response.status == 400:
            detail = " ".join(response.text().split())[:300]
            raise InputError(f"SPARQL syntax error (the endpoint refused the query): {detail}")
        check_status(response, what=_WHAT)
        return response

    # -- writing -------------------------------------------------------------------------
    def apply(self, changes: ChangeSet) -> None:
        self._require_write()
        size = (len(changes.added) + len(changes.removed) + len(changes.extra_quads)
                + len(changes.extra_removed))
        if not size:
            return
        if size <= self.max_triples:
            self._apply_once(update_text(changes, state_graph=self.state), changes)
        else:
            self._apply_staged(changes)

    def _apply_once(self, text: str, changes: ChangeSet) -> None:
        last_error: Exception | None = None
        for _attempt in range(WRITE_ATTEMPTS):
            try:
                self._post_update(text)
            except RequestFailed as exc:
                if exc.kind == "status" and not _retryable_status(exc):
                    raise
                last_error = exc  # it may have landed all the same: look before resending
            if self._landed(changes):
                return
            if last_error is None:
                break
        if last_error is not None and not self._landed(changes):
            raise EndpointError(f"the write did not reach the server; nothing was written "
                                f"({last_error})") from None
        self._not_applied(changes)

    def _apply_staged(self, changes: ChangeSet) -> None:
        """A big write: the triples copied into staging graphs first (invisible to readers),
        then one conditional operation moves them where they belong."""
        stage = f"{self.base}staging/{uuid.uuid4().hex}/"
        groups: list[tuple[str, NamedNode, NamedNode, list[Triple]]] = []
        for op, state, extra in (("DELETE", changes.removed, changes.extra_removed),
                                 ("INSERT", changes.added, changes.extra_quads)):
            by_graph: dict[NamedNode, list[Triple]] = {}
            if state:
                by_graph[self.state] = list(state)
            for q in extra:
                by_graph.setdefault(q.graph_name, []).append(q.triple)
            for target, triples in sorted(by_graph.items(), key=lambda kv: kv[0].value):
                groups.append((op, target, NamedNode(f"{stage}{len(groups)}"), triples))
        try:
            for _op, _target, staging, triples in groups:
                for k in range(0, len(triples), self.max_triples):
                    batch = "\n".join(ntriples.line(t) for t in triples[k:k + self.max_triples])
                    self._post_update(f"INSERT DATA {{ GRAPH {ntriples.term(staging)} {{\n{batch}\n}} }}")
            templates: dict[str, list[str]] = {"DELETE": [], "INSERT": []}
            branches = []
            for n, (op, target, staging, _triples) in enumerate(groups):
                s, p, o = f"?s{n}", f"?p{n}", f"?o{n}"
                templates[op].append(f"GRAPH {ntriples.term(target)} {{ {s} {p} {o} }}")
                branches.append(f"{{ GRAPH {ntriples.term(staging)} {{ {s} {p} {o} }} }}")
            where = changes.condition.where() if changes.condition is not None else ""
            text = "".join(f"{op} {{ {' '.join(parts)} }}\n" for op, parts in templates.items()
                           if parts)
            text += f"WHERE {{ {where} {' UNION '.join(branches)} }}"
            self._apply_once(text, changes)
        finally:
            for _op, _target, staging, _triples in groups:
                try:
                    self._post_update(f"DROP SILENT GRAPH {ntriples.term(staging)}")
                except EndpointError:
                    pass  # left behind, but read by nobody: the next write does not need it

    def _landed(self, changes: ChangeSet) -> bool:
        receipt = changes.receipt
        if receipt is None:
            return True
        graph = receipt.graph_name
        return self.ask_in(
            f"ASK {{ GRAPH {ntriples.term(graph)} {{ {ntriples.line(receipt.triple)[:-2]} }} }}",
            [graph])

    def _not_applied(self, changes: ChangeSet) -> None:
        """The update was answered but its receipt is not there: either another writer moved
        the head first (the condition failed), or the server discarded the update."""
        condition = changes.condition
        if condition is not None and not self.ask_in(f"ASK {{ {condition.where()} }}",
                                                     [condition.graph]):
            raise LedgerChanged()
        raise EndpointError("the SPARQL server answered the update with success but did not store "
                            "it; nothing was written (is the update endpoint read-only?)")

    def _post_update(self, text: str) -> None:
        response = self.client.post(self.config.updates, form={"update": text},
                                    accept="*/*", idempotent=False)
        check_status(response, what="the SPARQL update endpoint", hints={
            413: "the server refuses updates this large: lower the batch size with "
                 "CLAIMLEDGER_REMOTE_BATCH or `claimledger remote status` to see what it takes",
            405: "the update endpoint does not take updates (is it read-only?)"})

    def bulk_load(self, path, fmt: RdfFormat, *, graph: NamedNode | None = None) -> None:
        """Load a file in bounded batches of plain updates (not atomic: on an empty ledger),
        into ``graph`` if given, else as :meth:`bulk_add` places quads."""
        self._require_write()

        def quads() -> Iterator[Quad]:
            for q in ox.parse(path=str(path), format=fmt):
                if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode):
                    raise InputError("a ledger holds no blank nodes")
                yield q if graph is None else Quad(q.subject, q.predicate, q.object, graph)

        self.bulk_add(quads())

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        """Add quads in bounded batches of plain updates (not atomic: on an empty ledger);
        the default graph's are the ledger's state."""
        self._require_write()
        batch: dict[NamedNode, list[Triple]] = {}
        count = 0
        for q in quads:
            target = self.state if isinstance(q.graph_name, DefaultGraph) else q.graph_name
            batch.setdefault(target, []).append(q.triple)
            count += 1
            if count >= self.max_triples:
                self._insert(batch)
                batch, count = {}, 0
        if batch:
            self._insert(batch)

    def holds_ledger(self) -> bool:
        """Whether anything of a ledger under this base is on the server already."""
        return self.ask_in("ASK { { ?s ?p ?o } UNION { GRAPH ?a { ?s ?p ?o } } }", [self.audit])

    def drop_ledger(self) -> None:
        """Remove every graph of this ledger from the server (what a failed push left)."""
        self._require_write()
        for graph in [self.state, *self._ledger_graphs()]:
            self._post_update(f"DROP SILENT GRAPH {ntriples.term(graph)}")

    def _insert(self, batch: Mapping[NamedNode, list[Triple]]) -> None:
        body = "\n".join(f"GRAPH {ntriples.term(g)} {{\n" + "\n".join(ntriples.line(t) for t in ts)
                         + "\n}" for g, ts in batch.items())
        self._post_update(f"INSERT DATA {{\n{body}\n}}")

    def _require_write(self) -> None:
        if not self.writable:
            raise LedgerError("the ledger was opened read-only")

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _retryable_status(exc: RequestFailed) -> bool:
    status = getattr(exc, "status", None)
    return status is None or status >= 500 or status == 429


def _var_bound_by_values(toks: Sequence[sparql.Token], name: str) -> bool:
    return bool(_values_iris(toks, name))


def _values_iris(toks: Sequence[sparql.Token], name: str) -> list[NamedNode]:
    """The IRIs a ``VALUES (?name …) { (…) }`` block in the query gives the variable."""
    out: list[NamedNode] = []
    for i, t in enumerate(toks):
        if t.keyword != "VALUES":
            continue
        j = i + 1
        names: list[str] = []
        if j < len(toks) and toks[j].text == "(":
            j += 1
            while j < len(toks) and toks[j].text != ")":
                names.append(toks[j].text[1:])
                j += 1
            j += 1
        elif j < len(toks):
            names = [toks[j].text[1:]]
            j += 1
        if name not in names:
            continue
        col = names.index(name)
        depth, row = 0, []
        while j < len(toks):
            tok = toks[j]
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                break
            elif tok.text == "(":
                row = []
            elif tok.text == ")":
                if col < len(row) and row[col].startswith("<"):
                    out.append(NamedNode(row[col][1:-1]))
            elif len(names) == 1 and tok.kind == "IRIREF":
                out.append(NamedNode(tok.text[1:-1]))
            else:
                row.append(tok.text)
            j += 1
    return out

