"""Reading what a command takes from a file or from standard input (``-``)."""

from __future__ import annotations

import sys
from pathlib import Path

from claimledger.errors import InputError

#: Largest file a command reads as text unless told otherwise (64 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_text_file(path: str, *, argument: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of file ``path``, or of standard input when ``path`` is ``-``.

    A byte order mark is dropped; line ends are kept as they are.

    :raises InputError: naming ``argument``, if the file cannot be read, is larger than
        ``max_bytes`` or is not UTF-8 text.
    """
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(Path(path), "rb") as fh:
                data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(f"{path!r} is a directory, not a file", argument=argument) from None
    except OSError as exc:
        raise InputError(f"cannot read {path!r}: {exc.strerror or exc}", argument=argument) from None
    if len(data) > max_bytes:
        raise InputError(f"{'standard input' if path == '-' else repr(path)} is larger than "
                         f"{max_bytes:,} bytes", argument=argument)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{'standard input' if path == '-' else repr(path)} is not UTF-8 text "
                         f"(byte {exc.start})", argument=argument) from None
    return text[1:] if text.startswith("\ufeff") else text


def text_or_file(text: str | None, path: str | None, *, option: str, file_option: str,
                 required: bool = False) -> str | None:
    """The text given inline (``option``) or read from a file or stdin (``file_option``).

    :raises InputError: if both are given, or neither while ``required``.
    """
    if text is not None and path is not None:
        raise InputError(f"give {option} or {file_option}, not both", argument=file_option)
    if path is not None:
        return read_text_file(path, argument=file_option)
    if text is None and required:
        raise InputError(f"give the text with {option} TEXT or {file_option} FILE (- for stdin)",
                         argument=option)
    return text
