"""Network access, in one place: :mod:`.http` owns the requests session every HTTP request
goes through (source capture now, the remote SPARQL store next), with a policy per use;
:mod:`.addresses` decides which addresses a request may reach; :mod:`.connection` is the
urllib3 plumbing that applies it to the socket actually connected; :mod:`.credentials`
reads HTTP credentials from the environment or a netrc-style file; :mod:`.errors` holds the
error every failure becomes."""
