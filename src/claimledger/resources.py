"""Packaged data files — the ontology, the SHACL shapes, the SPARQL queries, the interchange
tables — found by name.

The ontology and shapes live at the top of the repository (``ontology/``, ``shapes/``) and are
shipped inside the package under ``claimledger/resources``; SPARQL queries live in
``claimledger/queries`` (reports in ``queries/reports``). Nothing else in claimledger opens
these files by path.

>>> "SELECT" in query("claim-list").upper()
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = "claimledger"
#: The package's folder, when it is one (not inside a zip file): read directly, which spares
#: a command that reads one file importlib.resources' machinery (~2.5 ms of a CLI write).
_FOLDER = Path(__file__).resolve().parent


def _node(*parts: str):
    if _FOLDER.is_dir():
        return _FOLDER.joinpath(*parts)
    from importlib import resources

    node = resources.files(_PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node


def _read(*parts: str) -> str:
    return _node(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def query(name: str) -> str:
    """The text of the internal SPARQL query ``queries/<name>.rq``.

    :raises FileNotFoundError: if there is no such query.
    """
    return _read("queries", f"{name}.rq")


def report_names() -> list[str]:
    """The names of the packaged reports, sorted."""
    folder = _node("queries", "reports")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq"))


def report(name: str) -> str:
    """The text of the report ``queries/reports/<name>.rq``.

    :raises FileNotFoundError: if there is no such report.
    """
    return _read("queries", "reports", f"{name}.rq")


def scan(name: str) -> str | None:
    """The text of ``queries/scans/<name>.rq`` — report ``name`` computed from the ledger's
    records themselves, for a ledger that does not keep the facts the report reads — or None
    when the report has no such form (it reads nothing materialised)."""
    try:
        return _read("queries", "scans", f"{name}.rq")
    except FileNotFoundError:
        return None


@lru_cache(maxsize=None)
def shapes(name: str = "sourcing") -> str:
    """The Turtle text of the packaged shapes file ``shapes/<name>.ttl``."""
    return _read("resources", "shapes", f"{name}.ttl")


def builtin_rules() -> tuple[str, str]:
    """``(name, turtle)`` of claimledger's own sourcing rules, as every shape set of a ledger
    starts (and as the cache of their compiled form is keyed)."""
    return ("sourcing", shapes("sourcing"))


@lru_cache(maxsize=None)
def ontology() -> str:
    """The Turtle text of the claimledger ontology."""
    return _read("resources", "ontology", "claimledger.ttl")


@lru_cache(maxsize=None)
def interchange(name: str) -> str:
    """The text of the interchange data file ``resources/interchange/<name>`` (the ClaimReview
    rating tables, the bundled schema.org JSON-LD context).

    :raises FileNotFoundError: if there is no such file.
    """
    return _read("resources", "interchange", name)
