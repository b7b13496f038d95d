"""Naming things in a ledger: the IRIs it mints, slugs, CURIEs, and finding things by name.

A ledger mints its own IRIs under its base: ``<base><collection>/<slug>``. Anything else is
named by an IRI or a CURIE with one of the ledger's prefixes.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from claimledger.errors import NotFoundError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.store.base import Store, Term

#: The collections the ledger mints IRIs in: ``<base><collection>/<slug>``.
COLLECTIONS = {
    "claim": V.CLAIM,
    "source": V.SOURCE,
    "evidence": V.EVIDENCE,
    "verdict": V.VERDICT,
    "retraction": V.RETRACTION,
    "discrediting": V.DISCREDITING,
    "agent": V.PROV_AGENT,
    "policy": V.POLICY,
    "prefix": V.SH_PREFIX_DECLARATION,
    "key": V.PUBLIC_KEY,
    "case": V.CASE,
}


class Naming:
    """Names in one ledger: its ``base``, its ``prefixes``, looked up in its ``store``."""

    base: str
    prefixes: dict[str, str]
    store: Store

    def iri(self, collection: str, slug: str, *, argument: str = "SLUG") -> NamedNode:
        """Mint the IRI of ``slug`` in ``collection`` (``claim``, ``source``, …)."""
        terms.check_slug(slug, argument=argument)
        return NamedNode(f"{self.base}{collection}/{slug}")

    def slug(self, node: Term | None) -> str:
        """The short name of a node: its slug when minted by this ledger, else its IRI or value."""
        if node is None:
            return ""
        value = node.value
        if isinstance(node, NamedNode) and value.startswith(self.base):
            rest = value[len(self.base):]
            collection, _, slug = rest.partition("/")
            if collection in COLLECTIONS and slug:
                return slug
        return value

    def compact(self, node: Term) -> str:
        """A node as a user would type it: a slug, a CURIE, ``<IRI>``, or a literal's text."""
        if isinstance(node, Literal):
            return node.value
        value = node.value
        if value.startswith(self.base):
            slug = self.slug(node)
            if slug != value:  # minted in one of the ledger's collections
                return slug
        for prefix, ns in sorted(self.prefixes.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(ns) and value != ns:
                local = value[len(ns):]
                if terms.SLUG_RE.match(local):
                    return f"{prefix}:{local}"
        return f"<{value}>"

    def compact_text(self, value: str | None) -> str:
        """Like :meth:`compact` for a term given as text (an IRI or a literal's value)."""
        if not value:
            return ""
        if value.startswith("_:") or ":" not in value:
            return value
        try:
            return self.compact(NamedNode(value))
        except ValueError:
            return value

    def resolve(self, collection: str, ref: str, *, argument: str) -> NamedNode:
        """The IRI of an existing thing named by slug (or full IRI) in ``collection``.

        :raises NotFoundError: if the ledger holds no such thing.
        """
        if terms.SLUG_RE.match(ref or "") and ".." not in ref:
            node = NamedNode(f"{self.base}{collection}/{ref}")
        elif ":" not in (ref or ""):  # neither an IRI nor a CURIE: a slug that is not one
            terms.check_slug(ref, argument=argument)
            raise AssertionError("unreachable")  # pragma: no cover
        else:
            node = terms.expand_iri(ref, self.prefixes, argument=argument)
        cls = COLLECTIONS[collection]
        if not any(True for _ in self.store.triples(node, V.TYPE, cls)):
            message = f"no {collection} {ref!r} in this ledger"
            close = self.similar(collection, ref)
            if close:
                message += f" (did you mean {' or '.join(repr(c) for c in close)}?)"
            raise NotFoundError(message, argument=argument)
        return node

    def similar(self, collection: str, ref: str, *, n: int = 3) -> list[str]:
        """Up to ``n`` slugs of ``collection`` that look like ``ref`` (for "did you mean")."""
        import difflib

        head = f"{self.base}{collection}/"
        slugs = [t.subject.value[len(head):]
                 for t in self.store.triples(None, V.TYPE, COLLECTIONS[collection])
                 if isinstance(t.subject, NamedNode) and t.subject.value.startswith(head)]
        return difflib.get_close_matches(ref, slugs, n=n, cutoff=0.75)

    def expand(self, value: str, *, argument: str) -> NamedNode:
        """A CURIE or IRI typed by a user, expanded with the ledger's prefixes."""
        return terms.expand_iri(value, self.prefixes, argument=argument)

    def agent_iri(self, name: str, *, argument: str = "--agent") -> NamedNode:
        """The IRI of an agent named by slug (minted under ``agent/``) or by IRI / CURIE."""
        if terms.SLUG_RE.match(name or "") and ".." not in name:
            return NamedNode(f"{self.base}agent/{name}")
        return terms.expand_iri(name, self.prefixes, argument=argument)
