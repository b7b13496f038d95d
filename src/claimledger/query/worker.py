"""A user's query in a worker process of its own: stopped when it runs too long or too big.

The worker is a fresh interpreter (``python -m claimledger.query.worker``, spawned: nothing is
inherited, and the caller's main module is never imported again, so it works the same from
the CLI, a script, a notebook or a server). Request and messages travel as pickles over its
standard input and a private pipe (multiprocessing's framed connections). It limits its own address
space (``RLIMIT_AS``, Linux), opens the ledger read-only — taking the ledger's shared lock
itself — says so, runs the query (:func:`claimledger.query.user.run_on`) and sends the result
back. The parent waits at most ``timeout`` seconds from the moment the worker holds the
ledger, then kills it (SIGKILL): the kernel releases its lock with it, so a query can never
hold writers off for longer than its limit. A worker that dies — an engine crash on a
pathological query, memory exhausted — is a clear error (exit 2), never the end of the
command that started it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from multiprocessing.connection import Connection, wait as wait_for
from typing import TYPE_CHECKING, Any

from claimledger import errors
from claimledger.errors import InputError, LedgerError

if TYPE_CHECKING:
    from claimledger.query.user import QueryResult

class QueryTimeout(InputError):
    """A query ran longer than its limit and was stopped (its worker killed)."""


#: Seconds a query may run once it holds the ledger, unless told otherwise (``--timeout``).
DEFAULT_TIMEOUT = 60.0
#: MiB of address space a query's worker may use, unless told otherwise (``--max-memory``).
#: An empty ledger's worker maps about 550 MiB before the query starts (measured here:
#: VmPeak of a worker that opened a fresh ledger and ran a one-row query).
DEFAULT_MAX_MEMORY = 4096
#: Seconds allowed for the worker to start and open the ledger, on top of the lock wait.
STARTUP_SECONDS = 60.0


def run_user_query(ledger_dir: str | os.PathLike[str] | None, text: str, *,
                   timeout: float | None = None, max_memory: int | None = None,
                   wait: float | None = None, on_wait=None) -> QueryResult:
    """Run ``text`` on the ledger in ``ledger_dir`` in a worker process, within limits.

    :param timeout: seconds the query may run once it holds the ledger
        (:data:`DEFAULT_TIMEOUT` by default).
    :param max_memory: MiB of address space the worker may use
        (:data:`DEFAULT_MAX_MEMORY` by default).
    :param wait: seconds to wait for the ledger's lock (as every command does).
    :raises InputError: for a bad query, or one that runs over its limits (it is stopped).
    :raises LedgerError: if the ledger cannot be opened.
    """
    from claimledger.query.user import check

    check(text)  # refused here, before any process starts
    return run(ledger_dir, text, timeout=timeout, max_memory=max_memory, wait=wait,
               on_wait=on_wait)


def run(ledger_dir, text: str, *, timeout: float | None = None, max_memory: int | None = None,
        wait: float | None = None, on_wait=None):
    """Run ``text`` on the ledger in ``ledger_dir`` in a worker (see the module doc).

    :returns: a :class:`claimledger.query.user.QueryResult`.
    :raises InputError: for a bad query, or one that ran over its time or memory limit.
    :raises LedgerError: if the ledger cannot be opened, or the worker failed.
    """
    from claimledger import settings

    limit = _positive(DEFAULT_TIMEOUT if timeout is None else timeout, "--timeout")
    memory = int(_positive(DEFAULT_MAX_MEMORY if max_memory is None else max_memory,
                           "--max-memory"))
    lock_wait = settings.lock_timeout(wait)
    directory = str(settings.ledger_path(ledger_dir))
    theirs_read, ours_write = os.pipe()  # the request, to the worker
    ours_read, theirs_write = os.pipe()  # its messages, back
    process = subprocess.Popen(
        [sys.executable, "-m", "claimledger.query.worker", str(theirs_read), str(theirs_write)],
        pass_fds=(theirs_read, theirs_write), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(theirs_read)
    os.close(theirs_write)
    ours = Connection(ours_read, writable=False)
    request = Connection(ours_write, readable=False)
    try:
        request.send((directory, text, memory, lock_wait))
    except OSError:
        pass  # it died already: reported below
    finally:
        request.close()
    deadline = time.monotonic() + STARTUP_SECONDS + lock_wait
    running = False  # the worker holds the ledger and runs the query
    try:
        while True:
            message = _receive(ours, process, deadline)
            if message is None:  # out of time
                process.kill()
                process.wait()
                if running:
                    raise QueryTimeout(f"the query ran longer than its limit of {limit:g} s and "
                                       "was stopped (raise the limit with --timeout)",
                                       argument="FILE")
                raise LedgerError("the query's worker did not start in time; nothing ran")
            tag = message[0]
            if tag == "wait" and on_wait is not None:
                on_wait(message[1])
            elif tag == "locked":
                running, deadline = True, time.monotonic() + limit
            elif tag == "result":
                return message[1]
            elif tag == "error":
                raise _rebuild(message[1], message[2])
            elif tag == "memory":
                raise _over_memory(memory)
            elif tag == "died":
                raise _died(process.returncode, memory, _last_line(process))
    except BaseException:
        if process.poll() is None:
            process.kill()
        raise
    finally:
        ours.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - killed above
            pass
        if process.stderr is not None:
            process.stderr.close()


def _receive(conn: Connection, process: subprocess.Popen, deadline: float) -> tuple | None:
    """The worker's next message, ``("died",)`` if it ended without one, None at the deadline."""
    left = deadline - time.monotonic()
    if left <= 0 or not wait_for([conn], timeout=left):
        return None
    try:
        return conn.recv()
    except (EOFError, OSError):  # its end of the pipe closed: it ended
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return ("died",)


