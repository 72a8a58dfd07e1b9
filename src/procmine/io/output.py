"""Writing a run's output files as one unit, into a folder locked against a concurrent run.

``with OutputFolder(folder) as out: ...; out.write({name: text})`` is the one way a command writes files.
Entering checks the folder can be written and takes its lock (another procmine run writing there is
refused, not interleaved); ``write`` puts every file in a hidden staging folder beside it, flushed to
disk, then puts the set in place at once:

- a folder that does not exist yet, or holds only files this run writes (the previous run's set), is
  swapped with the staging folder in one rename (``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two
  renames, between which the folder is briefly absent, never mixed);
- a folder that also holds other files (``-o .``) keeps them; the run's files are renamed into it one
  after the other, right after all of them were written.

A full disk, a read-only folder or any error before ``write`` ends leaves the folder as it was, and the
staging folder is removed. A run killed outright leaves at most a hidden ``.NAME.procmine-*`` beside the
folder, which the next run into that folder removes.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from procmine.errors import InputError

_STAGING = ".procmine-staging-"
_LOCK = ".procmine-lock"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputFolder:
    """A command's output folder, opened before the run's work (an unusable or busy folder fails first)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._lock: _Lock | None = None
        self._staging: Path | None = None
        self._created: list[Path] = []  # parent folders made by this run, removed again if it fails
        self._written = False
        self._home_folder: Path | None = None

    def __enter__(self) -> OutputFolder:
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            raise InputError(folder, "output path exists and is not a folder")
        self._make_parents()
        if folder.is_dir() and not os.access(folder, os.W_OK):
            self._undo_parents()
            raise InputError(folder, "the output folder is not writable")
        parent = folder.parent
        self._home_folder = parent if os.access(parent, os.W_OK) or not folder.is_dir() else folder
        try:
            self._lock = _Lock(self._beside(_LOCK))
            self._remove_stale_staging()
            self._staging = Path(tempfile.mkdtemp(prefix=self._beside(_STAGING).name, dir=self._home()))
        except OSError as exc:
            self._release()
            raise InputError(folder, f"cannot write to the output folder: {exc.strerror or exc}") from None
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def write(self, contents: Mapping[str, str | bytes | Iterable[bytes]]) -> dict[str, Path]:
        """Put the files (name -> text, bytes, or an iterable of byte chunks written as they come, for a
        file too big to hold) in place as one unit; returns name -> path, in order."""
        if self._staging is None or self._written:
            raise RuntimeError("OutputFolder.write: called outside 'with' or twice")
        self._written = True
        try:
            for name, data in contents.items():
                _write_synced(
                    self._staging / name,
                    [data.encode("utf-8")]
                    if isinstance(data, str)
                    else [data]
                    if isinstance(data, bytes)
                    else data,
                )
            _sync_folder(self._staging)
            self._commit(list(contents))
        except OSError as exc:
            cause = f"cannot write the output files: {exc.strerror or exc}; the folder was left as it was"
            raise InputError(self.folder, cause) from None
        return {name: self.folder / name for name in contents}

    # --- committing ---

    def _commit(self, names: list[str]) -> None:
        staging = self._staging
        assert staging is not None
        os.chmod(staging, _folder_mode(self.folder))
        if self._home() != self.folder.parent or not self._replaceable(names):
            self._rename_each(names)
            return
        if not self.folder.exists():
            with contextlib.suppress(FileExistsError, OSError):
                os.rename(staging, self.folder)
                self._staging = None
                return
        _exchange(staging, self.folder)  # staging now holds the previous set, removed on release

    def _replaceable(self, names: list[str]) -> bool:
        """May the whole folder be swapped? Only a real folder holding nothing but files this run writes."""
        if not self.folder.exists():
            return True
        if self.folder.is_symlink():
            return False
        entries = set(os.listdir(self.folder))
        return entries <= set(names)

    def _rename_each(self, names: list[str]) -> None:
        assert self._staging is not None
        os.makedirs(self.folder, exist_ok=True)
        for name in names:
            os.replace(self._staging / name, self.folder / name)
        _sync_folder(self.folder)

    # --- where things go, and tidying up ---

    def _home(self) -> Path:
        """The folder that holds the lock and the staging folder: beside the output folder when its parent
        is writable (the set can then be swapped in), else inside it."""
        assert self._home_folder is not None
        return self._home_folder

    def _beside(self, suffix: str) -> Path:
        home = self._home()
        prefix = f".{self.folder.name}" if home == self.folder.parent else ""
        return home / f"{prefix}{suffix}"

    def _remove_stale_staging(self) -> None:
        """Staging folders left by a run that was killed (this run holds the lock, so none is live)."""
        stale = self._beside(_STAGING).name
        for entry in self._home().iterdir():
            if entry.name.startswith(stale) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)

    def _make_parents(self) -> None:
        missing = [p for p in [self.folder.parent, *self.folder.parent.parents] if not p.exists()]
        for parent in reversed(missing):
            try:
                parent.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                self._undo_parents()
                cause = f"cannot create the output folder: {exc.strerror or exc}"
                raise InputError(self.folder, cause) from None
            self._created.append(parent)

    def _undo_parents(self) -> None:
        for parent in reversed(self._created):
            with contextlib.suppress(OSError):
                parent.rmdir()
        self._created.clear()

    def _release(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if not self._written or not self.folder.exists():
            self._undo_parents()


class _Lock:
    """An exclusive ``flock`` on a small file beside the output folder, removed on release. The kernel
    drops it when the process dies, so a killed run never blocks the next one."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = -1
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; runs are not serialised
            return
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                cause = f"cannot write to the output folder: {exc.strerror or exc}"
                raise InputError(path.parent, cause) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                cause = "another procmine run is writing to this folder; try again when it has finished"
                raise InputError(_folder_named_by(path), cause) from None
            if _same_file(fd, path):  # not a lock file its last holder removed meanwhile
                self.fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self.fd)
            self.fd = -1


def _folder_named_by(lock: Path) -> Path:
    name = lock.name
    if name == _LOCK:
        return lock.parent
    return lock.parent / name[1 : -len(_LOCK)]


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _exchange(new: Path, old: Path) -> None:
    """Swap two folders in one step (Linux); elsewhere move the old one aside, then the new one in."""
    libc = _libc()
    if libc is not None and hasattr(libc, "renameat2"):
        done = libc.renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE)
        if done == 0:
            _sync_folder(old.parent)
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(old))
    aside = Path(tempfile.mkdtemp(prefix=new.name, dir=new.parent))
    os.rename(old, aside / "previous")
    os.rename(new, old)
    os.rename(aside, new)  # the previous set ends where the staging folder was, removed on release
    _sync_folder(old.parent)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _write_synced(path: Path, chunks: Iterable[bytes]) -> None:
    with open(path, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _folder_mode(folder: Path) -> int:
    """The previous folder's permissions, or the user's usual ones (mkdtemp makes 0700)."""
    try:
        return os.stat(folder).st_mode & 0o7777
    except OSError:
        return 0o777 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- tables for spreadsheets ---

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP, "CSV
# injection"): "=HYPERLINK(...)" in an activity or case id must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_csv(frame: Any, header: bool = True) -> str:
    """``frame`` (a pandas DataFrame) as CSV text, every text cell that a spreadsheet would run as a
    formula prefixed with an apostrophe. Number columns are left alone: -0.5 is a number, not a formula.
    ``header=False``: the rows alone (a later batch of the same file)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("string", "str"):
            safe[column] = safe[column].map(_neutralised)
    return str(safe.to_csv(index=False, header=header))


def spreadsheet_rows_csv(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    """Rows of text, numbers and blanks (None, NaN) as the CSV text ``spreadsheet_csv`` writes of the same
    values in a frame (text cells that look like formulas prefixed with an apostrophe, floats as Python
    writes them, blanks empty), without making a frame of them."""
    return csv_rows_text(([spreadsheet_cell(value) for value in row] for row in rows), header)


def csv_rows_text(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    """Rows whose cells are already what a spreadsheet may read (``spreadsheet_cell``), as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def spreadsheet_cell(value: Any) -> Any:
    """One cell as ``spreadsheet_rows_csv`` writes it: blanks (None, NaN) empty, formulas neutralised."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _neutralised(value)


def _neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- single files (the sample's files, tests): each replaced atomically on its own ---


def write_text_atomic(path: str | Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file in the same folder, then rename it over ``path``."""
    target = Path(path)
    ensure_folder(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the user's usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def ensure_folder(folder: str | Path) -> Path:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "output path exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(folder, f"cannot create output folder: {exc.strerror or exc}") from exc
    return folder
