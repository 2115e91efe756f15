"""Files aj reads and writes, made safe: every output is replaced whole, never the open
database, and inputs are regular files.

- An output file is written to a hidden temporary file beside it (`.NAME.aj-PID-XXXX.tmp`),
  flushed to disk, then renamed over the target: a failure, Ctrl-C or SIGTERM leaves the
  previous file as it was and removes the temporary one; after a SIGKILL (or a power cut)
  the previous file is still whole, and the next write to the same target removes the
  leftover temporary file of the dead process.
- A set of files (`aj export` tables) is written the same way, file by file, and only when
  all were written are they renamed into place, one after the other.
- No output may be the database this process has open, nor its -wal, -shm or -journal
  file, however the path is spelt (relative, through a symbolic link, a hard link).
- A symbolic link as target is written through (the file it points to is replaced); one
  pointing nowhere is refused. A FIFO or device (`-o /dev/stdout`) is written directly.
- Inputs must be regular files: a FIFO, device or socket is refused at once instead of
  blocking forever.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import UsageError

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")
_open_databases: set[Path] = set()


def protect(database: Path) -> None:
    """Remember a database file this process opens: no output may be written over it."""
    _open_databases.add(_resolved(database))


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def _protected_paths() -> set[Path]:
    return {Path(str(db) + suffix) for db in _open_databases for suffix in DATABASE_COMPANIONS}


def check_not_database(path: Path, what: str = "--output") -> None:
    """Refuse a path that is, or would write over, a database this process has open."""
    resolved = _resolved(path)
    protected = _protected_paths()
    hit = resolved in protected
    if not hit and resolved.exists():
        hit = any(p.exists() and os.path.samefile(p, resolved) for p in protected)
    if hit:
        raise UsageError(f"{what} {display(path)}: that is the database aj has open (or one of its files); "
                         "writing there would destroy it: choose another file")


def display(path: Any) -> str:
    """A path as text that prints on one line: a name that is not valid UTF-8 shows its odd
    bytes as \\xNN, newlines and other control characters as escapes."""
    from .textnorm import one_line

    return one_line(os.fsencode(path).decode("utf-8", "backslashreplace"))


def _target(path: Path, what: str) -> tuple[Path, bool]:
    """The file to replace (a symbolic link's target) and whether it is a FIFO or device,
    written directly rather than replaced."""
    if os.path.islink(path) and not os.path.exists(path):
        raise UsageError(f"{what} {display(path)}: a symbolic link to {display(os.readlink(path))}, which does not "
                         "exist: remove the link or give another file")
    check_not_database(path, what)
    real = _resolved(path)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real, False
    if stat.S_ISDIR(mode):
        raise UsageError(f"{what} {display(path)}: is a directory")
    return real, not stat.S_ISREG(mode)


def _remove_leftovers(target: Path) -> None:
    """Temporary files a killed aj left beside this target (their process is gone)."""
    pattern = re.compile(r"^\." + re.escape(target.name) + r"\.aj-(\d+)-[^.]+\.tmp(?:-wal|-shm|-journal)?$")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Pending:
    """One output being written to its temporary file."""

    def __init__(self, target: Path, binary: bool):
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.aj-{os.getpid()}-", suffix=".tmp", dir=target.parent)
        self.temp = Path(temp)
        self.stream: IO[Any] = (os.fdopen(fd, "wb") if binary
                                else open(fd, "w", encoding="utf-8", newline=""))  # noqa: SIM115 - closed in commit/discard

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        try:
            os.chmod(self.temp, stat.S_IMODE(os.stat(self.target).st_mode))
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temp, 0o666 & ~umask)

    def install(self) -> None:
        os.replace(self.temp, self.target)
        _sync_directory(self.target.parent)

    def discard(self) -> None:
        try:
            self.stream.close()
        except OSError:
            pass
        self.temp.unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_output(path: Path, *, binary: bool = False, what: str = "--output") -> Iterator[IO[Any]]:
    """A stream whose content replaces `path` only once the block succeeds (see the module
    docstring)."""
    path = Path(path)
    target, direct = _target(path, what)
    if direct:
        with open(target, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})) as stream:
            yield stream
        return
    pending = _Pending(target, binary)
    try:
        yield pending.stream
        pending.commit()
        pending.install()
    except BaseException:
        pending.discard()
        raise


class OutputSet:
    """Several files written together (`add`), put in place only by `install`: until then
    the previous files stay as they were."""

    def __init__(self, directory: Path, what: str = "--output"):
        self.directory = Path(directory)
        self.what = what
        self.pending: list[_Pending] = []

    def add(self, name: str, *, binary: bool = False) -> IO[Any]:
        path = self.directory / name
        target, direct = _target(path, self.what)
        if direct:
            raise UsageError(f"{self.what} {display(path)}: not a regular file")
        pending = _Pending(target, binary)
        self.pending.append(pending)
        return pending.stream

    def install(self) -> None:
        for pending in self.pending:
            pending.commit()
        for pending in self.pending:
            pending.install()
        self.pending = []

    def discard(self) -> None:
        for pending in self.pending:
            pending.discard()
        self.pending = []


@contextmanager
def output_set(directory: Path, what: str = "--output") -> Iterator[OutputSet]:
    outputs = OutputSet(directory, what)
    try:
        yield outputs
        outputs.install()
    except BaseException:
        outputs.discard()
        raise


@contextmanager
def temporary_beside(path: Path, what: str) -> Iterator[Path]:
    """A fresh temporary file name beside `path`, for writers that need a name (SQLite):
    removed afterwards with any -journal, -wal and -shm files, whatever happens."""
    path = Path(path)
    target, direct = _target(path, what)
    if direct:
        raise UsageError(f"{what} {display(path)}: not a regular file")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.aj-{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(temp)
    try:
        yield Path(temp)
    finally:
        for suffix in DATABASE_COMPANIONS:
            Path(temp + suffix).unlink(missing_ok=True)


def install_new(temp: Path, path: Path) -> None:
    """Put a finished temporary file in place as `path`, which must not exist (a link never
    replaces a file, so one created meanwhile is not overwritten)."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    target = _resolved(path) if os.path.islink(path) else Path(os.path.abspath(path))
    try:
        os.link(temp, target)
    except FileExistsError:
        raise UsageError(f"{display(path)}: exists already; choose a new file name") from None
    _sync_directory(target.parent)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (see `open_regular`), refused when over `limit` bytes."""
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if limit is not None and size > limit:
            raise _input_error(f"{display(path)}: file too large ({size:,} bytes; the limit is {limit:,})")
        return stream.read()


def open_regular(path: Path) -> IO[bytes]:
    """A binary stream on a regular file. A FIFO, device or socket is refused at once: it is
    opened without waiting for a writer, then looked at."""
    prefix = display(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _input_error(f"{prefix}: no such file") from None
    except IsADirectoryError:
        raise _input_error(f"{prefix}: is a directory") from None
    except PermissionError:
        raise _input_error(f"{prefix}: permission denied") from None
    except OSError as exc:
        raise _input_error(f"{prefix}: cannot read ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "is a directory" if stat.S_ISDIR(mode) else f"not a regular file ({_kind(mode)}); give a file"
        raise _input_error(f"{prefix}: {kind}")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _input_error(message: str) -> Exception:
    from .errors import ValidationError

    return ValidationError([message])
