"""The web layer's own pieces: users and tokens, the server's settings, the origin picture."""

from __future__ import annotations

import os

import pytest

from claimledger.errors import ConflictError, InputError
from claimledger.web import svg
from claimledger.web.config import WebConfig, parse_bind
from claimledger.web.origins import origin_tree
from claimledger.web.users import add_user, authenticate, find_user, list_users


def test_users_tokens_and_roles(tmp_path):
    token_file = tmp_path / "alice.token"
    user, token = add_user(tmp_path, "alice", token_file=token_file)
    assert user.can_write and token_file.read_text().strip() == token
    assert authenticate(tmp_path, token) == user
    for wrong in ("", "alice", "alice:", token[:-1], "bob:" + token.split(":", 1)[1],
                  "../alice:x", token + "x"):
        assert authenticate(tmp_path, wrong) is None, wrong
    reader, _ = add_user(tmp_path, "bob", role="reader")
    assert not reader.can_write and find_user(tmp_path, "bob") == reader
    assert [u.name for u in list_users(tmp_path)] == ["alice", "bob"]
    with pytest.raises(ConflictError):
        add_user(tmp_path, "alice")
    with pytest.raises(InputError):
        add_user(tmp_path, "../evil")
    with pytest.raises(InputError):
        add_user(tmp_path, "carol", role="admin")
    assert token not in (tmp_path / "users" / "alice.json").read_text()


def test_a_planted_link_is_refused_not_followed(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    os.symlink(target, tmp_path / "carol.token")
    with pytest.raises(InputError):
        add_user(tmp_path, "carol", token_file=tmp_path / "carol.token")
    assert target.read_text() == "keep" and find_user(tmp_path, "carol") is None


def test_settings_that_would_let_the_wrong_people_write(tmp_path):
    assert parse_bind("0.0.0.0:80") == ("0.0.0.0", 80)
    for bad in ("8080", "host:80", ":80", "127.0.0.1:99999", "127.0.0.1:x"):
        with pytest.raises(InputError):
            parse_bind(bad)
    with pytest.raises(InputError, match="--bind"):
        WebConfig(tmp_path, host="0.0.0.0", agent="jdoe").check()
    with pytest.raises(InputError):
        WebConfig(tmp_path, agent="jdoe", desk=True).check()
    with pytest.raises(InputError):
        WebConfig(tmp_path, user_header="X-User").check()
    assert WebConfig(tmp_path, host="0.0.0.0", desk=True).check().mode == "desk"
    assert WebConfig(tmp_path).hosts() == ("localhost", "127.0.0.1", "::1")


def test_the_origin_picture_tells_independent_lines_apart(ledger):
    ledger.sources.add("wire", title="Wire <b>", reliability="B")
    ledger.sources.add("b", title="B", derived_from=["wire"])
    ledger.sources.add("c", title="C", derived_from=["wire"])
    ledger.sources.add("d", title="D", reliability="C")
    ledger.sources.add("e", title="E", reliability="A")
    ledger.claims.add("x", subject="ex:a", predicate="ex:b", object="ex:c", text="x")
    for source in ("b", "c", "d"):
        ledger.evidence.add("x", source, stance="supports", locator="p. 1")
    ledger.evidence.add("x", "e", stance="contradicts", locator="p. 2")
    ledger.evidence.retract("x-3", reason="misread")
    tree = origin_tree(ledger, ledger.claims.get("x"))
    assert tree.groups == [["wire"]]  # b and c run into one origin; d no longer counts
    assert tree.nodes["wire"].origin and tree.nodes["wire"].group == 0
    assert not tree.nodes["ev:x-3"].counts and tree.nodes["ev:x-4"].stance == "contradicts"
    kinds = sorted((e.start, e.end, e.kind) for e in tree.edges)
    assert ("b", "wire", "derived from") in kinds and ("ev:x-1", "b", "found in") in kinds
    assert tree.nodes["wire"].layer > tree.nodes["b"].layer > tree.nodes["ev:x-1"].layer
    drawn = str(svg.render(tree))
    assert "Wire &lt;b&gt;" in drawn and "Wire <b>" not in drawn
    assert 'stroke-dasharray="5 4"' in drawn and svg.CONTRA in drawn
