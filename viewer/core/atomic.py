"""Outputs written whole or not at all: a temporary file beside the target, renamed into place (core, no Qt)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TextIO


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import: setting the umask to read it is process-wide, and the window writes files from worker
# threads later on.
_UMASK = _read_umask()


def new_file_mode() -> int:
    """The permissions open() would give a new file (mkstemp's are owner-only)."""
    return 0o666 & ~_UMASK


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path to write; on leaving without an error it becomes `target` in one rename, else it goes.

    The result keeps the permissions of the file it replaces, or gets those of any newly made file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = new_file_mode()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def write_text_atomically(target: Path, produce: Callable[[TextIO], None]) -> None:
    """Write UTF-8 text through `produce(stream)`: a reader sees all of it or none of it."""
    with replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
