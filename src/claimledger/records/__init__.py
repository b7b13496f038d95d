"""The things a ledger records, one module each: claims and verdicts (:mod:`.claims`), sources
(:mod:`.sources`), evidence (:mod:`.evidence`), policies (:mod:`.policies`), prefixes
(:mod:`.prefixes`). Each builds on the core's write path and knows nothing of the others'
internals."""
