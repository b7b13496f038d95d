"""A ledger's configuration: which store holds it.

A ledger directory holds either the embedded store itself, or — for a ledger kept on a SPARQL
1.1 server — a small configuration file, ``claimledger.json``, and no data::

    {"store": "remote",
     "endpoint": "http://127.0.0.1:7878/query",        # SPARQL 1.1 Protocol: queries
     "update_endpoint": "http://127.0.0.1:7878/update", # SPARQL 1.1 Update
     "store_endpoint": "http://127.0.0.1:7878/store",   # Graph Store Protocol (optional)
     "graph": "https://example.org/desk/",              # the ledger's graphs live under it
     "probe": {...}}                                    # what the server was found to do

Credentials are never in it (see :mod:`claimledger.net.credentials`). Scripts may do without
the file: ``CLAIMLEDGER_ENDPOINT`` (with ``CLAIMLEDGER_UPDATE_ENDPOINT``,
``CLAIMLEDGER_STORE_ENDPOINT``, ``CLAIMLEDGER_GRAPH``) names a remote ledger directly.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from claimledger.errors import InputError, LedgerError
from claimledger.model import terms

CONFIG_NAME = "claimledger.json"


@dataclass
class RemoteConfig:
    """Where a remote ledger lives.

    :param endpoint: the SPARQL 1.1 query endpoint.
    :param update_endpoint: the SPARQL 1.1 Update endpoint (default: the query endpoint).
    :param store_endpoint: the Graph Store Protocol endpoint, if the server has one.
    :param graph: the IRI the ledger's graphs are named under: its state is the graph
        ``<graph>state`` (not the server's default graph), its audit trail the graphs its
        events name.
    :param probe: what :mod:`claimledger.store.probe` found the server to do.
    """

    endpoint: str
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    graph: str | None = None
    probe: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("endpoint", "update_endpoint", "store_endpoint"):
            value = getattr(self, name)
            if value is not None:
                check_url(value, argument=f"--{name.replace('_', '-')}")
        if self.graph is not None:
            terms.check_iri(self.graph, argument="--graph")
            if not self.graph.endswith(("/", "#")):
                raise InputError(f"{self.graph!r} must end with '/' or '#' so that the ledger's "
                                 "graphs can be named under it", argument="--graph")

    @property
    def updates(self) -> str:
        return self.update_endpoint or self.endpoint

    def to_json(self) -> str:
        return json.dumps({"store": "remote", **asdict(self)}, indent=2, sort_keys=True) + "\n"


def check_url(value: str, *, argument: str) -> str:
    """An http(s) URL of an endpoint.

    :raises InputError: for anything else.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{value!r} is not an http:// or https:// URL", argument=argument)
    return value


def read(directory: Path) -> RemoteConfig | None:
    """The configuration in ``directory``, or None when the directory holds an embedded store
    (or nothing) and the environment names no endpoint.

    :raises LedgerError: for a configuration file that cannot be read.
    """
    path = directory / CONFIG_NAME
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise LedgerError(f"{path} is not a regular file")
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.pop("store", None) != "remote":
                raise ValueError("not a remote store configuration")
            return RemoteConfig(**data)
        except (OSError, ValueError, TypeError, InputError) as exc:
            raise LedgerError(f"{path} is not a claimledger configuration: {exc}") from None
    endpoint = os.environ.get("CLAIMLEDGER_ENDPOINT")
    if endpoint and not (directory / "store").exists() and not (directory / "CURRENT").exists():
        return RemoteConfig(endpoint=endpoint,
                            update_endpoint=os.environ.get("CLAIMLEDGER_UPDATE_ENDPOINT") or None,
                            store_endpoint=os.environ.get("CLAIMLEDGER_STORE_ENDPOINT") or None,
                            graph=os.environ.get("CLAIMLEDGER_GRAPH") or None)
    return None


def write(directory: Path, config: RemoteConfig) -> None:
    """Write ``config`` into ``directory`` (created if missing), replacing the file whole."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_NAME
    tmp = directory / (CONFIG_NAME + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(config.to_json())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
