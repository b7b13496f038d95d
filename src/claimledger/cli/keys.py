"""``key``, ``bundle`` and ``verify-bundle``: signing keys, signed bundles, and checking a
signed file with no ledger."""

from __future__ import annotations

import sys

import click

from claimledger import render
from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_json, emit_write


@click.group()
def key():
    """Signing keys: make one, record one, list them, revoke one, require signed writes.

    Your writes are signed whenever your key is found: CLAIMLEDGER_KEY names its private key
    file, else it is looked for by its id in the key directory (CLAIMLEDGER_KEY_DIR, default
    ~/.config/claimledger/keys). Private keys never enter the ledger.
    """


def _added(ledger, added, fmt: str, verb: str) -> None:
    what = f"{verb} {added.algorithm} key {added.key_id} for {ledger.slug(added.agent)}"
    if added.replaced:
        what += f", replacing {', '.join(added.replaced)}"
    if fmt == "json":
        data = render.write_data(ledger, added.result, what)
        data.update({"key": added.key_id, "algorithm": added.algorithm,
                     "public_key": added.public.base64, "replaces": added.replaced,
                     "private_key_file": str(added.private_file) if added.private_file else None,
                     "public_key_file": str(added.public_file) if added.public_file else None})
        emit_json(data)
        return
    emit_write(ledger, added.result, fmt, what)
    if added.private_file is not None:
        click.echo(f"  private key: {added.private_file} (mode 0600: yours alone, outside the "
                   "ledger)")
        click.echo(f"  public key:  {added.public_file} (give it to whoever checks your work)")


@key.command("create")
@click.option("--algorithm", type=click.Choice(["ed25519", "rsa"]), default="ed25519",
              show_default=True,
              help="ed25519 signs your writes and bundles; rsa signs nanopublications.")
@click.option("--server", is_flag=True,
              help="The key of a server that signs its web page's writes for its users.")
@writing
@format_option("text", "json")
def key_create(ledger, algorithm, server, reason, fmt):
    """Make a key pair for the agent: the private key in an owner-only file in the key
    directory, the public key recorded in the ledger as the agent's.

    A key change (a new key when you hold one) is itself a write signed with your current
    key, which it replaces.

    \b
    Example:
      claimledger key create --agent jdoe
      claimledger key create --agent jdoe --algorithm rsa
    """
    from claimledger.records.keys import create_key
    from claimledger.signing.keys import ED25519, RSA

    added = create_key(ledger, algorithm=ED25519 if algorithm == "ed25519" else RSA,
                       server=server, reason=reason)
    _added(ledger, added, fmt, "created")


@key.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--server", is_flag=True, help="A server's key (see key create --server).")
@writing
@format_option("text", "json")
def key_add(ledger, file, server, reason, fmt):
    """Record the public key of an existing private key FILE as the agent's.

    \b
    Example:
      claimledger key add ~/.config/claimledger/keys/3f2a….key --agent jdoe
    """
    from claimledger.records.keys import add_key

    _added(ledger, add_key(ledger, file, server=server, reason=reason), fmt, "recorded")


@key.command("list")
@reading
@format_option("text", "json")
def key_list(ledger, fmt):
    """List the keys the ledger records: whose, since and until when, and whether the private
    key is in your key directory.

    \b
    Example:
      claimledger key list
    """
    from claimledger.records.keys import list_keys

    rows = [{"key": k.record.key_id, "agent": ledger.slug(k.record.agent),
             "algorithm": k.record.algorithm, "server": k.record.server,
             "added": k.record.added, "revoked": k.record.revoked,
             "private_key_here": k.private_here}
            for k in list_keys(ledger)]
    if fmt == "json":
        emit_json(rows)
        return
    table = [[r["key"], r["agent"], r["algorithm"] + (" (server)" if r["server"] else ""),
              r["added"] or "", r["revoked"] or "", "yes" if r["private_key_here"] else ""]
             for r in rows]
    click.echo(render.table(["key", "agent", "algorithm", "added", "revoked", "private key here"],
                            table), nl=False)


