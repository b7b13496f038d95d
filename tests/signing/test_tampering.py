"""Tampering by whoever controls the store, each found by ``verify``: a changed literal in a
signed claim, a removed piece of evidence, a signature moved to another event, a key swapped
in, a revoked key used later, signatures stripped, the newest events cut off — even when the
administrator recomputes every hash of the audit trail, which needs no key."""

from __future__ import annotations

import json

import pytest
from forgery import Admin, event_of, keydir  # noqa: F401  (keydir: a fixture)
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from claimledger import audit
from claimledger.audit import verify
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.signing import generate, read_private_key
from claimledger.signing.registry import key_iri, record_triples
from claimledger.store import MemoryStore
from conftest import BASE

TEXT = "Group A freed prisoners held by group B"
AGENT = NamedNode(BASE + "agent/tester")


@pytest.fixture
def signed(run, keydir):
    """A ledger whose agent ``tester`` signs: a key, a source, a claim and its evidence."""
    key = json.loads(run.ok("key", "create", "--format", "json").stdout)["key"]
    run.ok("source", "add", "wsj", "--title", "WSJ report", "--reliability", "B")
    run.ok("source", "add", "ap", "--title", "AP report", "--reliability", "B")
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    run.ok("evidence", "add", "freed", "wsj", "--supports", "--quote", "freed prisoners")
    run.ok("evidence", "add", "freed", "ap", "--supports", "--quote", "released prisoners")
    assert run("verify").exit_code == 0
    return key


def _problems(run, *args) -> list[str]:
    result = run("verify", "--format", "json", *args)
    data = json.loads(result.stdout)
    assert (result.exit_code == 1) == bool(data["problems"])
    return data["problems"]


def _pin(keydir, key: str) -> tuple[str, str]:
    return ("--key", str(keydir / f"{key}.pub"))


