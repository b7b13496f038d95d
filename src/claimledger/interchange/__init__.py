"""Moving ledgers in and out: RDF import and export (:mod:`.rdf`), the bulk path for large
files (:mod:`.bulk`), and what an import may add (:mod:`.admit`)."""

from claimledger.interchange.rdf import (
    EXPORT_FORMATS,
    IMPORT_EXTENSIONS,
    IMPORT_FORMATS,
    MAX_IMPORT_BYTES,
    check_file,
    export,
    import_file,
    read_file,
)

__all__ = ["EXPORT_FORMATS", "IMPORT_EXTENSIONS", "IMPORT_FORMATS", "MAX_IMPORT_BYTES",
           "check_file", "export", "import_file", "read_file"]
