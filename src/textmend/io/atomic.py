"""Write a file so that it is either wholly there or not changed at all.

The bytes go to a temporary file beside the target, are flushed to disk, and
only then renamed over the target: an interrupted run leaves the target as it
was (and at worst a ``.NAME.PID.*.tmp`` file beside it), never a truncated file.
The next write of the same target removes what a run that is gone left there.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

# Written bytes are handed to the disk every this many, so that ``commit``
# waits only for the last of them.
_WRITEBACK_BYTES = 8 << 20


class AtomicFile:
    """A temporary file that becomes ``path`` on ``commit``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> f = AtomicFile(target)
    >>> _ = f.stream.write(b"done")
    >>> target.exists()
    False
    >>> f.commit()
    >>> target.read_bytes()
    b'done'
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
            )
        except OSError as error:
            # The message names the file asked for, not the temporary one.
            error.filename = str(path)
            raise
        self.temp = Path(name)
        self.stream: BinaryIO = os.fdopen(fd, "wb")
        _remove_stale(path)
        # Where writeback was last started; None where it cannot be.
        self._handed: int | None = 0 if hasattr(os, "posix_fadvise") else None

    def start_writeback(self) -> None:
        """Start writing what the stream has passed on to disk, without waiting.

        Call it as the output grows: the disk then works while the run does,
        and the output does not crowd other files out of the page cache.
        """
        if self._handed is None:
            return
        fd = self.stream.fileno()
        position = os.lseek(fd, 0, os.SEEK_CUR)
        if position - self._handed >= _WRITEBACK_BYTES:
            try:
                # Linux starts writeback of dirty pages it is told are not needed.
                os.posix_fadvise(fd, self._handed, position - self._handed, os.POSIX_FADV_DONTNEED)
            except OSError:
                self._handed = None  # only a hint: a file system may not take it
                return
            self._handed = position

    def commit(self, backup: Path | None = None) -> None:
        """Flush to disk and rename over the target, keeping a backup if asked."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.path.exists():
            _copy_owner(self.path, self.temp)
            shutil.copymode(self.path, self.temp)  # after chown, which may clear setuid
            if backup is not None:
                _keep_copy(self.path, backup)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temp, 0o666 & ~umask)
        os.replace(self.temp, self.path)
        _sync_directory(self.path.parent)

    def abort(self) -> None:
        """Drop the temporary file; the target is left as it was."""
        # Closing flushes what is buffered: on a full disk that fails again,
        # and the file is closed all the same.
        with contextlib.suppress(OSError):
            self.stream.close()
        self.temp.unlink(missing_ok=True)


def _remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` left by runs killed on this machine.

    A file whose process still runs stays. (One of a run on another machine
    sharing the folder could be taken for a dead one: that run then fails
    to rename it, says so, and leaves the target as it was.)
    """
    if os.name != "posix":  # no harmless way to ask whether a process runs
        return
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = temp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            temp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def _copy_owner(source: Path, target: Path) -> None:
    """Give ``target`` the owner and group of ``source``, or as much of it as is permitted.

    Only root may give a file away; an owner may still choose among their groups.
    """
    if not hasattr(os, "chown"):  # Windows
        return
    info = source.stat()
    for owner in (info.st_uid, -1):
        try:
            os.chown(target, owner, info.st_gid)
            return
        except PermissionError:
            continue


def _keep_copy(path: Path, backup: Path) -> None:
    """Make ``backup`` a copy of ``path`` without a moment where neither exists."""
    temp = backup.with_name(f".{backup.name}.tmp")
    temp.unlink(missing_ok=True)
    try:
        os.link(path, temp)
    except OSError:
        shutil.copy2(path, temp)
    os.replace(temp, backup)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
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
