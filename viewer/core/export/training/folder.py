"""The output folder of a training export, written whole or not at all (core layer, no Qt).

Everything goes into a temporary sibling `.<name>.<pid>.<random>.part`, renamed onto DIR at the end; any error
removes it, and one a killed export left is removed by the next export to that DIR (core.atomic's sweep). DIR
must not exist or be an empty folder (an export never mixes with or deletes older files), and no file written
may be one of the project's inputs (core.outputs).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from viewer.core.atomic import new_folder_mode, remove_stale_temporaries
from viewer.core.errors import OutputError
from viewer.core.export.base import ExportError
from viewer.core.outputs import InputFiles


def check_target(out: str | os.PathLike, inputs: InputFiles) -> Path:
    """The absolute DIR; ExportError when it is a file or a folder that is not empty."""
    target = Path(os.path.abspath(os.fspath(out)))
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            inputs.check(target)  # an input file is named as such
            raise ExportError(f"{target} is a file; a training export writes a folder: give a new folder name")
        if any(target.iterdir()):
            raise ExportError(f"{target} is a folder that is not empty; give a new or empty folder (lsview never "
                              "mixes an export with older files or deletes them)")
    return target


class OutputFolder:
    """The temporary folder an export writes into; commit() puts it at the target, discard() removes it."""

    def __init__(self, target: Path):
        self.target = target
        self.rows: list[tuple] = []
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(target)  # what a killed export left beside it
            self.path = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                              dir=target.parent))
        except OSError as exc:
            raise OutputError(f"{target}: cannot write there: {exc.strerror or exc}") from exc

    def _file(self, relative: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_text(self, relative: str, text: str) -> str:
        with open(self._file(relative), "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        return relative

    def write_bytes(self, relative: str, data: bytes) -> str:
        with open(self._file(relative), "wb") as stream:
            stream.write(data)
        return relative

    def open_text(self, relative: str):
        """A text stream for a big file (annotations.json) written in pieces."""
        return open(self._file(relative), "w", encoding="utf-8", newline="\n")

    def add_image(self, source: str, name: str, link: bool) -> str:
        """The image copied (or symlinked, by absolute path) to images/<name>."""
        relative = f"images/{name}"
        target = self._file(relative)
        if link:
            os.symlink(os.path.abspath(source), target)
        else:
            shutil.copyfile(source, target)
        return relative

    def files_csv(self) -> str:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["task_index", "task_id", "labels_from", "image", "file"])
        writer.writerows(self.rows)
        return self.write_text("files.csv", stream.getvalue())

    def commit(self) -> None:
        try:
            os.chmod(self.path, new_folder_mode())
            if self.target.is_dir():
                try:
                    os.replace(self.path, self.target)  # POSIX: an empty folder is replaced in one rename
                    return
                except OSError:
                    self.target.rmdir()
            os.replace(self.path, self.target)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.target}: cannot put the export there: {exc.strerror or exc}; nothing was "
                              "written") from exc

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
