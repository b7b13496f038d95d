"""The core: naming (:mod:`.naming`), the state a write sees (:mod:`.view`), the facts the
rules read (:mod:`.facts`), the write path (:mod:`.transaction`) and the ledger itself
(:mod:`.ledger`). Record types build on it; it knows none of them."""
