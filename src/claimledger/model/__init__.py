"""The data model: the vocabulary (:mod:`~claimledger.model.vocab`) and user input turned into
RDF terms (:mod:`~claimledger.model.terms`)."""
