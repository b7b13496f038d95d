"""What an import may add to a ledger, shared by both import paths (the ordinary write and the
bulk path)."""

from __future__ import annotations

import re

import pyoxigraph as ox

from claimledger.errors import InputError
from claimledger.model import literals

#: Named graphs of a claimledger export's audit trail (``<base>audit``,
#: ``<base>event/N/added``, ``<base>event/N/removed``): an import leaves them out.
EXPORTED_AUDIT_GRAPH = re.compile(r"(audit|event/\d+/(added|removed))$")


def canonical_object(quad: ox.Quad, name: str):
    """The quad's object in claimledger's canonical form (:mod:`claimledger.model.literals`).

    :raises InputError: naming the file and the quad, for a literal not valid for its
        datatype or of a datatype claimledger does not take.
    """
    try:
        return literals.canonical(quad.object)
    except literals.LexicalError as exc:
        raise InputError(f"{name!r}: {exc}, in {quad.triple} .", argument="FILE") from None
