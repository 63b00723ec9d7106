"""Incremental builds: skip what was already made from the same inputs.

The workspace's cache (.briefing-cache/) records

- `checks.json`, for every issue that passed its checks: a digest of what it
  is read from (its manifest, its item files, its series file and that
  series' own templates, the program), the pictures it shows with their
  digests, and its warnings;
- `summaries/<issue>.json`, each issue's summary for the index, feed and
  search: apart, one file per issue, as it holds the items' text and is only
  read when the index is made again (building one issue reads and writes its
  own, not the archive's).
  An issue whose inputs have that digest need not be read again: it passes
  the same checks with the same warnings.
- `builds/<output folder>.json`, for every file a build wrote: the digest it
  was made from, and its size, modification time and inode on disk. A file
  whose digest is unchanged and that is still the one written is skipped.

File digests are SHA-256 of the bytes, trusted from size + modification
time while a file is unchanged, like `make`, but a file modified within
`RACY_SECONDS` of being recorded is read again next time (it may change
again within the file system's time resolution). Everything here is a cache:
a missing, damaged or foreign record only means the file is made again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import time
from stat import S_ISREG
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .diagnostics import Diagnostic, Report
from .files import read_record, record_file, remove_records_except, write_atomic
from .model import DistributionChange, Manifest, Series

CACHE_DIR = ".briefing-cache"
CHECKS_FILE = "checks.json"
SUMMARIES_DIR = "summaries"
BUILDS_DIR = "builds"
# Bump when what is recorded, or what a digest covers, changes.
STATE_VERSION = 1
RACY_SECONDS = 2.0
# Libraries (top-level modules) whose versions can change the bytes of an output.
RENDERING_LIBRARIES = ("docxtpl", "docx", "jinja2", "markdown", "nh3", "lxml", "PIL", "babel", "yaml", "budoux",
                       "openpyxl")
_PROGRAM_SUFFIXES = (".py", ".html", ".css", ".xml", ".js", ".docx", ".j2")
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def program_digest() -> str:
    """The program that makes the outputs: its code, default templates and libraries.

    The package's own files are hashed rather than trusting its version
    number, so an edited checkout never reuses what an older one made. A
    library counts by where its code is, with that file's size and time: an
    upgrade rewrites it. (Reading version metadata would cost more than the
    rest of a build that has nothing to do.)
    """
    from importlib.util import find_spec

    from .templatedir import default_templates_dir

    digest = hashlib.sha256(f"state {STATE_VERSION}\n".encode())
    for name in RENDERING_LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec and spec.origin else "-"
        try:
            stat = os.stat(origin)
            origin += f" {stat.st_size} {stat.st_mtime_ns}"
        except OSError:
            pass
        digest.update(f"{name} {origin}\n".encode())
    for folder in (str(_PACKAGE), str(default_templates_dir())):
        for name, path in _program_files(folder):
            with open(path, "rb") as file:
                digest.update(name.encode() + b"\0" + file.read())
    return digest.hexdigest()


def _program_files(folder: str) -> Iterator[tuple[str, str]]:
    """(name relative to `folder`, path) of the code and templates under it, in a fixed order
    (os.walk: a few times faster than Path.rglob, and this runs at every start)."""
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        relative = os.path.relpath(directory, folder).replace(os.sep, "/")
        for name in sorted(names):
            if name.endswith(_PROGRAM_SUFFIXES):
                yield (name if relative == "." else f"{relative}/{name}"), os.path.join(directory, name)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _load_json(path: Path) -> dict:
    data = read_record(path)
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def _save_json(path: Path, data: dict) -> None:
    data = {"version": STATE_VERSION, **data}
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"), durable=False)
    except OSError:
        pass  # a read-only workspace still builds, it just rebuilds everything next time


# Inputs -----------------------------------------------------------------------


class FileDigests:
    """SHA-256 of workspace files, trusted from the recorded size and mtime."""

    def __init__(self, root: Path, recorded: dict) -> None:
        self.root = root
        self.prefix = str(root) + os.sep  # keys are workspace-relative
        self.recorded: dict[str, list] = recorded if isinstance(recorded, dict) else {}
        self.changed = False  # whether `recorded` needs writing down
        self.used: set[str] = set()  # keys looked at this run
        self.now = time.time_ns()

    def digest(self, path: Path) -> str:
        """The file's digest; "missing" for anything that is not a readable regular file."""
        try:
            stat = os.stat(path)
        except OSError:
            return "missing"
        if not S_ISREG(stat.st_mode):
            return "missing"
        key = self.key(path)
        self.used.add(key)
        known = self.recorded.get(key)
        if _entry(known, 3) and known[:2] == [stat.st_size, stat.st_mtime_ns] and isinstance(known[2], str):
            return known[2]
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "missing"
        racy = self.now - stat.st_mtime_ns < RACY_SECONDS * 1e9
        # A file changed just now may change again within the same mtime tick: hash it next time too.
        self.recorded[key] = [-1, -1, sha] if racy else [stat.st_size, stat.st_mtime_ns, sha]
        self.changed = True
        return sha

    def unchanged(self, recorded: dict[str, str]) -> bool:
        """Whether each file (workspace-relative name → SHA-256) still has the digest recorded."""
        return all(self.digest(self.root / name) == sha for name, sha in recorded.items())

    def key(self, path: Path) -> str:
        text = str(path)
        return text[len(self.prefix):] if text.startswith(self.prefix) else text


