"""A ledger's own policies: a newsroom's extra SHACL shapes, stored in the ledger.

Policies are enforced on every write and by ``validate`` exactly like the built-in sourcing
rules. A policy is kept as its Turtle text on a ``cl:Policy`` node; removing a policy stops
its enforcement, and the audit trail keeps what it said.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from claimledger.model import vocab as V
from claimledger.errors import ConflictError, InputError
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult


@dataclass
class PolicyRecord:
    name: str
    shapes: int
    recorded_by: str | None
    recorded_at: str | None


def _named_shapes(text: str, name: str) -> set:
    """The shapes a policy declares: typed as shapes or declaring a target (SHACL 2.1)."""
    from claimledger.validation.shapes import _shape_nodes, parse_shapes

    return _shape_nodes(parse_shapes(text, name=name))


class Policies:
    """A ledger's policies. Reached as ``ledger.policies``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def texts(self) -> list[tuple[str, str]]:
        """``(name, turtle)`` of every policy, by name."""
        return self.ledger.policy_texts()

    def add(self, name: str, text: str, *, reason: str | None = None) -> WriteResult:
        """Store the shapes in ``text`` as policy ``name``.

        From then on every write is checked against it as well; run ``validate`` to see
        where what is already recorded stands.

        :raises InputError: if the text does not parse or is not SHACL.
        :raises ConflictError: if a policy of that name exists.
        """
        from claimledger.validation.shapes import ShapeSet, parse_shapes

        led = self.ledger
        node = led.iri("policy", name, argument="NAME")
        graph = parse_shapes(text, name=name)
        ShapeSet([(name, text)])  # refuses SHACL-SPARQL that claimledger cannot run
        with led.transaction("policy add", {"name": name, "shapes": len(graph)}, reason=reason) as tx:
            if tx.view.exists(node):
                raise ConflictError(f"policy {name!r} already exists (remove it first)",
                                    argument="NAME")
            tx.add(node, V.TYPE, V.POLICY)
            tx.add(node, V.SHAPES, Literal(text))
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            tx.invalidates_shapes = True
        return tx.result

    def remove(self, name: str, *, reason: str | None = None) -> WriteResult:
        """Stop enforcing policy ``name`` (its text stays in the audit trail)."""
        led = self.ledger
        node = led.resolve("policy", name, argument="NAME")
        with led.transaction("policy remove", {"name": name}, reason=reason) as tx:
            for t in tx.view.describe(node):
                tx.remove(t.subject, t.predicate, t.object)
            tx.invalidates_shapes = True
        return tx.result

    def list(self) -> list[PolicyRecord]:
        led = self.ledger
        out = []
        for name, text in self.texts():
            node = NamedNode(f"{led.base}policy/{name}")
            by = led.store.triples(node, V.WAS_ATTRIBUTED_TO, None)
            at = led.store.triples(node, V.GENERATED_AT_TIME, None)
            by_t = next(by, None)
            at_t = next(at, None)
            count = len(_named_shapes(text, name))
            out.append(PolicyRecord(name, count, led.compact(by_t.object) if by_t else None,
                                    at_t.object.value if at_t else None))
        return out


def check_imported(ledger: LedgerCore, statements, file_name: str) -> bool:
    """Check the policies an import brings (``(node, object)`` pairs of its ``cl:shapes``
    triples) as ``policy add`` would, so that an imported policy can never leave the ledger
    with rules it cannot load. Returns whether there were any (the shapes must be reloaded).

    :raises InputError: if a policy's text is not a literal, does not parse, is not SHACL,
        or clashes with a policy of the same name already in the ledger.
    """
    from claimledger.validation.shapes import ShapeSet

    statements = list(statements)
    if not statements:
        return False
    existing = dict(ledger.policy_texts())
    new: list[tuple[str, str]] = []
    for node, text in statements:
        name = ledger.slug(node) if isinstance(node, NamedNode) else str(node)
        if not isinstance(text, Literal):
            raise InputError(f"{file_name!r}: the policy {name!r} has shapes that are not a "
                             "Turtle text literal", argument="FILE")
        if name in existing and existing[name] != text.value:
            raise InputError(f"{file_name!r} brings a policy {name!r}, but the ledger already "
                             "has a different policy of that name (remove it first)",
                             argument="FILE")
        try:
            ShapeSet([(name, text.value)])
        except InputError as exc:
            raise InputError(f"{file_name!r} brings a policy that cannot be enforced: {exc}",
                             argument="FILE") from None
        new.append((name, text.value))
    ShapeSet.builtin([*existing.items(), *new])  # and together with the rules in force
    return True
