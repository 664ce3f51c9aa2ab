"""Outputs written whole or not at all: a temporary file beside the target, renamed into place (core, no Qt)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TextIO


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path to write; on leaving without an error it becomes `target` in one rename, else it goes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
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
