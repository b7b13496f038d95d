"""Shell completion (click's ``shell_complete``): slugs from the ledger, report names,
grades, kinds, statuses and confidence levels.

Enable it once per shell, e.g. for bash: ``eval "$(_CLAIMLEDGER_COMPLETE=bash_source
claimledger)"`` (zsh: ``zsh_source``, fish: ``fish_source``). Slugs are read from the ledger
the command line names (``--ledger``, else ``CLAIMLEDGER_LEDGER``, else ``./ledger``),
read-only and without waiting: a busy or missing ledger completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from click.shell_completion import CompletionItem

from claimledger.model import vocab as V

#: Most slugs offered at once.
MAX_ITEMS = 200


def _tokens(values) -> Callable:
    def complete(ctx, param, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(v) for v in values if v.startswith(incomplete)]
    return complete


reliability = _tokens(V.Reliability.tokens)
credibility = _tokens(V.Credibility.tokens)
confidence_levels = _tokens(V.Confidence.tokens)
statuses = _tokens(V.Status.tokens)
kinds = _tokens(V.SourceKind.tokens)


def reports(ctx, param, incomplete: str) -> list[CompletionItem]:
    """The packaged reports (no ledger needed)."""
    from claimledger import resources

    return [CompletionItem(n) for n in resources.report_names() if n.startswith(incomplete)]


def _slugs(collection: str) -> Callable:
    def complete(ctx, param, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(s) for s in _ledger_slugs(ctx, collection, incomplete)]
    return complete


claims = _slugs("claim")
sources = _slugs("source")
evidence = _slugs("evidence")
cases = _slugs("case")


def scales(ctx, param, incomplete: str) -> list[CompletionItem]:
    ledger = _open(ctx)
    if ledger is None:
        return []
    with ledger:
        return [CompletionItem(s.name) for s in ledger.scales.list()
                if s.name.startswith(incomplete)]


def _open(ctx):
    from claimledger.errors import ClaimLedgerError
    from claimledger.ledger import Ledger

    directory = None
    for c in (ctx, *_parents(ctx)):
        directory = directory or c.params.get("ledger_dir")
    try:
        return Ledger.open(directory, timeout=0)
    except (ClaimLedgerError, OSError):
        return None


def _parents(ctx):
    while ctx.parent is not None:
        ctx = ctx.parent
        yield ctx


def _ledger_slugs(ctx, collection: str, incomplete: str) -> list[str]:
    from pyoxigraph import Literal

    from claimledger.core.naming import COLLECTIONS

    ledger = _open(ctx)
    if ledger is None:
        return []
    with ledger:
        prefix = f"{ledger.base}{collection}/{incomplete}"
        rows = ledger.store.query(
            "SELECT ?n ?prefix ?type WHERE { ?n a ?type FILTER(STRSTARTS(STR(?n), ?prefix)) } "
            f"ORDER BY ?n LIMIT {MAX_ITEMS}",
            {"prefix": Literal(prefix), "type": COLLECTIONS[collection]})
        return [ledger.slug(row["n"]) for row in rows]