@dataclass
class IssueRecord:
    """What a passed check of one issue left behind."""

    digest: str
    attached: dict[str, str]  # pictures and table files (workspace-relative path) → SHA-256
    warnings: list[Diagnostic]

    @property
    def content(self) -> str:
        """Digest of everything the issue's content comes from: its files, pictures and tables."""
        return _hash(self.digest, *(f"{name}={sha}" for name, sha in sorted(self.attached.items())))


class Checks:
    """The issues known to pass their checks, and the digests of the files they were read from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CACHE_DIR / CHECKS_FILE
        data = _load_json(self.path)
        self.files = FileDigests(root, data.get("files", {}))
        self.issues: dict[str, dict] = data.get("issues", {}) if isinstance(data.get("issues"), dict) else {}
        manifests, settings = data.get("manifests"), data.get("settings")
        self.manifests: dict[str, list] = manifests if isinstance(manifests, dict) else {}
        self.manifests_read: set[str] = set()
        self.settings: dict[str, list] = settings if isinstance(settings, dict) else {}  # parsed YAML
        self.settings_read: set[str] = set()
        self._parsed = None  # itemcache.ParsedItems, once an item is read
        self._changed = False  # whether issues or manifests need writing down (files: self.files.changed)

    def read_item(self, path: Path, workspace: Path, columns: Iterable[str], report: Report):
        """read_item, or the item as parsed before from the same files (see itemcache.py)."""
        if self._parsed is None:
            from .itemcache import ParsedItems  # it builds on this module
            from .items import read_item

            self._parsed = ParsedItems(self.root, self.files, read_item)
        return self._parsed.read(path, workspace, columns, report)

    def read_manifest(self, path: Path, issues_dir: Path, report: Report) -> Manifest | None:
        """read_manifest, or the manifest as read before while the file is unchanged (size + mtime).

        Parsing YAML is most of what a build with nothing to do would cost;
        only manifests read without any message are kept.
        """
        from .manifests import read_manifest

        key, stat, known = self._by_stat(self.manifests, self.manifests_read, path)
        if known is not None:
            try:
                return _manifest_from_json(known, path)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass
        own = Report()
        manifest = read_manifest(path, issues_dir, own)
        report.items.extend(own.items)
        self._keep_by_stat(self.manifests, key, stat,
                           _manifest_to_json(manifest) if manifest is not None and not own.items else None)
        return manifest

    def load_yaml(self, path: Path):
        """load_yaml_file, or the settings or series file as parsed before while it is unchanged
        (size + mtime): then PyYAML is not even imported. Only files parsed without a message are kept."""
        from .yamlsource import load_yaml_file

        key, stat, known = self._by_stat(self.settings, self.settings_read, path)
        if known is not None:
            try:
                return _lined_from_json(known)
            except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
                pass
        data = load_yaml_file(path)  # a problem raises: nothing is kept
        try:
            recorded = _lined_to_json(data)
        except TypeError:
            recorded = None  # a value JSON cannot hold (a !!binary…): parsed each time
        self._keep_by_stat(self.settings, key, stat, recorded)
        return data

    def _by_stat(self, table: dict[str, list], read: set[str], path: Path) -> tuple[str, object, object]:
        """(key, os.stat of the file or None, what `table` records for it while its size and mtime
        are those recorded, else None)."""
        key = self.files.key(path)
        read.add(key)
        try:
            stat = os.stat(path)
        except OSError:
            return key, None, None
        known = table.get(key)
        if _entry(known, 3) and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            return key, stat, known[2]
        return key, stat, None

    def _keep_by_stat(self, table: dict[str, list], key: str, stat, value: object) -> None:
        """Record `value` (None: nothing) for the file, unless it changed too recently to trust."""
        racy = stat is None or self.files.now - stat.st_mtime_ns < RACY_SECONDS * 1e9
        entry = [stat.st_size, stat.st_mtime_ns, value] if value is not None and not racy else None
        self._changed |= entry != table.get(key)
        if entry:
            table[key] = entry
        else:
            table.pop(key, None)

    def issue_digest(self, manifest: Manifest, series: Series | None, items_dir: Path) -> str:
        """Digest of every file the issue is read from (pictures and templates are apart)."""
        parts = [program_digest(), manifest.id, self.files.digest(manifest.path)]
        if series is not None:
            parts += [self.files.digest(series.path)]
        for name in manifest.items:
            parts += [name, self.files.digest(items_dir / name)]
        return _hash(*parts)

    def known(self, issue_id: str, digest: str, mode: str = "") -> IssueRecord | None:
        """The record of an issue that passed with these inputs and these very pictures."""
        entry = self.issues.get(_record_key(issue_id, mode))
        try:
            attached = entry["attached"] if entry else None
            if entry is None or entry["digest"] != digest or not self.files.unchanged(attached):
                return None
            warnings = [diagnostic_from_json(self.root, d) for d in entry["warnings"]]
            return IssueRecord(digest, dict(attached), warnings)
        except (KeyError, TypeError, AttributeError):
            return None

    def record(self, issue_id: str, digest: str, attached: Iterable[Path], warnings: list[Diagnostic],
               summary: Callable[[], dict], mode: str = "") -> IssueRecord:
        """Record an issue that passed; `summary()` makes its summary, called only when the one
        recorded is not from these very inputs (a forced rebuild does not make it again)."""
        shas = {self.files.key(p): self.files.digest(p) for p in attached}
        entry = {
            "digest": digest,
            "attached": shas,
            "warnings": [diagnostic_to_json(self.files, d) for d in warnings],
        }
        self._changed |= entry != self.issues.get(_record_key(issue_id, mode))
        self.issues[_record_key(issue_id, mode)] = entry
        record = IssueRecord(digest, shas, warnings)
        if self.summary(issue_id, record.content) is None:
            self.remember_summary(issue_id, record.content, summary())
        return record

    @functools.cached_property
    def documents(self):
        """The 公文's records (documentcache.py), read when 公文 are first checked."""
        from .documentcache import DocumentRecords  # it builds on this module

        return DocumentRecords(self.root, self.files)

    def _summary_file(self, issue_id: str) -> Path:
        return record_file(self.root / CACHE_DIR / SUMMARIES_DIR, issue_id)

    def remember_summary(self, issue_id: str, digest: str, summary: dict) -> None:
        """Record the summary (its callers found none recorded from these inputs)."""
        data = json.dumps({"version": STATE_VERSION, "id": issue_id, "digest": digest, "summary": summary},
                          ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            write_atomic(self._summary_file(issue_id), data, durable=False)
        except OSError:
            pass  # a read-only workspace reads the issue again for the index

    def summary(self, issue_id: str, digest: str) -> dict | None:
        """The summary recorded for the issue read with these inputs."""
        entry = _load_json(self._summary_file(issue_id))
        return entry["summary"] if entry.get("id") == issue_id and entry.get("digest") == digest else None

    def save(self, current_ids: Iterable[str], item_files: Callable[[], list[Path]] | None = None,
             complete: bool = True) -> None:
        """Write the records down, forgetting issues (and, given `item_files`, items) that no longer
        exist, and, after a run that looked at every issue (`complete`), the files deleted since."""
        if "documents" in vars(self):
            self.documents.save()
        if self._parsed is not None:
            self._parsed.save(item_files)
        keep = set(current_ids)
        issues = {key: value for key, value in self.issues.items() if key.split("\t")[-1] in keep}
        manifests = {key: value for key, value in self.manifests.items() if key in self.manifests_read}
        settings = {key: value for key, value in self.settings.items() if key in self.settings_read}
        files = self.files.recorded
        if complete:
            # What no issue looked at and is gone; few files to look for, as every issue read its own.
            files = {key: value for key, value in files.items()
                     if key in self.files.used or (self.root / key).is_file()}
        # Unchanged records are not written again: for an archive that is megabytes of JSON.
        forgotten = (len(issues) < len(self.issues) or len(manifests) < len(self.manifests)
                     or len(settings) < len(self.settings) or len(files) < len(self.files.recorded))
        if self._changed or self.files.changed or forgotten:
            _save_json(self.path, {"files": files, "issues": issues, "manifests": manifests, "settings": settings})
        if len(issues) < len(self.issues):
            remove_records_except(self.root / CACHE_DIR / SUMMARIES_DIR, keep)  # an issue is gone: its summary too
        if complete and (self._changed or forgotten):
            self._forget_pictures(issues)  # a picture replaced or no longer shown: its processed copies go

    def _forget_pictures(self, issues: dict[str, dict]) -> None:
        """Remove the processed pictures (and recorded source digests) of every source picture no
        recorded issue or 公文 shows any more; the picture cache would otherwise only grow."""
        from .images import SOURCES_DIR, cache_folder

        folder = cache_folder(self.root)
        if not folder.is_dir():
            return
        entries = [*issues.values(), *self.documents.entries.values()]
        live = {sha for entry in entries if isinstance(entry, dict) and isinstance(entry.get("attached"), dict)
                for sha in entry["attached"].values()}
        try:
            for path in folder.iterdir():
                digest = path.name.split(".")[0]
                if path.is_file() and len(digest) == 64 and digest not in live:
                    path.unlink()
            for record in (folder / SOURCES_DIR).glob("*.json"):
                data = read_record(record)
                if not (isinstance(data, list) and len(data) == 3 and data[2] in live):
                    record.unlink()
        except OSError:
            pass  # a read-only workspace keeps its cache



    def template_digest(self, series: Series, fmt: str) -> str:
        """The series' own template for `fmt`; an HTML template may include others beside it."""
        if fmt in ("docx", "pdf") and series.docx_template:
            paths = [series.docx_template]
        elif fmt == "html" and series.html_template:
            paths = sorted(p for p in series.html_template.parent.iterdir() if p.is_file())
        else:
            return "default"  # the default templates are part of program_digest()
        return _hash(*(f"{p.name}={self.files.digest(p)}" for p in paths))


def diagnostic_to_json(files: FileDigests, d: Diagnostic) -> dict:
    return {"path": files.key(d.path) if d.path else None, "line": d.line, "message": d.message,
            "level": d.level, "hint": d.hint}


def diagnostic_from_json(root: Path, d: dict) -> Diagnostic:
    return Diagnostic(root / d["path"] if d["path"] else None, d["line"], d["message"], d["level"], d["hint"])


def _record_key(issue_id: str, mode: str) -> str:
    """Records of `check` and of a build are kept apart: a build refuses what a check only warns of."""
    return f"{mode}\t{issue_id}" if mode else issue_id


def _entry(value: object, length: int) -> bool:
    """Whether a recorded entry has the shape this version writes (the cache may be damaged)."""
    return isinstance(value, list) and len(value) == length


def _lined_to_json(value: object) -> object:
    """Parsed YAML (yamlsource's LinedDict and LinedList, with their lines) as JSON."""
    from .yamlsource import LinedDict, LinedList

    if isinstance(value, LinedDict):
        return {"map": {key: _lined_to_json(v) for key, v in value.items()}, "line": value.line,
                "lines": value.key_lines}
    if isinstance(value, LinedList):
        return {"list": [_lined_to_json(v) for v in value], "line": value.line, "lines": value.item_lines}
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return value
    raise TypeError(f"{type(value).__name__} is not kept")


def _lined_from_json(value: object) -> object:
    from .yamlsource import LinedDict, LinedList

    if not isinstance(value, dict):
        return value  # a scalar: YAML's mappings and lists are all recorded as objects
    if "map" in value:
        result = LinedDict((key, _lined_from_json(v)) for key, v in value["map"].items())
        result.line, result.key_lines = int(value["line"]), {str(k): int(n) for k, n in value["lines"].items()}
        return result
    result = LinedList(_lined_from_json(v) for v in value["list"])
    result.line, result.item_lines = int(value["line"]), [int(n) for n in value["lines"]]
    return result


def _manifest_to_json(m: Manifest) -> dict:
    data = asdict(m)
    del data["path"]
    data["date"] = m.date.isoformat()
    return data


def _manifest_from_json(data: dict, path: Path) -> Manifest:
    change = data["distribution"]
    return Manifest(
        **{**data, "path": path, "date": dt.date.fromisoformat(data["date"]),
           "items": tuple(data["items"]), "item_lines": tuple(data["item_lines"]),
           "distribution": DistributionChange(
               add={k: tuple(v) for k, v in change["add"].items()},
               remove={k: tuple(v) for k, v in change["remove"].items()},
               extra=tuple(change["extra"]), copies=change["copies"])})


# Outputs ----------------------------------------------------------------------


def output_digest(record: IssueRecord, fmt: str, template: str) -> str:
    """An issue file's inputs: the issue's, its pictures and tables, the format and that format's template."""
    return _hash(record.content, fmt, template)


def site_digest(*parts: str) -> str:
    return _hash(program_digest(), *parts)


@dataclass
class Outputs:
    """What earlier builds wrote into one output folder."""

    path: Path
    files: dict[str, list] = field(default_factory=dict)  # relative path → [digest, size, mtime, inode]
    # Files made together from one digest (the index, feed and search): name → {"inputs", "files"}
    groups: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, out_dir: Path) -> Outputs:
        name = hashlib.sha256(str(out_dir).encode("utf-8")).hexdigest()[:16]
        path = root / CACHE_DIR / BUILDS_DIR / f"{name}.json"
        data = _load_json(path)
        if data.get("out_dir") != str(out_dir):
            return cls(path)
        files, groups = data.get("files"), data.get("groups")
        return cls(path, files if isinstance(files, dict) else {}, groups if isinstance(groups, dict) else {})

    def up_to_date(self, out_dir: Path, path: Path, digest: str) -> bool:
        """Whether `path` is the file a build made from `digest`, untouched since."""
        known = self.files.get(path.relative_to(out_dir).as_posix())
        if not _entry(known, 4) or known[0] != digest:
            return False
        try:
            stat = path.stat()
        except OSError:
            return False
        return known[1:] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]

    def group_up_to_date(self, out_dir: Path, group: str, inputs: str) -> bool:
        """Whether the group was made from `inputs` and each of its files is still as written."""
        known = self.groups.get(group)
        try:
            return known["inputs"] == inputs and all(
                self.up_to_date(out_dir, out_dir / name, self.files[name][0]) for name in known["files"])
        except (KeyError, TypeError, IndexError):
            return False

    def remove_others(self, out_dir: Path, current: set[str]) -> list[Path]:
        """Forget the files no input makes any more (`current`: those some input makes, relative
        paths without their suffix, and the groups' files), and remove those still as written."""
        current |= {name for group in self.groups.values() if isinstance(group, dict)
                    for name in group.get("files", ())}
        removed = []
        for name in [name for name in self.files if name not in current and name.rpartition(".")[0] not in current]:
            path = out_dir / name
            if _entry(self.files[name], 4) and self.up_to_date(out_dir, path, self.files[name][0]):
                try:
                    path.unlink()
                except OSError:
                    continue  # try again next time
                removed.append(path)
                if path.parent != out_dir:
                    try:
                        path.parent.rmdir()  # the folder of a series, or of the search shards, if now empty
                    except OSError:
                        pass  # not empty
            del self.files[name]  # removed, or changed by someone else: no longer ours
        return removed

    def written(self, out_dir: Path, path: Path, digest: str) -> None:
        stat = path.stat()
        self.files[path.relative_to(out_dir).as_posix()] = [digest, stat.st_size, stat.st_mtime_ns, stat.st_ino]

    def save(self, out_dir: Path) -> None:
        if not self.path.exists():
            _forget_removed_folders(self.path.parent)  # once per new output folder, not every build
        _save_json(self.path, {"out_dir": str(out_dir), "files": self.files, "groups": self.groups})


def _forget_removed_folders(folder: Path) -> None:
    """Drop the records of output folders that no longer exist (temporary previews, tests…)."""
    for path in folder.glob("*.json") if folder.is_dir() else ():
        out_dir = _load_json(path).get("out_dir")
        if not out_dir or not Path(out_dir).is_dir():
            path.unlink(missing_ok=True)


def content_digest(data: bytes) -> str:
    """Digest recorded for a file that is cheap to make but should not be rewritten unchanged."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
