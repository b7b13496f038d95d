"""Generated attacks on claimledger, for ``benchmarks/torture.py`` and the hostile-input tests.

Each generator draws from a ``random.Random`` so that a seed replays a run, and explores far
more than a list of known strings could:

* :func:`service_query` — SPARQL that tries to reach a SPARQL endpoint: ``SERVICE`` in every
  syntactic position (a group, OPTIONAL, MINUS, UNION, GRAPH, a sub-select, EXISTS and NOT
  EXISTS, CONSTRUCT / ASK / DESCRIBE), spelt in every way an engine may read it (any case,
  SILENT, glued to its name, a prefixed name the engine splits, a variable bound from data),
  hidden among comments holding quotes, strings of every kind, IRIs, FILTERs without
  spaces around ``<`` and ``>``, codepoint escapes — and the same words as mere text, which
  must run. Every target is on 127.0.0.1 (a listener the caller starts).
* :func:`service_policy` — the same queries inside a policy: a SHACL-SPARQL constraint or a
  SPARQL-based constraint component, with prefixes declared raw or hostile.
* :func:`reserved_import` — files aimed at what only claimledger writes: the audit graph, an
  event's graphs (existing and new), other named graphs, the ledger node, events in the
  default graph, reserved classes and properties, the vocabulary — in N-Quads, TriG,
  Turtle and JSON-LD.
* :func:`link_targets` — every file and directory a ledger creates, where a symbolic link
  can be planted.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

CL = "https://w3id.org/claimledger#"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Attack:
    """One generated attack: its text, and whether it names SERVICE as code (then it must be
    refused); otherwise SERVICE is only text and the query may run."""

    text: str
    live: bool
    label: str


# -- SPARQL ------------------------------------------------------------------------------------

_WS = [" ", "  ", "\t", "\n", "\r\n", "\r", " \n\t "]


def _ws(rng: random.Random) -> str:
    return rng.choice(_WS)


def _comment(rng: random.Random) -> str:
    """A comment line holding what confuses a naive check: quotes, brackets, braces."""
    body = "".join(rng.choice(['"""', "'''", '"', "'", "<", ">", "{", "}", "#", " SERVICE ",
                               "\\", "\\u0022", "x"]) for _ in range(rng.randint(0, 5)))
    return "#" + body + rng.choice(["\n", "\r", "\r\n"])


_NOISE = ['BIND("""a " b "" c""" AS ?n{i}) ', "BIND('''x '' y''' AS ?n{i}) ",
          'BIND("# not a comment" AS ?n{i}) ', "BIND('\\'' AS ?n{i}) ",
          "BIND(<http://e.org/a#b> AS ?n{i}) ", "FILTER(1<2) ", "FILTER(2>1) ",
          "BIND(1 AS ?a{i}) BIND(2 AS ?b{i}) FILTER(?a{i}<?b{i}) ", 'BIND("\\u00e9" AS ?n{i}) ']


def _noise(rng: random.Random) -> str:
    """Inert SPARQL before or after the attack: comments, strings, IRIs, spaceless FILTERs."""
    return "".join(_comment(rng) if rng.random() < 0.3 else
                   rng.choice(_NOISE).format(i=rng.randrange(10 ** 9))
                   for _ in range(rng.randint(0, 3)))


def _target(rng: random.Random, url: str, n: int) -> tuple[str, str]:
    """``(prologue, service clause)`` for one way of naming the endpoint at ``url``."""
    kw = rng.choice(["SERVICE", "service", "Service", "SeRvIcE"])
    silent = rng.choice(["", f"{_ws(rng)}SILENT", f"{_ws(rng)}silent"])
    how = rng.randrange(9)
    if how == 0:
        return "", f"{kw}{silent}{_ws(rng)}<{url}q{n}>"
    if how == 1:  # glued to its IRI
        return "", f"{kw}{silent.strip()}<{url}q{n}>"
    if how == 2:  # a variable bound from VALUES
        return "", f"VALUES ?svc {{ <{url}q{n}> }} {kw}{silent}{_ws(rng)}?svc"
    if how == 3:  # a variable built from ledger data
        return "", (f"?c a <{CL}Claim> ; <http://schema.org/text> ?t . BIND(IRI(CONCAT(\"{url}\", "
                    f"ENCODE_FOR_URI(STR(?t)))) AS ?svc) {kw}{silent} ?svc")
    if how == 4:  # a prefixed name the engine reads as SERVICE + name
        return f"PREFIX : <{url}>\n", f"{kw}{silent.strip()}:x{n}"
    if how == 5:
        return f"PREFIX p{n}: <{url}>\n", f"{kw}{silent.strip()}p{n}:x"
    if how == 6:  # a comment between the keyword and its name
        return "", f"{kw}{_comment(rng)}<{url}q{n}>"
    if how == 7:  # an unbound variable
        return "", f"{kw}{silent}{_ws(rng)}?unbound{n}"
    return "", f"{kw}{silent}{_ws(rng)}$svc2 VALUES $svc2 {{ <{url}q{n}> }}"


