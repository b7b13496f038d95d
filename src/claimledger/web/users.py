"""The desk's users: who may log in to ``claimledger serve``, and whether they may write.

A user is an agent slug with a role (``editor`` writes, ``reader`` only reads) and the
SHA-256 of a random token. ``claimledger user add NAME`` makes one: it writes the user's
record in ``<ledger>/users/NAME.json`` and hands the token over once, in a token file only
its owner can read. The server never stores the token itself, so a copy of the ledger
directory does not let anyone log in. Users are not ledger data: nothing here goes through the
audit trail — the writes a user makes do, under their name.

Files are created exclusively and without following symbolic links: a planted link is an
error, never a file written elsewhere.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> user, token = add_user(d, "jdoe", role="reader")
>>> authenticate(d, token).role
'reader'
>>> authenticate(d, token + "x") is None
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from claimledger.errors import ConflictError, InputError, LedgerError
from claimledger.model import terms

ROLES = ("editor", "reader")
USERS_DIR = "users"


@dataclass(frozen=True)
class User:
    """Someone who may use the web page: an agent slug and a role."""

    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role == "editor"


def add_user(ledger_dir: str | os.PathLike[str], name: str, *, role: str = "editor",
             token_file: str | os.PathLike[str] | None = None) -> tuple[User, str]:
    """Register ``name`` as a user of the ledger in ``ledger_dir``; return it and its token.

    With ``token_file`` the token is also written there (mode 0600, created exclusively).

    :raises InputError: for a name that is not a slug, an unknown role, or a token file that
        exists or cannot be created.
    :raises ConflictError: if the user exists.
    :raises LedgerError: if the users' directory cannot be written.
    """
    terms.check_slug(name, argument="NAME")
    if role not in ROLES:
        raise InputError(f"{role!r} is not a role (choose one of: {', '.join(ROLES)})",
                         argument="--role")
    folder = Path(ledger_dir) / USERS_DIR
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create {folder}: {exc.strerror}") from None
    if folder.is_symlink() or not folder.is_dir():
        raise LedgerError(f"{folder} is not a directory")
    token = f"{name}:{secrets.token_urlsafe(32)}"
    record = {"name": name, "role": role, "token_sha256": _digest(token),
              "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    if token_file is not None:
        _write_new(Path(token_file), token + "\n", argument="--token-file")
    try:
        _write_new(folder / f"{name}.json", json.dumps(record, indent=1) + "\n",
                   argument="NAME", exists=f"user {name!r} already exists")
    except ConflictError:
        if token_file is not None:
            Path(token_file).unlink(missing_ok=True)
        raise
    return User(name, role), token


def list_users(ledger_dir: str | os.PathLike[str]) -> list[User]:
    """Every registered user, by name."""
    folder = Path(ledger_dir) / USERS_DIR
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        user = _load(folder, path.stem)
        if user is not None:
            out.append(User(user["name"], user["role"]))
    return out


def find_user(ledger_dir: str | os.PathLike[str], name: str) -> User | None:
    """The registered user ``name``, or None."""
    if not terms.SLUG_RE.match(name or "") or ".." in name:
        return None
    record = _load(Path(ledger_dir) / USERS_DIR, name)
    return User(record["name"], record["role"]) if record else None


def authenticate(ledger_dir: str | os.PathLike[str], token: str) -> User | None:
    """The user whose token this is, or None (compared in constant time)."""
    name, sep, secret = (token or "").strip().rpartition(":")
    if not sep or not secret or not terms.SLUG_RE.match(name) or ".." in name:
        return None
    record = _load(Path(ledger_dir) / USERS_DIR, name)
    if record is None:
        return None
    if not hmac.compare_digest(record["token_sha256"], _digest(f"{name}:{secret}")):
        return None
    return User(record["name"], record["role"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _load(folder: Path, name: str) -> dict | None:
    path = folder / f"{name}.json"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, encoding="utf-8") as fh:
        try:
            record = json.load(fh)
        except ValueError:
            return None
    if (not isinstance(record, dict) or record.get("name") != name
            or record.get("role") not in ROLES or not isinstance(record.get("token_sha256"), str)):
        return None
    return record


def _write_new(path: Path, text: str, *, argument: str, exists: str | None = None) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        if exists is not None:
            raise ConflictError(exists, argument=argument) from None
        raise InputError(f"{str(path)!r} exists; choose a new file", argument=argument) from None
    except OSError as exc:
        raise InputError(f"cannot create {str(path)!r}: {exc.strerror}", argument=argument) from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
