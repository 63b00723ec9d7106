"""Writing files so that readers see the old file or the new one, never half of one,
under names that are safe on every system and inside the output folder; and
reading, naming and pruning the cache's records."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

from .diagnostics import BriefingError, Diagnostic, file_system_problem

TEMP_SUFFIX = ".tmp"
# Our temporary files: `.NAME.` + mkstemp's 8 random characters + `.tmp`.
_OWN_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")

# Characters Windows (or any system) does not allow in a name, and their full-width
# look-alikes, which read the same in a Chinese file name.
_UNSAFE = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？",
                         '"': "＂", "<": "＜", ">": "＞", "|": "｜"})
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                     *(f"LPT{n}" for n in range(10))}
# ext4 and NTFS allow 255 bytes or characters; leave room for `.docx` and the temp name.
MAX_NAME_BYTES = 180


def safe_file_name(text: str) -> str:
    """`text` as one file or folder name: no separators, no `..`, no control
    characters, nothing Windows refuses, and short enough for any file system."""
    name = _CONTROL.sub("", text.translate(_UNSAFE)).replace("..", "．．").strip().strip(".").strip()
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return name or "_"


def inside(folder: Path, path: Path) -> Path:
    """`path`, checked to lie inside `folder` (after `..` and links are resolved)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise BriefingError([Diagnostic(path, None, f"输出文件不在输出目录 {folder} 内，未写入")])
    return path


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write beside the target and rename: readers see the old file or the new one.

    Not `durable`: not forced to disk first (a cache record, which a crash may
    only cost being made again), as one fsync can cost more than making the record."""
    temp = _write_temp(path, data, durable)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_temp(path: Path, data: bytes, durable: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_temp(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path` (to be renamed into place
    by Staged.commit, or removed); a problem becomes a Chinese message naming `path`."""
    try:
        return _write_temp(path, data)
    except OSError as exc:
        # A full disk is found by write(), which names no file: name the one being written.
        raise BriefingError([file_system_problem(exc, path)]) from None


class Staged:
    """Files of one build, each written to a temporary file beside its target as soon
    as it is made (so no file waits in memory), then all renamed into place by
    `commit`, or all removed by `discard`, with the folders made for them: a
    build that fails replaces no file; one that is killed leaves temporary files
    for remove_stale_temps, and each target old or new."""

    def __init__(self) -> None:
        self.temps: dict[Path, Path] = {}  # target → its temporary file
        self.created: list[Path] = []  # folders made for the targets, in the order made

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.discard()

    def make_folders(self, paths) -> None:
        """Make the folders of `paths` (before workers write beside them), remembering which were made."""
        for folder in reversed(_missing_folders(paths)):
            try:
                folder.mkdir()
            except FileExistsError:
                continue  # made meanwhile
            except OSError as exc:
                raise BriefingError([file_system_problem(exc, folder)]) from None
            self.created.append(folder)

    def write(self, path: Path, data: bytes) -> None:
        self.make_folders([path])
        self.adopt(path, write_temp(path, data))

    def adopt(self, path: Path, temp: Path) -> None:
        """Take over `temp`, written beside `path` (by a worker process)."""
        earlier = self.temps.pop(path, None)
        if earlier is not None and earlier != temp:
            earlier.unlink(missing_ok=True)
        self.temps[path] = temp

    def commit(self) -> None:
        """Rename every file into place; the disk was written already, renaming needs no space."""
        path = None
        try:
            while self.temps:
                path, temp = next(iter(self.temps.items()))
                os.replace(temp, path)
                del self.temps[path]
        except OSError as exc:
            self.discard()
            raise BriefingError([file_system_problem(exc, path)]) from None
        self.created = []

    def discard(self) -> None:
        for temp in self.temps.values():
            temp.unlink(missing_ok=True)
        self.temps = {}
        for folder in reversed(self.created):  # deepest first
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty, or gone: leave it
        self.created = []


def _missing_folders(paths) -> list[Path]:
    """Folders that writing `paths` needs made, deepest first."""
    missing: set[Path] = set()
    for folder in {path.parent for path in paths}:
        while folder not in missing and not folder.exists():
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda folder: len(folder.parts), reverse=True)


def check_writable(path: Path) -> None:
    """Raise a Chinese message unless `path` can be written: its folders are folders
    (or can be made) and writable, and it is not itself a folder."""
    if path.is_dir():
        raise BriefingError([Diagnostic(path, None, "这是一个文件夹，不能写入同名的文件",
                                        hint="请删去或改名这个文件夹，或用 --out 换一个输出目录")])
    folder = path.parent
    while not folder.exists():
        if folder.is_symlink():
            break  # a dangling link: mkdir will say what is wrong
        folder = folder.parent
    if not folder.is_dir():
        raise BriefingError([Diagnostic(folder, None, "这是一个文件，不是文件夹，无法在其中写入",
                                        hint="请删去或改名这个文件，或用 --out 换一个输出目录")])
    # Replacing a file needs the right to write its folder, not the file.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BriefingError([Diagnostic(folder, None, "没有写入权限，或所在磁盘是只读的",
                                        hint="请检查文件夹的权限，或用 --out 换一个输出目录")])


def remove_stale_temps(folders: set[Path]) -> None:
    """Remove temporary files an interrupted build (kill -9) left in `folders`:
    only names of our own pattern, never anything else."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if _OWN_TEMP.match(entry.name) and entry.is_file() and not entry.is_symlink():
                entry.unlink(missing_ok=True)


def files_named(folder: Path, suffix: str) -> list[Path]:
    """sorted(folder.rglob("*" + suffix)), links to folders not followed, as rglob does:
    os.walk is a few times faster, and a workspace's manifests are listed at every start."""
    found = [Path(directory, name) for directory, subfolders, names in os.walk(folder)
             for name in (*names, *subfolders) if name.endswith(suffix)]
    return sorted(found)


def record_file(folder: Path, name: str) -> Path:
    """The cache record for `name` (an item's path, an issue's id…) in `folder`: named by the name's
    digest, so any name (a path whose bytes are not UTF-8 too) gives a short, safe file name."""
    import hashlib

    return folder / f"{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json"


def remove_records_except(folder: Path, names: Iterable[str]) -> None:
    """Remove the records in `folder` but those of `names` (the cache forgets what is gone)."""
    live = {record_file(folder, name).name for name in names}
    try:
        for path in folder.glob("*.json"):
            if path.name not in live:
                path.unlink()
    except OSError:
        pass  # a read-only workspace keeps its cache


def read_record(path: Path) -> object:
    """A cache record's JSON; None when it is missing, unreadable, not JSON, or nested too
    deep for the decoder (a cache that came with a workspace may have been made to fail)."""
    import json

    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def unpacked_bytes(source: Path | bytes, skip: str = "") -> tuple[int, int] | None:
    """(all, all but the parts under `skip`) bytes a ZIP (a .docx, an .xlsx) declares it unpacks to;
    None when it is not a ZIP. zipfile never reads past the declared sizes, so checking them first
    stops a "zip bomb" (gigabytes packed into kilobytes) before any reader holds it."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    total = sum(part.file_size for part in parts)
    return total, total - sum(part.file_size for part in parts if skip and part.filename.startswith(skip))
