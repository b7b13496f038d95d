"""The rules that derive what a ledger knows: corroboration (:mod:`.corroboration`), the
confidence its sourcing allows (:mod:`.confidence`), and re-deriving every claim at once
(:mod:`.rederive`)."""