@key.command("revoke")
@click.argument("key_id", metavar="KEY")
@writing(reason_required=True, reason_help="Why the key is revoked.")
@format_option("text", "json")
def key_revoke(ledger, key_id, reason, fmt):
    """Revoke one of your keys: from this write on it signs nothing (a write signed with it
    later fails verify). The write is signed with your key.

    \b
    Example:
      claimledger key revoke 3f2a… --reason "laptop stolen"
    """
    from claimledger.records.keys import revoke_key

    emit_write(ledger, revoke_key(ledger, key_id, reason=reason), fmt, f"revoked key {key_id}")


@key.command("require-signing")
@click.option("--off", is_flag=True, help="Stop requiring it.")
@writing
@format_option("text", "json")
def key_require(ledger, off, reason, fmt):
    """Make every later write to this ledger need a signature (verify then fails on an
    unsigned one); --off stops it. The write itself is signed.

    \b
    Example:
      claimledger key require-signing --reason "desk policy"
    """
    from claimledger.records.keys import require_signing

    result = require_signing(ledger, not off, reason=reason)
    emit_write(ledger, result, fmt, "signed writes are " + ("no longer required" if off
                                                             else "required from now on"))


@click.command()
@click.argument("claim")
@click.option("--agent", default=None, help="Who signs [env: CLAIMLEDGER_AGENT].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@reading
@format_option("trig", "nquads", default="trig")
def bundle(ledger, claim, agent, output, fmt):
    """Write CLAIM with its evidence and sources as a signed bundle (TriG) that a reader checks
    with verify-bundle and your public key alone.

    Canonicalised with RDF Dataset Canonicalization (RDFC-1.0) and signed with your Ed25519
    key; the signature covers every quad of the file but itself.

    \b
    Example:
      claimledger bundle kunduz-cooperation --agent jdoe -o kunduz.trig
    """
    from claimledger.interchange.bundle import bundle_to_file, write_bundle

    if output:
        bundle_to_file(ledger, claim, output, agent=agent, fmt=fmt)
    else:
        stream = click.get_binary_stream("stdout")
        write_bundle(ledger, claim, stream, agent=agent, fmt=fmt)
        stream.flush()


@click.command("verify-bundle")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--key", "keys", multiple=True, type=click.Path(dir_okay=False), metavar="PUB",
              help="A public key file you trust (PEM or base64 lines); may be repeated.")
@click.option("--known-keys", type=click.Path(dir_okay=False), default=None,
              help="A file of public keys you trust [env: CLAIMLEDGER_KNOWN_KEYS].")
@format_option("text", "json")
def verify_bundle(file, keys, known_keys, fmt):
    """Check a signed bundle, or a file of signed nanopublications, on its own — no ledger.

    Exit 0 when every signature verifies with a key you trust; 1, naming what failed,
    otherwise.

    \b
    Example:
      claimledger verify-bundle kunduz.trig --key jdoe.pub
    """
    from claimledger.signing.files import check_file
    from claimledger.signing.trust import TrustAnchors

    checks = check_file(file, TrustAnchors.load(keys, known_keys))
    failed = [c for c in checks if not c.ok]
    if fmt == "json":
        emit_json({"ok": not failed, "checked": [
            {"kind": c.kind, "subject": c.subject, "signer": c.signer, "key": c.key_id,
             "ok": c.ok, "problems": c.problems, **c.details} for c in checks]})
    else:
        for c in checks:
            who = f"signed by {c.signer or 'an unnamed signer'} with key {c.key_id}"
            if c.ok:
                extra = "".join(f"; {k} {v}" for k, v in c.details.items())
                click.echo(f"ok: {c.kind} {c.subject}, {who}{extra}")
            else:
                click.echo(f"FAILED: {c.kind} {c.subject or ''}", err=True)
                for p in c.problems:
                    click.echo(f"  {p}", err=True)
    if failed:
        sys.exit(1)