def _place(rng: random.Random, clause: str) -> tuple[str, str]:
    """``(query form head, WHERE body)`` with ``clause`` in one syntactic position."""
    inner = f"{clause} {{ ?s ?p ?o }}"
    body = rng.choice([
        "{inner}", "OPTIONAL {{ {inner} }}", "MINUS {{ {inner} }}",
        "{{ {inner} }} UNION {{ ?a ?b ?c }}", "{{ ?a ?b ?c }} UNION {{ {inner} }}",
        "GRAPH ?g {{ {inner} }}", "{{ SELECT * WHERE {{ {inner} }} }}",
        "FILTER EXISTS {{ {inner} }}", "FILTER NOT EXISTS {{ {inner} }}", "{{ {{ {inner} }} }}",
        "?x ?y ?z . {inner}", "BIND(1 AS ?one) {inner}",
    ]).format(inner=inner)
    head = rng.choice(["SELECT *", "select distinct *", "ASK", "CONSTRUCT { ?s ?p ?o }",
                       "DESCRIBE ?s", "SELECT (COUNT(*) AS ?n)"])
    return head, body


def service_query(rng: random.Random, url: str, n: int = 0) -> Attack:
    """A query that names SERVICE (``live``) or only has the word as text (not ``live``)."""
    prologue, clause = _target(rng, url, n)
    live = rng.random() < 0.7
    if not live:  # the same words, only as text: a string, an IRI, a comment, a name
        how = rng.randrange(6)
        flat = " ".join(clause.replace('"', "").replace("'", "").replace("\\", "").split())
        clause = [f'BIND("{flat}" AS ?lit)',
                  f"BIND('''{clause.replace(chr(39), '').replace(chr(92), '')}''' AS ?lit)",
                  f"BIND(<http://e.org/SERVICE/{n}> AS ?iri)",
                  f"# {clause.replace(chr(10), ' ').replace(chr(13), ' ')}\n",
                  f"?service <{CL}none> $SERVICE .", f"?s <{CL}x> _:service{n} ."][how]
        inner = clause
        head, body = rng.choice(["SELECT *", "ASK"]), f"{_noise(rng)}{inner} {_noise(rng)}"
        return Attack(f"{prologue}{head} WHERE {{ {body} }}", False, "service-as-text")
    head, body = _place(rng, clause)
    text = f"{prologue}{_noise(rng)}{head} WHERE {{ {_noise(rng)}{body} {_noise(rng)}}}"
    if rng.random() < 0.15:  # the keyword written as a codepoint escape: refused as such
        text = text.replace("SERVICE", "\\u0053ERVICE", 1).replace("service", "\\u0073ervice", 1)
    return Attack(text, True, "service")


def service_policy(rng: random.Random, url: str, n: int = 0) -> Attack:
    """A policy whose SPARQL names SERVICE (or only the word), as a Turtle file."""
    attack = service_query(rng, url, n)
    where = attack.text.split("WHERE", 1)[1] if "WHERE" in attack.text else "{ }"
    prologue = attack.text.split("SELECT", 1)[0] if attack.text.startswith("PREFIX") else ""
    declare = ""
    if prologue:  # the query's own prefix, declared for the constraint with sh:declare
        name, ns = prologue.split()[1].rstrip(":"), prologue.split("<", 1)[1].split(">", 1)[0]
        declare = f'<urn:pol{n}:o> sh:declare [ sh:prefix "{name}" ; sh:namespace "{ns}"^^<{XSD}anyURI> ] .\n'
    elif rng.random() < 0.2:  # a namespace that carries SPARQL of its own
        declare = (f'<urn:pol{n}:o> sh:declare [ sh:prefix "x" ; sh:namespace '
                   f'{json.dumps("urn:x> SELECT $this WHERE { SERVICE <" + url + "> { } } #")} ] .\n')
    select = "SELECT $this WHERE { $this ?anyp ?anyo . " + where.strip()[1:]
    literal = json.dumps(select)
    # Info: a policy that is added (one naming SERVICE only as text) runs on every later
    # write and reports, but never refuses one.
    shape = (f"@prefix sh: <{SH}> .\n{declare}"
             f"<urn:pol{n}:S> a sh:NodeShape ; sh:targetClass <{CL}Claim> ; sh:severity sh:Info ;\n")
    if rng.random() < 0.7:
        text = shape + f'  sh:sparql [ sh:message "m" ; sh:prefixes <urn:pol{n}:o> ; sh:select {literal} ] .\n'
    else:  # a SPARQL-based constraint component: pyshacl (rdflib) would run it
        ask = "ASK { " + where.strip()[1:]
        text = (shape + f"  <urn:pol{n}:param> true .\n"
                f"<urn:pol{n}:C> a sh:ConstraintComponent ; sh:parameter [ sh:path <urn:pol{n}:param> ] ;\n"
                f"  sh:validator [ a sh:SPARQLAskValidator ; sh:prefixes <urn:pol{n}:o> ; sh:ask {json.dumps(ask)} ] .\n")
    return Attack(text, attack.live, "policy-" + attack.label)