def test_a_changed_literal_in_a_signed_claim_is_found_even_with_every_hash_recomputed(
        run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    assert admin.replace_literal(Literal(TEXT, language="en"),
                                 Literal(TEXT.replace("freed", "executed"), language="en")) == 2
    admin.rehash()  # the chain is consistent again: only the signature can tell
    problems = _problems(run)
    assert any("claim add" in p and "does not verify" in p for p in problems), problems
    assert not any("hash does not match" in p or "outside claimledger" in p for p in problems)


def test_the_same_forgery_on_an_unsigned_ledger_is_found_only_against_a_published_head(
        run, ledger_dir):
    run.ok("claim", "add", "freed", "--subject", "ex:A", "--predicate", "ex:freed",
           "--object", "ex:B", "--text", TEXT)
    head = json.loads(run.ok("verify", "--format", "json").stdout)["head"]
    admin = Admin(ledger_dir, BASE)
    admin.replace_literal(Literal(TEXT, language="en"),
                                Literal(TEXT.replace("freed", "executed"), language="en"))
    admin.rehash()
    assert _problems(run) == []  # what the hash chain alone cannot see
    assert _problems(run, "--expect", head)


def test_a_removed_piece_of_evidence_is_found(run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    evidence = NamedNode(BASE + "evidence/freed-2")
    gone = [q for q in admin.quads() if q.subject == evidence or q.object == evidence]
    assert gone
    admin.edit(remove=gone)
    admin.rehash()
    problems = _problems(run)
    assert any("evidence add" in p and "does not verify" in p for p in problems), problems


def test_a_removed_piece_of_evidence_on_any_store_is_found_by_the_next_verify(run, signed,
                                                                            ledger_dir):
    """The same check on the in-memory backend: verify reads only through the store contract."""
    memory = MemoryStore()
    with Ledger.open(ledger_dir) as led:
        memory.bulk_add(led.store.quads())
    assert verify(memory, BASE).ok
    evidence = NamedNode(BASE + "evidence/freed-2")
    memory.remove_quads([q for q in memory.quads()
                         if isinstance(q.graph_name, DefaultGraph) and q.subject == evidence])
    report = verify(memory, BASE)
    assert any("outside claimledger" in p and "freed-2" in p for p in report.problems)


def test_a_signature_moved_to_another_event_is_found(run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    graph = audit.audit_graph(BASE)
    first, second = event_of(admin, "evidence add", nth=0), event_of(admin, "evidence add", nth=1)
    theirs = [q for q in admin.quads(graph_name=graph)
              if q.subject == second and q.predicate in V.SIGNATURE_PROPERTIES]
    mine = [q for q in admin.quads(graph_name=graph)
            if q.subject == first and q.predicate in V.SIGNATURE_PROPERTIES]
    admin.edit(remove=theirs, add=[Quad(second, q.predicate, q.object, graph) for q in mine])
    problems = _problems(run)
    assert any(p.startswith("event 8 (evidence add): its signature does not verify")
               for p in problems), problems
    # moved onto an unsigned event instead: it does not verify there either
    admin.edit(remove=[Quad(second, q.predicate, q.object, graph) for q in mine], add=theirs)
    init = audit.event_iri(BASE, 2)
    admin.edit(add=[Quad(init, q.predicate, q.object, graph) for q in mine])
    assert any(p.startswith("event 2 (prefix add)") for p in _problems(run))


def test_signatures_stripped_from_a_key_holders_events_are_found(run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    graph = audit.audit_graph(BASE)
    admin.edit(remove=[q for q in admin.quads(graph_name=graph)
                       if q.predicate in V.SIGNATURE_PROPERTIES])
    problems = _problems(run)
    assert any("unsigned, though tester held key" in p for p in problems), problems
    assert any("changes keys and is unsigned" in p for p in problems)


def test_an_unsigned_event_where_signing_is_required_is_found(run, signed, ledger_dir):
    run.ok("key", "require-signing")
    admin = Admin(ledger_dir, BASE)
    admin.append_event(NamedNode(BASE + "agent/intern"),
                       add=[(NamedNode(BASE + "source/wsj"), V.RELIABILITY, V.Reliability.iri("A"))],
                       remove=[(NamedNode(BASE + "source/wsj"), V.RELIABILITY,
                                V.Reliability.iri("B"))])
    problems = _problems(run)
    assert any("unsigned, but the ledger required signed writes" in p for p in problems), problems


def test_a_key_swapped_in_by_an_appended_event_is_found(run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    mallory = generate()
    iri = key_iri(BASE, mallory.key_id)
    record = record_triples(iri, agent=AGENT, public=mallory.public, server=False,
                            time=Literal("2030-01-01T00:00:00Z", datatype=V.XSD_DATETIME),
                            replaces=None)
    admin.append_event(AGENT, add=[(t.subject, t.predicate, t.object) for t in record],
                       command="key add", signer=mallory)
    admin.append_event(AGENT, add=[(NamedNode(BASE + "source/wsj"), V.LABEL, Literal("x"))],
                       signer=mallory)
    problems = _problems(run)
    assert any("but is not signed with tester's current key" in p and "swapped in" in p
               for p in problems), problems


def test_a_key_swapped_in_the_current_state_is_found(run, signed, ledger_dir):
    admin = Admin(ledger_dir, BASE)
    value = [q for q in admin.quads(graph_name=DefaultGraph()) if q.predicate == V.PUBLIC_KEY_VALUE]
    admin.edit(remove=value, add=[Quad(value[0].subject, V.PUBLIC_KEY_VALUE,
                                       Literal(generate().public.base64), DefaultGraph())])
    problems = _problems(run)
    assert any("changed outside claimledger" in p and "publicKey" in p for p in problems), problems


def test_a_whole_history_rewritten_under_another_key_fails_against_the_pinned_key(
        run, signed, ledger_dir, keydir):
    """The strongest store administrator: every key record, signature and hash rewritten so
    that the forged history is self-consistent under their own key. Only a trust anchor
    outside the ledger tells — the pinned key, or a head hash published elsewhere."""
    head = json.loads(run.ok("verify", "--format", "json").stdout)["head"]
    admin = Admin(ledger_dir, BASE)
    mallory = generate()
    real = read_private_key(keydir / f"{signed}.key").public
    old_iri, new_iri = key_iri(BASE, signed), key_iri(BASE, mallory.key_id)
    swaps = {Literal(real.base64): Literal(mallory.public.base64), Literal(signed):
             Literal(mallory.key_id), old_iri: new_iri}
    changed = [q for q in admin.quads() if q.subject in swaps or q.object in swaps]
    admin.edit(remove=changed, add=[Quad(swaps.get(q.subject, q.subject), q.predicate,
                                         swaps.get(q.object, q.object), q.graph_name)
                                    for q in changed])
    args = [q for q in admin.quads() if q.predicate == V.ARGUMENTS and signed in q.object.value]
    admin.edit(remove=args, add=[Quad(q.subject, q.predicate,
                                      Literal(q.object.value.replace(signed, mallory.key_id)),
                                      q.graph_name) for q in args])
    admin.rehash(resign={AGENT.value: mallory})
    assert _problems(run) == [], "self-consistent without an anchor"
    problems = _problems(run, *_pin(keydir, signed))
    assert any("neither a pinned key nor a key change signed by one vouches" in p
               for p in problems), problems
    assert _problems(run, "--expect", head)


def test_a_revoked_key_used_later_is_found(run, signed, ledger_dir, keydir):
    stolen = read_private_key(keydir / f"{signed}.key")
    run.ok("key", "revoke", signed, "--reason", "laptop stolen")
    admin = Admin(ledger_dir, BASE)
    admin.append_event(AGENT, add=[(NamedNode(BASE + "source/wsj"), V.LABEL, Literal("x"))],
                       signer=stolen)
    problems = _problems(run)
    assert any(f"signed with key {signed} after it was revoked (event 9)" in p
               for p in problems), problems


def test_cutting_off_the_newest_events_is_found_against_a_published_head(run, signed, ledger_dir):
    head = json.loads(run.ok("verify", "--format", "json").stdout)["head"]
    Admin(ledger_dir, BASE).truncate()
    assert _problems(run) == []  # a clean cut leaves a consistent, shorter ledger
    assert _problems(run, "--expect", head)  # the published head is no longer in the chain


def test_pinned_keys_pass_an_untouched_ledger_and_a_foreign_pin_fails_it(run, signed, keydir,
                                                                         tmp_path):
    assert _problems(run, *_pin(keydir, signed)) == []
    other = tmp_path / "other.pub"
    other.write_text(generate().public.pem())
    problems = _problems(run, "--key", str(other))
    assert problems and all("vouches for" in p for p in problems)
    known = tmp_path / "known-keys"
    known.write_text((keydir / f"{signed}.pub").read_text() + other.read_text())
    assert _problems(run, "--known-keys", str(known)) == []
