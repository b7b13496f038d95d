"""``claimledger serve``: the web page for the desk — a second face over the same library.

Server-rendered pages (Flask, Jinja2, waitress) that read and record through exactly the
functions the CLI calls: the claims list and a claim with the picture of its origins, sources,
reports with downloads, the write forms, a read-only SPARQL endpoint. See :mod:`.app` for the
application, :mod:`.config` for the modes (local, desk, read-only), :mod:`.users` for the
desk's users. Importing this package imports no web framework; :mod:`.app` does.
"""