# -- imports aimed at what only claimledger writes ----------------------------------------------

def reserved_import(rng: random.Random, base: str, events: int, n: int = 0) -> tuple[str, bytes]:
    """``(file extension, content)``: a file with one or a few quads aimed at the ledger's
    own graphs or node, among ordinary ones."""
    ledger = f"<{base}>"
    ev = rng.randint(1, max(1, events))
    graph = rng.choice([
        f"<{base}audit>", f"<{base}event/{ev}/added>", f"<{base}event/{ev}/removed>",
        f"<{base}event/{events + rng.randint(1, 5)}/added>", "<https://e.org/graph>",
        f"<{base}>", f"<{base}event/{ev}>", "",
    ])
    subject = rng.choice([ledger, f"<{base}event/{ev}>", f"<{base}audit>", f"<{base}prefix/ex>",
                          f"<{CL}Claim>", f"<{CL}status>", "<https://e.org/s>"])
    predicate, obj = rng.choice([
        (f"<{CL}head>", f"<{base}event/{events + 7}>"), (f"<{CL}hash>", '"' + "0" * 64 + '"'),
        (f"<{CL}sequence>", f'"{ev}"^^<{XSD}integer>'), (f"<{CL}formatVersion>", f'"2"^^<{XSD}integer>'),
        (f"<{SH}declare>", f"<{base}prefix/cl>"), (f"<{RDF_TYPE}>", f"<{CL}Ledger>"),
        (f"<{RDF_TYPE}>", f"<{CL}Event>"), (f"<{CL}previousEvent>", f"<{base}event/{ev}>"),
        (f"<{CL}addedGraph>", f"<{base}event/{ev}/added>"), ("<https://e.org/p>", ledger),
        (f"<{CL}shapes>", '"x"'), (f"<{RDF_TYPE}>", f"<{CL}Snapshot>"),
    ])
    ordinary = f"<https://e.org/ok{n}> <https://e.org/label> \"ordinary {n}\" ."
    hostile = f"{subject} {predicate} {obj} {graph} ." if graph else f"{subject} {predicate} {obj} ."
    lines = [ordinary, hostile]
    if rng.random() < 0.3:  # dress it up as an export: a ledger node of the same base
        lines.append(f"{ledger} <{RDF_TYPE}> <{CL}Ledger> .")
    rng.shuffle(lines)
    form = rng.choice(["nq", "nq", "trig", "jsonld"]) if graph else rng.choice(["nq", "ttl", "jsonld"])
    if form == "trig":
        body = []
        for line in lines:
            parts = line[:-2].split(" ")
            if len(parts) == 4:
                body.append(f"{parts[3]} {{ {' '.join(parts[:3])} . }}")
            else:
                body.append(line)
        return ".trig", ("\n".join(body) + "\n").encode()
    if form == "jsonld":
        import pyoxigraph as ox

        data = ox.serialize(list(ox.parse("\n".join(lines).encode(), ox.RdfFormat.N_QUADS)),
                            format=ox.RdfFormat.JSON_LD)
        return ".jsonld", data
    return f".{form}", ("\n".join(lines) + "\n").encode()


# -- a listener that must hear nothing -----------------------------------------------------------

class Listener:
    """A real HTTP server on 127.0.0.1 (a free port) that counts every connection and request
    made to it: what claimledger must never reach."""

    def __init__(self) -> None:
        import http.server
        import threading

        outer = self
        self.connections = 0
        self.requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def setup(self) -> None:
                outer.connections += 1
                super().setup()

            def _answer(self) -> None:
                outer.requests.append(f"{self.command} {self.path}")
                body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def reached(self) -> int:
        """Connections and requests received (what must stay 0)."""
        return self.connections + len(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- links ------------------------------------------------------------------------------------

#: Files a ledger directory holds (or a command creates in it), where a link can be planted.
LEDGER_FILES = ("claimledger.lock", "claimledger.queue", "CURRENT", "CURRENT.tmp", ".CURRENT.tmp")
#: Files of the store directory (RocksDB's own), checked for links when a store is opened.
STORE_FILES = ("LOG", "LOCK", "IDENTITY")


def link_targets(rng: random.Random) -> tuple[str, str]:
    """``(where, name)``: ``where`` is ``ledger`` (in the ledger directory), ``store`` (in its
    store directory), ``store-dir`` (the store directory itself) or ``output`` (next to an
    export's output), ``name`` the entry to replace by a link."""
    where = rng.choice(["ledger", "ledger", "store", "store-dir", "output"])
    if where == "ledger":
        return where, rng.choice(LEDGER_FILES + ("store-planted", "store-scratch-0000"))
    if where == "store":
        return where, rng.choice(STORE_FILES)
    if where == "store-dir":
        return where, "store"
    return where, rng.choice(["OUT", "OUT.part", ".OUT.tmp"])
