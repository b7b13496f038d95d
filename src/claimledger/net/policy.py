"""What an HTTP client may do, per use: the :class:`Policy` for sources and the one for
SPARQL endpoints (see :mod:`claimledger.net.http`, which applies them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from claimledger.errors import InputError
from claimledger.net.addresses import AddressPolicy

MB = 1_000_000


@dataclass(frozen=True)
class Policy:
    """What a client may do. Build with :meth:`for_sources` or :meth:`for_endpoint`.

    :param purpose: ``"source"`` or ``"endpoint"`` (named in messages).
    :param addresses: which addresses may be connected to.
    :param connect_timeout: seconds to establish a connection.
    :param read_timeout: seconds without a byte from the server before giving up.
    :param deadline: seconds for a whole request (all redirect hops and the body), or None.
    :param max_body: largest body accepted, in bytes after decompression (None: no cap).
    :param max_redirects: redirects followed (0: a redirect is an error).
    :param retries: further attempts for idempotent requests that failed in a way a retry may
        cure (connection refused or dropped, timeouts, 429, 502, 503, 504).
    :param backoff: seconds before the first retry, doubled for each further one.
    :param verify_tls: verify certificates (True), or the path of a CA bundle to verify with.
    """

    purpose: str
    addresses: AddressPolicy = field(default_factory=AddressPolicy)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float | None = 60.0
    max_body: int | None = 20 * MB
    max_redirects: int = 10
    retries: int = 0
    backoff: float = 0.5
    verify_tls: bool | str = True

    @classmethod
    def for_sources(cls, *, allow_private: bool = False, allow_hosts: Iterable[str] = (),
                    max_body: int | None = 20 * MB, deadline: float | None = 60.0,
                    connect_timeout: float = 10.0, read_timeout: float = 20.0) -> Policy:
        """The policy for fetching sources (see the module doc).

        :raises InputError: for a malformed ``allow_hosts`` entry or a limit that is not
            positive.
        """
        _positive(max_body, "--max-size")
        _positive(deadline, "--timeout")
        _positive(connect_timeout, "connect timeout")
        _positive(read_timeout, "read timeout")
        return cls("source", AddressPolicy.build(allow_private=allow_private,
                                                 allow_hosts=allow_hosts),
                   connect_timeout=connect_timeout, read_timeout=read_timeout,
                   deadline=deadline, max_body=max_body, max_redirects=10)

    @classmethod
    def for_endpoint(cls, *, connect_timeout: float = 10.0, read_timeout: float = 60.0,
                     deadline: float | None = None, max_body: int | None = None,
                     retries: int = 2, backoff: float = 0.5,
                     verify_tls: bool | str = True) -> Policy:
        """The policy for a configured SPARQL endpoint (see the module doc)."""
        return cls("endpoint", AddressPolicy(allow_private=True),
                   connect_timeout=connect_timeout, read_timeout=read_timeout,
                   deadline=deadline, max_body=max_body, max_redirects=0, retries=retries,
                   backoff=backoff, verify_tls=verify_tls)


def _positive(value: float | None, name: str) -> None:
    if value is not None and not value > 0:
        raise InputError(f"must be more than 0 (got {value!r})", argument=name)


def with_policy(policy: Policy, **changes: Any) -> Policy:
    """A copy of ``policy`` with some fields changed."""
    return replace(policy, **changes)
