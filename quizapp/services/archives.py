"""Bank folders packed as .zip: the one place an uploaded archive is opened and unpacked.

A .zip is hostile input until read: its headers may understate its members' sizes (a member that
says 1 KB can inflate to gigabytes), a member may be encrypted, use a compression method Python
cannot read, or be damaged. `read_bank_zip` counts the bytes each member really inflates to while
reading it, in chunks, and stops at `MAX_MEMBER_BYTES` per member and `MAX_TOTAL_BYTES` for the
archive, whatever the headers say; every fault of the archive or of a member's text becomes one
`ArchiveError` whose message names the file and the member.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from pathlib import PurePosixPath

from flask_babel import gettext as _

from quizapp.core import text_files

MAX_FILES = 2000
# Unpacked sizes: a bank's texts are a few megabytes; these leave room and bound the work.
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024
# What Python's zipfile can inflate; others raise NotImplementedError when read.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
# Suffixes of the files a bank folder holds; anything else in the archive is left unread.
BANK_SUFFIXES = (".yaml", ".md", ".txt")
# Every error reading a member's bytes can raise: bad CRC and truncated data (BadZipFile,
# EOFError), corrupt deflate/bzip2/lzma streams (zlib.error, OSError, LZMAError), an encryption
# the headers did not announce (RuntimeError), a method zipfile lacks (NotImplementedError).
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


class ArchiveError(ValueError):
    """An archive that cannot be imported; `message` says why, naming the file and member."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _open(data: bytes, filename: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (*_READ_ERRORS, UnicodeDecodeError):
        # UnicodeDecodeError: a member name flagged as UTF-8 that is not.
        raise ArchiveError(
            _("%(file)s is not a .zip archive, or it is damaged.", file=filename)
        ) from None


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str, budget: int
) -> bytes:
    """A member's bytes, counted as they are inflated: at most MAX_MEMBER_BYTES and `budget`."""
    name = member.filename
    if member.flag_bits & 0x1:
        raise ArchiveError(
            _(
                "%(file)s: %(member)s is encrypted; pack the folder again without a password.",
                file=filename,
                member=name,
            )
        )
    if member.compress_type not in _METHODS:
        raise ArchiveError(
            _(
                "%(file)s: %(member)s is packed with a compression method quizapp cannot "
                "read; pack the folder again with ordinary (deflate) compression.",
                file=filename,
                member=name,
            )
        )
    limit = min(MAX_MEMBER_BYTES, budget)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    break
                chunks.append(chunk)
    except _READ_ERRORS:
        raise ArchiveError(
            _(
                "%(file)s: %(member)s is damaged and cannot be unpacked; pack the folder again.",
                file=filename,
                member=name,
            )
        ) from None
    if size > MAX_MEMBER_BYTES:
        raise ArchiveError(
            _(
                "%(file)s: %(member)s is larger than %(limit)s unpacked.",
                file=filename,
                member=name,
                limit=_megabytes(MAX_MEMBER_BYTES),
            )
        )
    if size > limit:
        raise ArchiveError(_too_large(filename))
    return b"".join(chunks)


def _too_large(filename: str) -> str:
    return _(
        "%(file)s: the files in the archive add up to more than %(limit)s unpacked.",
        file=filename,
        limit=_megabytes(MAX_TOTAL_BYTES),
    )


def read_bank_zip(data: bytes, filename: str) -> dict[str, str]:
    """The text files of the one bank folder in a .zip, by path inside that folder.

    Texts are UTF-8 with "\\n" line ends (every style is read). Raises ArchiveError for an
    archive that is not a .zip or is damaged, holds more than MAX_FILES files, unsafe paths, no
    or several bank.yaml, an encrypted, unreadable or oversized member, or a text that is not
    UTF-8; the message names `filename` and the member.
    """
    archive = _open(data, filename)
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise ArchiveError(
                _(
                    "%(file)s: the archive holds more than %(count)s files.",
                    file=filename,
                    count=MAX_FILES,
                )
            )
        # The headers' sizes refuse an honest oversized archive at once; the counted bytes below
        # refuse one whose headers lie.
        if sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
            raise ArchiveError(_too_large(filename))
        for member in members:
            path = PurePosixPath(member.filename)
            if path.is_absolute() or ".." in path.parts:
                raise ArchiveError(_("%(name)s: unsafe path in the archive.", name=member.filename))
        manifests = [m.filename for m in members if PurePosixPath(m.filename).name == "bank.yaml"]
        if len(manifests) != 1:
            raise ArchiveError(_("The archive must hold exactly one bank folder with a bank.yaml."))
        root = PurePosixPath(manifests[0]).parent
        files: dict[str, str] = {}
        budget = MAX_TOTAL_BYTES
        for member in members:
            try:
                relative = PurePosixPath(member.filename).relative_to(root)
            except ValueError:
                continue
            if relative.suffix not in BANK_SUFFIXES:
                continue
            raw = _read_member(archive, member, filename, budget)
            budget -= len(raw)
            text, problem = text_files.decode(raw)
            if problem is not None:
                raise ArchiveError(
                    _(
                        "%(file)s: %(member)s is not UTF-8 text (line %(line)s); save it as UTF-8.",
                        file=filename,
                        member=member.filename,
                        line=problem.line,
                    )
                )
            files[str(relative)] = text
    _check_names(files, root, filename)
    return files


def _check_names(files: dict[str, str], root: PurePosixPath, filename: str) -> None:
    """Refuse names no folder can hold: a part over 255 bytes, a file that is also a folder."""
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
    for name in files:
        too_long = any(len(part.encode("utf-8")) > 255 for part in PurePosixPath(name).parts)
        if too_long or name in folders:
            raise ArchiveError(
                _(
                    "%(file)s: %(member)s has a name that cannot be unpacked (too long, or "
                    "also the name of a folder).",
                    file=filename,
                    member=str(root / name),
                )
            )
