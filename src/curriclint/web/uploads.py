"""Uploaded files on disk, only for as long as their check needs them.

Everything lives in one private folder per server (``tempfile.mkdtemp`` creates it with mode
0700), one sub-folder per upload, removed as soon as its check is done and, with the whole
folder, at exit. Names sent by the browser are never trusted as paths: each loose file is
stored under a cleaned name in a numbered folder, and its original name is kept only to show
in the report. A .zip of a course folder is unpacked here member by member, after the checks
a zip package gets (zip bombs, ``../`` members) and with links refused, so that every member
is then read as an ordinary file and shown as ``course.zip/week 1/deck.pptx``.
"""
from __future__ import annotations

import atexit
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from curriclint.discover import IGNORE_FILES, Target, discover
from curriclint.extract import ExtractError
from curriclint.extract.safety import MAX_ZIP_UNCOMPRESSED, ZIP_MEMBER_ERRORS, check_zip
from curriclint.extract.sniff import WALK_EXTENSIONS

# Not path material on any system: separators, reserved punctuation, control characters.
_UNSAFE_CHARACTERS = re.compile(r"[^\w .()\[\]{}&,;+=@'~!#$%^-]")
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                              *(f"LPT{i}" for i in range(10))})
_MAX_NAME = 120
# Finder adds these to every zip it makes; they are metadata, not course content.
_MAC_METADATA = "__MACOSX/"


