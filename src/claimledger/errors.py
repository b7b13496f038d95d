"""claimledger's exceptions: one base class, a few kinds, each knowing its exit code.

Exit codes follow pySHACL: 0 all well, 1 the ledger or a write breaks a rule (a Violation, a
failed ``verify``), 2 the command could not be carried out (bad input, unknown slug, busy or
unreadable ledger, unreachable endpoint). Nothing is written when any of them is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class _Result(Protocol):
    def describe(self) -> str: ...


class _Report(Protocol):
    """What :class:`RuleViolation` needs of a report (a
    :class:`claimledger.validation.ValidationReport`)."""

    @property
    def violations(self) -> Sequence[_Result]: ...


class ClaimLedgerError(Exception):
    """Base class of every error claimledger raises on purpose.

    :param message: what is wrong, naming the offending argument or value.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ClaimLedgerError):
    """An argument or a file is malformed: a bad slug, IRI, grade, date, RDF syntax.

    :param message: what is wrong.
    :param argument: the name of the offending argument or option, when there is one.
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(f"{argument}: {message}" if argument else message)
        self.argument = argument


class NotFoundError(InputError):
    """A slug or IRI names nothing in the ledger."""


class ConflictError(InputError):
    """The write contradicts what is recorded: a slug already taken, a derivation cycle."""


class LedgerError(ClaimLedgerError):
    """The ledger cannot be opened or used: missing, not a ledger, corrupt, unsupported."""


class LedgerBusy(LedgerError):
    """Another process holds the ledger's lock for longer than the wait allows."""


class LedgerChanged(LedgerError):
    """Another writer changed the ledger between the moment a write read it and the moment it
    was to be applied: nothing was written, and the write can simply be run again."""

    def __init__(self, message: str = "the ledger changed while you were writing; nothing was "
                 "written — run it again") -> None:
        super().__init__(message)


class EndpointError(ClaimLedgerError):
    """A remote service (a SPARQL endpoint, a source's web server) failed or is unreachable."""


class RuleViolation(ClaimLedgerError):
    """A write was refused because it breaks a sourcing rule (a SHACL Violation).

    :param report: the validation report of what the write would have produced.
    """

    exit_code = 1

    def __init__(self, report: _Report) -> None:
        lines = [r.describe() for r in report.violations]
        super().__init__("refused: the write breaks a sourcing rule\n" + "\n".join(lines))
        self.report = report


class IntegrityError(ClaimLedgerError):
    """``verify`` found the ledger differs from what its audit trail produces.

    :param problems: one line per problem found.
    """

    exit_code = 1

    def __init__(self, problems: list[str]) -> None:
        super().__init__("audit trail check failed:\n" + "\n".join(problems))
        self.problems = problems
