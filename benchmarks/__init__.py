"""The benchmark harness and its data generators, importable as ``benchmarks`` (the tests use
them; run them as scripts: ``python benchmarks/run.py``, ``python benchmarks/torture.py``)."""
