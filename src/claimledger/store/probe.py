"""What a SPARQL server can do, measured once at ``init`` and kept in the configuration.

Servers differ (see the README): this asks, with short timeouts, writing only to a scratch
graph of its own (``<base>probe/<random>``) and dropping it after:

* ``query_form`` — queries are always sent form-encoded (``query=``: every server takes it);
  ``query_raw`` says whether ``application/sparql-query`` bodies work too;
* ``update_stored`` — an update answered with success is really stored (read back);
* ``max_update_triples`` — the largest single update accepted, of 1,000 / 5,000 / 20,000
  triples (claimledger sends bigger writes through staging graphs);
* ``multi_operation_atomic`` — whether a request of two operations whose second fails leaves
  the first undone (claimledger never relies on it: each write is one operation);
* ``graph_store`` — whether the Graph Store Protocol endpoint answers.

claimledger never writes the server's default graph, so whether it can be written is not
asked. A server on which no update is stored cannot hold a ledger: ``init`` refuses it.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlencode

from pyoxigraph import NamedNode

from claimledger.errors import EndpointError
from claimledger.model import ntriples
from claimledger.net.errors import RequestFailed
from claimledger.net.http import Client, Policy, check_status
from claimledger.store.config import RemoteConfig
from claimledger.store.protocol import RESULTS_JSON, parse_json

SIZES = (1000, 5000, 20000)


def probe(config: RemoteConfig, base: str, *, client: Client | None = None) -> dict:
    """Measure the server of ``config`` (see the module doc); the scratch graph is removed.

    :raises EndpointError: if the endpoint cannot be reached, refuses queries, or stores no
        update.
    """
    own = client is None
    if client is None:
        from claimledger.net.credentials import from_environment

        client = Client(Policy.for_endpoint(connect_timeout=5.0, read_timeout=20.0, retries=0),
                        credentials=from_environment(config.endpoint))
    scratch = f"{base}probe/{uuid.uuid4().hex}"
    graph = ntriples.term(NamedNode(scratch))
    found: dict = {"probed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        _ask(client, config, f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}", scratch)
        found["query_form"] = True
        found["query_raw"] = _raw_query_works(client, config)
        _update(client, config, f"INSERT DATA {{ GRAPH {graph} {{ <urn:p:s> <urn:p:p> \"1\" }} }}")
        found["update_stored"] = _ask(client, config,
                                      f"ASK {{ GRAPH {graph} {{ <urn:p:s> <urn:p:p> \"1\" }} }}",
                                      scratch)
        if not found["update_stored"]:
            raise EndpointError("the SPARQL server answers updates with success but stores "
                                "nothing: it cannot hold a ledger (is the update endpoint "
                                "read-only?)")
        found["max_update_triples"] = _largest_update(client, config, graph)
        found["multi_operation_atomic"] = _multi_operation_atomic(client, config, graph, scratch)
        found["graph_store"] = _graph_store(client, config, scratch)
    finally:
        try:
            _update(client, config, f"DROP SILENT GRAPH {graph}")
        except EndpointError:
            pass
        if own:
            client.close()
    return found


def _ask(client: Client, config: RemoteConfig, text: str, graph: str) -> bool:
    response = client.post(config.endpoint, form=[("query", text), ("named-graph-uri", graph)],
                           accept=RESULTS_JSON, idempotent=True)
    check_status(response, what="the SPARQL endpoint")
    result = parse_json(response.body)
    if not isinstance(result, bool):
        raise EndpointError("the SPARQL endpoint answered an ASK query with rows")
    return result


def _raw_query_works(client: Client, config: RemoteConfig) -> bool:
    try:
        response = client.post(config.endpoint, body=b"ASK {}",
                               content_type="application/sparql-query", accept=RESULTS_JSON,
                               idempotent=True)
    except RequestFailed:
        return False
    return response.ok


def _update(client: Client, config: RemoteConfig, text: str) -> None:
    response = client.post(config.updates, form={"update": text}, accept="*/*", idempotent=False)
    check_status(response, what="the SPARQL update endpoint")


def _largest_update(client: Client, config: RemoteConfig, graph: str) -> int:
    best = 0
    for n in SIZES:
        body = "\n".join(f"<urn:p:s{k}> <urn:p:p> \"{k}\" ." for k in range(n))
        try:
            _update(client, config, f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
        except RequestFailed:
            break
        best = n
    return best


def _multi_operation_atomic(client: Client, config: RemoteConfig, graph: str, scratch: str
                            ) -> bool | None:
    marker = "<urn:p:multi> <urn:p:p> \"first\""
    try:
        _update(client, config, f"INSERT DATA {{ GRAPH {graph} {{ {marker} }} }} ; "
                                f"CREATE GRAPH {graph}")
    except RequestFailed:
        pass
    else:
        return None  # the second operation did not fail: nothing learned
    return not _ask(client, config, f"ASK {{ GRAPH {graph} {{ {marker} }} }}", scratch)


def _graph_store(client: Client, config: RemoteConfig, scratch: str) -> bool:
    if not config.store_endpoint:
        return False
    try:
        response = client.get(f"{config.store_endpoint}?{urlencode({'graph': scratch})}",
                              accept="application/n-triples")
    except RequestFailed:
        return False
    return response.status in (200, 204, 404)
