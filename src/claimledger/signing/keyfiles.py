"""Key files: private keys in owner-only files outside every ledger, public keys beside them.

* A private key is unencrypted PKCS #8 PEM in ``<key directory>/<KEYID>.key`` (see
  :func:`claimledger.settings.key_dir`), mode 0600, in a directory of mode 0700; its public
  key is ``<KEYID>.pub`` (PEM) beside it.
* Every key file is opened without following a symbolic link at its last component
  (``O_NOFOLLOW``): a link planted where a key is expected is refused, not followed. A new
  file is created exclusively (``O_EXCL``): an existing file or link is never overwritten.
* A private key file must be a regular file owned by the user, readable by nobody else — as
  ``ssh`` asks of its keys; anything else is refused with the ``chmod`` that fixes it.
* A public keys file (``--key``, a known-keys file) holds PEM ``PUBLIC KEY`` blocks and/or
  lines of base64 (of the DER form), each optionally followed by a label; ``#`` starts a
  comment.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from claimledger.errors import InputError
from claimledger.signing.keys import PublicKey, Signer, load_private_pem

#: Largest key file read (an RSA-16384 PEM is under 13 KB).
MAX_KEY_FILE = 64 * 1024
#: Largest public keys file read.
MAX_KEYS_FILE = 1024 * 1024

_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", re.S)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _read(path: Path, *, limit: int, private: bool) -> bytes:
    what = "private key file" if private else "key file"
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{str(path)!r} is a symbolic link; claimledger opens key files "
                             "only directly (give the file it points to)") from None
        raise InputError(f"cannot read the {what} {str(path)!r}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{str(path)!r} is not a regular file")
        if private:
            if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
                raise InputError(f"the private key file {str(path)!r} belongs to another user")
            if st.st_mode & 0o077:
                raise InputError(f"the private key file {str(path)!r} can be read by others "
                                 f"(mode {stat.S_IMODE(st.st_mode):04o}); make it yours "
                                 f"alone: chmod 600 {path}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(f"{str(path)!r} is larger than a {what} can be ({limit:,} bytes)")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_private_key(path: str | os.PathLike[str]) -> Signer:
    """The signer in a private key file (see the module doc for what is refused).

    :raises InputError: for a missing, linked, shared, oversized or malformed key file.
    """
    file = Path(path)
    signer = load_private_pem(_read(file, limit=MAX_KEY_FILE, private=True), name=str(file))
    signer.path = file
    return signer


def read_public_keys(path: str | os.PathLike[str]) -> list[PublicKey]:
    """The public keys in a file of PEM blocks and/or base64 lines (see the module doc).

    :raises InputError: for a missing or linked file, or one that holds no valid key.
    """
    file = Path(path)
    data = _read(file, limit=MAX_KEYS_FILE, private=False)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise InputError(f"{str(file)!r} is not a text file of public keys") from None
    if "PRIVATE KEY-----" in text:
        raise InputError(f"{str(file)!r} holds a private key; give the public key (.pub)")
    keys = []
    for m in _PEM_BLOCK.finditer(text):
        keys.append(PublicKey.from_base64(m.group(1), what=f"key in {str(file)!r}"))
    rest = _PEM_BLOCK.sub("", text)
    for number, line in enumerate(rest.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-----"):
            raise InputError(f"{str(file)!r} line {number}: an incomplete PEM block")
        keys.append(PublicKey.from_base64(line.split()[0],
                                          what=f"key on line {number} of {str(file)!r}"))
    if not keys:
        raise InputError(f"{str(file)!r} holds no public key")
    return keys


def _secure_directory(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(directory)
    except OSError as exc:
        raise InputError(f"cannot make the key directory {str(directory)!r}: "
                         f"{exc.strerror}") from None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise InputError(f"the key directory {str(directory)!r} is not a directory (a link is "
                         "not followed)")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise InputError(f"the key directory {str(directory)!r} belongs to another user")
    if st.st_mode & 0o022:
        raise InputError(f"others can write to the key directory {str(directory)!r}; "
                         f"chmod 700 {directory}")


def _create(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    except FileExistsError:
        raise InputError(f"{str(path)!r} already exists; claimledger never overwrites a key "
                         "file") from None
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror}") from None
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror}") from None
    os.close(fd)


def private_key_path(directory: Path, key_id: str) -> Path:
    """Where the private key of ``key_id`` lives in ``directory``."""
    return directory / f"{key_id}.key"


def write_key_pair(signer: Signer, directory: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``signer``'s private key (mode 0600) and public key (PEM) into ``directory``
    (made with mode 0700 if missing).

    :returns: the private and the public key file.
    :raises InputError: if the directory is shared or a link, or a file of that name exists.
    """
    folder = Path(directory)
    _secure_directory(folder)
    private = private_key_path(folder, signer.key_id)
    public = folder / f"{signer.key_id}.pub"
    _create(private, signer.private_pem(), 0o600)
    try:
        _create(public, signer.public.pem().encode("ascii"), 0o644)
    except InputError:
        private.unlink(missing_ok=True)
        raise
    return private, public
