"""Capturing sources, below the ledger: :mod:`.fetch` downloads a page under the sources
policy, :mod:`.extract` takes its readable text, :mod:`.snapshots` keeps both as files (WARC
and text) and checks them, :mod:`.anchors` finds a quote in a text. Nothing here knows the
ledger's records: :mod:`claimledger.records.snapshots` and :mod:`claimledger.records.quotes`
record what these produce."""
