"""Reading a ledger: packaged reports (:mod:`.reports`), users' own SPARQL (:mod:`.user`), and
the audit trail read back as a log and as a claim's history (:mod:`.history`)."""
