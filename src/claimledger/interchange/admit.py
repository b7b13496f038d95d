"""What an import may add to a ledger, shared by both import paths (the ordinary write and the
bulk path)."""

from __future__ import annotations

import re

#: Named graphs of a claimledger export's audit trail (``<base>audit``,
#: ``<base>event/N/added``, ``<base>event/N/removed``): an import leaves them out.
EXPORTED_AUDIT_GRAPH = re.compile(r"(audit|event/\d+/(added|removed))$")
