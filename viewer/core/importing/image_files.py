"""Finding a source's images on disk by name, and their decoded sizes from the file headers (core layer, no Qt).

A folder is listed once (recursively); a name is looked up by its relative path without suffix, then by its stem
when only one image has it.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from viewer.core.errors import MediaError
from viewer.core.images import image_size

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".jfif", ".pgm",
                            ".ppm", ".mpo", ".dng", ".heic", ".avif"})


def _without_suffix(relative: str) -> str:
    path = PurePosixPath(relative)
    return str(path.with_suffix("")) if path.suffix else str(path)


class ImageFolder:
    """The images under one folder, found by relative path or stem."""

    def __init__(self, folder: str | os.PathLike | None):
        self.folder = None if folder is None else os.path.abspath(os.fspath(folder))
        self._by_relative: dict[str, str] = {}
        self._by_stem: dict[str, list[str]] = {}
        if self.folder is not None and os.path.isdir(self.folder):
            for root, dirs, files in os.walk(self.folder):
                dirs.sort()
                for name in sorted(files):
                    if os.path.splitext(name)[1].lower() not in IMAGE_SUFFIXES:
                        continue
                    path = os.path.join(root, name)
                    relative = os.path.relpath(path, self.folder).replace(os.sep, "/")
                    self._by_relative.setdefault(_without_suffix(relative).casefold(), path)
                    self._by_relative.setdefault(relative.casefold(), path)
                    self._by_stem.setdefault(os.path.splitext(name)[0].casefold(), []).append(path)

    def __len__(self) -> int:
        return sum(len(paths) for paths in self._by_stem.values())

    def find(self, name: str) -> str | None:
        """The image `name` stands for: a relative path with or without its suffix, else a unique stem."""
        name = name.replace("\\", "/").lstrip("/")
        found = self._by_relative.get(name.casefold()) or self._by_relative.get(_without_suffix(name).casefold())
        if found is not None:
            return found
        stem = os.path.splitext(PurePosixPath(name).name)[0].casefold()
        candidates = self._by_stem.get(stem, [])
        return candidates[0] if len(candidates) == 1 else None


def decoded_size(path: str) -> tuple[int, int] | str:
    """(width, height) of the image as decoded (EXIF applied), from its header; or why it cannot be read."""
    try:
        return image_size(path)
    except MediaError as exc:
        return str(exc)