class UploadRefused(Exception):
    """An upload that will not be checked; the message is shown in the page as it is."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_files: int

    def too_large(self) -> str:
        return (f"These files add up to more than {self.max_bytes / 2**20:,.0f} MB, the most "
                "curriclint takes at once. Check fewer files at a time, or start "
                "curriclint serve with a larger --max-upload-mb.")

    def too_many(self, count: int | None = None) -> str:
        amount = f"That is {count:,} files" if count is not None else "That is too many files"
        return (f"{amount}; curriclint takes at most {self.max_files:,} at once. Check fewer "
                "files at a time, or start curriclint serve with a larger --max-files.")


@dataclass
class Upload:
    """One upload's files on disk, with the names the user knows them by."""

    folder: Path
    targets: list[Target]
    skipped: int  # zip members of types curriclint does not read

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def display_name(sent: str | None) -> str:
    """The file's own name as the browser sent it, without any folder or control character."""
    name = PurePosixPath((sent or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name or "unnamed file"


def clean_part(name: str) -> str:
    """One path component that is safe on every system and keeps its extension (for the
    walk): letters of any script survive, unlike ``werkzeug.utils.secure_filename``, which
    turns a Cyrillic or Arabic file name into its bare extension."""
    cleaned = _UNSAFE_CHARACTERS.sub("_", unicodedata.normalize("NFC", name)).strip(" ").rstrip(".")
    if len(cleaned) > _MAX_NAME:
        _, dot, suffix = cleaned.rpartition(".")
        keep = suffix[:10] if dot else ""
        cleaned = cleaned[: _MAX_NAME - len(keep) - 1] + "." + keep if keep else cleaned[:_MAX_NAME]
    if not cleaned.strip(".") or cleaned.split(".")[0].upper() in _WINDOWS_DEVICES:
        cleaned = "_" + cleaned
    return cleaned


class _UniqueNames:
    """'deck.pptx', then 'deck (2).pptx': two uploads of the same name stay apart in the report."""

    def __init__(self):
        self._seen: set[str] = set()

    def __call__(self, name: str) -> str:
        candidate, number = name, 1
        stem, dot, suffix = name.rpartition(".")
        while candidate.lower() in self._seen:
            number += 1
            candidate = f"{stem} ({number}).{suffix}" if dot and stem else f"{name} ({number})"
        self._seen.add(candidate.lower())
        return candidate


@dataclass
class _Sent:
    name: str  # as shown in the report
    stream: object  # a readable, seekable binary stream
    archive: zipfile.ZipFile | None = None
    members: tuple[zipfile.ZipInfo, ...] = ()  # the course zip's members worth unpacking
    unread: int = 0  # its members of types curriclint does not read

    @property
    def files(self) -> int:
        """How many files this adds to the check."""
        if self.archive is None:
            return 1
        return sum(1 for m in self.members
                   if PurePosixPath(m.filename.replace("\\", "/")).name not in IGNORE_FILES)


def _open_zip(item: _Sent) -> None:
    """Open a course-folder zip and choose the members to unpack (those the walk of a folder
    would read, and its ignore files); a content package stays a file to check."""
    name, stream = item.name, item.stream
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise UploadRefused(f"{name} is not a zip file that can be opened: make the zip again "
                            "(right-click the folder and compress it) and upload it again.") from None
    if "imsmanifest.xml" in zf.namelist():  # a content package (an LMS's question bank export)
        zf.close()
        stream.seek(0)
        return
    try:
        check_zip(zf, f"The zip file {name}")
    except ExtractError as exc:
        zf.close()
        raise UploadRefused(f"{exc}. Make the zip again from the course folder itself.") from None
    members = []
    for info in zf.infolist():
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            zf.close()
            raise UploadRefused(f"The zip file {name} holds a link or special file "
                                f"('{info.filename}'): refused. Zip the files themselves.")
        member = info.filename.replace("\\", "/")
        if info.is_dir() or member.startswith(_MAC_METADATA):
            continue
        member = PurePosixPath(member)
        if member.suffix.lower() in WALK_EXTENSIONS or member.name in IGNORE_FILES:
            members.append(info)
        else:
            item.unread += 1
    item.archive, item.members = zf, tuple(members)


class UploadFolder:
    """The server's private folder for uploads, removed at exit whatever happens."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="curriclint-serve-"))
        atexit.register(self.remove)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def receive(self, files, limits: Limits, config) -> Upload:
        """Store uploaded files (werkzeug FileStorage objects), unpacking course zips; refuse
        the whole upload, leaving nothing behind, if any limit is passed."""
        names = _UniqueNames()
        sent: list[_Sent] = []
        try:
            for storage in files:
                item = _Sent(names(display_name(storage.filename)), storage.stream)
                sent.append(item)
                if item.name.lower().endswith(".zip"):
                    _open_zip(item)
            if sum(_size(item.stream) for item in sent) > limits.max_bytes:
                raise UploadRefused(limits.too_large(), status=413)
            count = sum(item.files for item in sent)
            if count > limits.max_files:
                raise UploadRefused(limits.too_many(count), status=413)
            unpacked = sum(m.file_size for s in sent for m in s.members)
            if unpacked > MAX_ZIP_UNCOMPRESSED:
                raise UploadRefused(f"The zip files expand to {unpacked / 2**20:,.0f} MB, more than "
                                    f"{MAX_ZIP_UNCOMPRESSED // 2**20:,} MB: check fewer at a time.", 413)
            folder = Path(tempfile.mkdtemp(dir=self.root))
            try:
                return self._store(folder, sent, config)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        finally:
            for item in sent:
                if item.archive is not None:
                    item.archive.close()

    def _store(self, folder: Path, sent: list[_Sent], config) -> Upload:
        targets: list[Target] = []
        skipped = 0
        for number, item in enumerate(sent, 1):
            place = folder / str(number)
            place.mkdir()
            if item.archive is None:
                path = place / clean_part(item.name)
                with path.open("xb") as handle:
                    shutil.copyfileobj(item.stream, handle, 1024 * 1024)
                targets.append(Target(path, item.name, explicit=True))
                continue
            shown = _unpack(item, place)
            walked, walked_skipped = discover([str(place)], config.get("include"), config.get("exclude"))
            targets += [Target(t.path, shown[_key(t.path)], explicit=False) for t in walked]
            skipped += walked_skipped + item.unread
        return Upload(folder, targets, skipped)


def _key(path: Path) -> str:
    """A written path as the walk finds it again (macOS may hand names back decomposed)."""
    return unicodedata.normalize("NFC", str(path))


def _size(stream) -> int:
    position = stream.tell()
    size = stream.seek(0, 2)
    stream.seek(position)
    return size


def _unpack(item: _Sent, place: Path) -> dict[str, str]:
    """Write each member under cleaned names; return the name to show for each written path."""
    shown: dict[str, str] = {}
    for info in item.members:
        member = info.filename.replace("\\", "/")
        parts = [p for p in member.split("/") if p not in ("", ".")]
        path = _free(place.joinpath(*(clean_part(p) for p in parts)))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with item.archive.open(info) as source, path.open("xb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        # zipfile raises NotImplementedError for a compression method it cannot read
        except (zipfile.BadZipFile, NotImplementedError, OSError, *ZIP_MEMBER_ERRORS) as exc:
            raise UploadRefused(f"The zip file {item.name} could not be unpacked ('{info.filename}': "
                                f"{exc}). Make the zip again, without a password.") from None
        shown[_key(path)] = f"{item.name}/{'/'.join(parts)}"
    return shown


def _free(path: Path) -> Path:
    """The path, or 'name~2.ext' if two members cleaned to the same name."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}~{number}{path.suffix}")
    return candidate
