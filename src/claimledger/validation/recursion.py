"""Recursive shapes: refused.

A shape is recursive when it refers to itself through its shape-expecting parameters
(``sh:node``, ``sh:property``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``,
``sh:qualifiedValueShape``; SHACL 3.4.3). SHACL leaves their validation undefined; the
compiler cannot inline them, and pyshacl, the fallback, stops following them and lets invalid
data through (a chain of five ``sh:node`` steps ending in a violation conforms). So claimledger
refuses them, naming the cycle.
"""

from __future__ import annotations

from rdflib import SH, URIRef

from claimledger.errors import InputError
from claimledger.validation.support import shape_name as _name
from claimledger.validation.support import term_key as _key

_QUALIFIED = {SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent}


def refuse_recursion(shapes) -> None:
    """:raises InputError: if a shape of ``shapes`` (a :class:`~.definitions.ShapesGraph`)
    is recursive."""
    refs: dict = {}
    for shape in shapes.shapes.values():
        out = set(shape.properties)
        for c in shape.constraints:
            if c.parameter in (SH.node, SH["not"]):
                out.add(c.value)
            elif c.parameter in (SH["and"], SH["or"], SH.xone) or c.component in _QUALIFIED:
                out.update(c.members)
        refs[shape.node] = out
    state: dict = {}

    def visit(node, trail: list) -> None:
        state[node] = 1
        for nxt in sorted(refs.get(node, ()), key=_key):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                names = " → ".join(_name(n) if isinstance(n, URIRef) else "a blank node shape"
                                   for n in cycle)
                raise InputError(
                    f"shapes {shapes.name!r} are recursive ({names}): SHACL leaves the "
                    "validation of recursive shapes undefined, and claimledger refuses them")
            if state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(refs, key=_key):
        if state.get(node) is None:
            visit(node, [node])