def _last_line(process: subprocess.Popen) -> str:
    try:
        lines = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    except (OSError, ValueError, AttributeError):
        return ""
    return lines[-1][:300] if lines else ""


def _positive(value: float, argument: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number", argument=argument) from None
    if not number > 0 or number == float("inf"):
        raise InputError(f"{value!r} is not a limit (give a number above 0)", argument=argument)
    return number


def _rebuild(kind: str, message: str) -> errors.ClaimLedgerError:
    cls = getattr(errors, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, errors.ClaimLedgerError)):
        cls = LedgerError
    error = cls.__new__(cls)
    errors.ClaimLedgerError.__init__(error, message)
    return error


def _over_memory(memory: int) -> InputError:
    return InputError(f"the query needed more than its memory limit of {memory:,} MiB and was "
                      "stopped (raise the limit with --max-memory)", argument="FILE")


def _died(exitcode: int | None, memory: int, last: str = "") -> InputError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"was ended by {name}"
    else:
        how = f"exited with status {exitcode}"
    said = f"; it said: {last}" if last else ""
    return InputError(f"the query engine stopped on this query ({how}{said}): the query may "
                      f"need more than its memory limit of {memory:,} MiB (--max-memory) or be "
                      "more than the engine can evaluate; nothing was written", argument="FILE")


# -- in the worker ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    """The worker process: ``python -m claimledger.query.worker READ_FD WRITE_FD``."""
    argv = sys.argv[1:] if argv is None else argv
    request = Connection(int(argv[0]), writable=False)
    conn = Connection(int(argv[1]), readable=False)
    try:
        directory, text, memory, wait = request.recv()
    except (EOFError, OSError):
        return
    finally:
        request.close()
    _worker(conn, directory, text, memory, wait)


def _worker(conn: Connection, directory: str, text: str, memory: int, wait: float) -> None:
    """The worker's body: limits, the ledger opened read-only, the query, the answer."""
    _limit_memory(memory)
    try:
        from claimledger.core.ledger import LedgerCore
        from claimledger.query.user import run_on

        ledger = LedgerCore.open(directory, timeout=wait,
                                 on_wait=lambda message: conn.send(("wait", message)))
        try:
            conn.send(("locked",))
            result = run_on(ledger, text)
        finally:
            ledger.close()
        conn.send(("result", result))
    except errors.ClaimLedgerError as exc:
        _send(conn, ("error", type(exc).__name__, exc.message))
    except MemoryError:
        _send(conn, ("memory",))
    except Exception as exc:  # an engine failure: reported, never a traceback
        _send(conn, ("error", "LedgerError", f"the query failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _send(conn: Connection, message: tuple[Any, ...]) -> None:
    try:
        conn.send(message)
    except (OSError, MemoryError):
        pass


def _limit_memory(mib: int) -> None:
    try:
        import resource

        limit = mib * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux
        pass


if __name__ == "__main__":
    main()
