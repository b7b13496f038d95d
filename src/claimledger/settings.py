"""Defaults read from the environment, in one place: the CLI and the library both ask here.

| variable | what | default |
|---|---|---|
| ``CLAIMLEDGER_LEDGER`` | the ledger directory | ``./ledger`` |
| ``CLAIMLEDGER_AGENT`` | who is writing | none: every write must name its agent |
| ``CLAIMLEDGER_LOCK_TIMEOUT`` | seconds to wait for another process using the ledger | 30 |
| ``CLAIMLEDGER_REMOTE_TIMEOUT`` | seconds a SPARQL server may stay silent before a request fails | 60 |
| ``CLAIMLEDGER_ALLOW_HOSTS`` | internal hosts ``source fetch`` may reach (``HOST[:PORT]``, space- or comma-separated) | none |
| ``CLAIMLEDGER_FETCH_MAX_SIZE`` | largest page ``source fetch`` keeps (``20MB``, ``500kB``, bytes) | 20 MB |
| ``CLAIMLEDGER_FETCH_TIMEOUT`` | seconds a whole fetch may take | 60 |
| ``CLAIMLEDGER_FETCH_READ_TIMEOUT`` | seconds a fetch waits for the server's next byte | 20 |
| ``CLAIMLEDGER_KEY`` | the private Ed25519 key file that signs your writes | the agent's key in the key directory |
| ``CLAIMLEDGER_RSA_KEY`` | the private RSA key file that signs nanopublications | the agent's RSA key in the key directory |
| ``CLAIMLEDGER_KEY_DIR`` | where ``key create`` puts private keys, and writes look for them | ``$XDG_CONFIG_HOME/claimledger/keys`` (``~/.config/…``) |
| ``CLAIMLEDGER_KNOWN_KEYS`` | the public keys ``verify`` and ``verify-bundle`` trust | none |
| ``CLAIMLEDGER_CACHE_DIR`` | where compiled shapes are kept between processes (empty: nowhere) | ``$XDG_CACHE_HOME/claimledger`` (``~/.cache/…``) |

>>> import os; os.environ.pop("CLAIMLEDGER_LEDGER", None) and None
>>> str(ledger_path(None))
'ledger'
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from claimledger.errors import InputError

DEFAULT_PATH = "ledger"
#: Seconds a command waits for the ledger's lock unless told otherwise.
DEFAULT_TIMEOUT = 30.0


def ledger_path(path: str | os.PathLike[str] | None) -> Path:
    """The ledger directory: ``path``, else ``$CLAIMLEDGER_LEDGER``, else ``./ledger``."""
    return Path(path or os.environ.get("CLAIMLEDGER_LEDGER") or DEFAULT_PATH)


def agent(name: str | None) -> str | None:
    """Who is writing: ``name``, else ``$CLAIMLEDGER_AGENT``, else None."""
    return name or os.environ.get("CLAIMLEDGER_AGENT") or None


def require_agent(name: str | None, *, from_env: bool = True) -> str:
    """The writing agent: ``name``, else (with ``from_env``) ``$CLAIMLEDGER_AGENT``.

    :raises InputError: if there is none — every write names its agent.
    """
    found = agent(name) if from_env else name
    if not found:
        raise InputError("every write must name its agent: pass --agent NAME or set "
                         "CLAIMLEDGER_AGENT", argument="--agent")
    return found


def lock_timeout(value: float | None) -> float:
    """Seconds to wait for the lock: ``value``, else ``$CLAIMLEDGER_LOCK_TIMEOUT``, else 30.

    :raises InputError: for a value that is not a number of seconds (negative, NaN, text).
    """
    argument = "--wait"
    if value is None:
        env = os.environ.get("CLAIMLEDGER_LOCK_TIMEOUT")
        if not env:
            return DEFAULT_TIMEOUT
        argument = "CLAIMLEDGER_LOCK_TIMEOUT"
        try:
            value = float(env)
        except ValueError:
            raise InputError(f"{env!r} is not a number of seconds", argument=argument) from None
    if math.isnan(value) or value < 0:
        raise InputError(f"{value!r} is not a number of seconds to wait (give 0 or more)",
                         argument=argument)
    return value


_UNITS = {"": 1, "b": 1, "kb": 10 ** 3, "mb": 10 ** 6, "gb": 10 ** 9,
          "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30}


def parse_size(text: str, *, argument: str) -> int:
    """A size as typed: ``20MB``, ``500kB``, ``2MiB``, ``1048576`` (bytes).

    :raises InputError: for anything else, or a size of 0.
    """
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KkMmGg]?i?[Bb]?)\s*", text or "")
    unit = m.group(2).lower() if m else None
    if not m or unit not in _UNITS:
        raise InputError(f"{text!r} is not a size (say 20MB, 500kB or a number of bytes)",
                         argument=argument)
    value = int(float(m.group(1)) * _UNITS[unit])
    if value <= 0:
        raise InputError("must be more than 0", argument=argument)
    return value


def allow_hosts(given: tuple[str, ...] | list[str]) -> list[str]:
    """``--allow-host`` values plus those in ``$CLAIMLEDGER_ALLOW_HOSTS``."""
    configured = os.environ.get("CLAIMLEDGER_ALLOW_HOSTS", "").replace(",", " ").split()
    return list(given) + configured


def fetch_max_size(value: str | None) -> int:
    """Largest body to keep: ``value``, else ``$CLAIMLEDGER_FETCH_MAX_SIZE``, else 20 MB."""
    if value is not None:
        return parse_size(value, argument="--max-size")
    env = os.environ.get("CLAIMLEDGER_FETCH_MAX_SIZE")
    return parse_size(env, argument="CLAIMLEDGER_FETCH_MAX_SIZE") if env else 20_000_000


def fetch_seconds(value: float | None, variable: str, default: float, *, argument: str) -> float:
    """Seconds for a fetch limit: ``value``, else ``$variable``, else ``default``.

    :raises InputError: for a value that is not a positive number of seconds.
    """
    if value is None:
        env = os.environ.get(variable)
        if not env:
            return default
        argument = variable
        try:
            value = float(env)
        except ValueError:
            raise InputError(f"{env!r} is not a number of seconds", argument=argument) from None
    if math.isnan(value) or value <= 0:
        raise InputError(f"{value!r} is not a number of seconds (give more than 0)",
                         argument=argument)
    return value


#: Seconds a SPARQL server may stay silent before a request to it fails.
DEFAULT_REMOTE_TIMEOUT = 60.0


def remote_timeout() -> float:
    """``$CLAIMLEDGER_REMOTE_TIMEOUT`` seconds, else 60.

    :raises InputError: for a value that is not a positive number of seconds.
    """
    env = os.environ.get("CLAIMLEDGER_REMOTE_TIMEOUT")
    if not env:
        return DEFAULT_REMOTE_TIMEOUT
    try:
        value = float(env)
    except ValueError:
        value = math.nan
    if not value > 0:
        raise InputError(f"{env!r} is not a number of seconds", argument="CLAIMLEDGER_REMOTE_TIMEOUT")
    return value
def key_file(name: str = "CLAIMLEDGER_KEY") -> Path | None:
    """The private key file named by ``$CLAIMLEDGER_KEY`` (or another variable), if set."""
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def key_dir() -> Path:
    """Where private keys live: ``$CLAIMLEDGER_KEY_DIR``, else ``$XDG_CONFIG_HOME/claimledger/keys``,
    else ``~/.config/claimledger/keys`` — a per-user directory, outside every ledger."""
    value = os.environ.get("CLAIMLEDGER_KEY_DIR")
    if value:
        return Path(value).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "claimledger" / "keys"


def known_keys_file(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The trusted public keys file: ``path``, else ``$CLAIMLEDGER_KNOWN_KEYS``, else none."""
    value = path or os.environ.get("CLAIMLEDGER_KNOWN_KEYS")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path | None:
    """Where compiled shapes are kept between processes (:mod:`claimledger.validation.plan`):
    ``$CLAIMLEDGER_CACHE_DIR``, else ``$XDG_CACHE_HOME/claimledger``, else
    ``~/.cache/claimledger``; None when ``$CLAIMLEDGER_CACHE_DIR`` is set and empty (every
    process compiles the shapes)."""
    value = os.environ.get("CLAIMLEDGER_CACHE_DIR")
    if value is not None:
        return Path(value).expanduser() if value else None
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "claimledger"
