"""The one exception tree of lsview's core; the command line maps it to exit codes.

    LsviewError                      base of everything lsview raises on purpose
     +-- InputError                  a file cannot be read as what it should be (exit code 2)
     |    +-- ConfigError            labeling config: not XML, DOCTYPE/entities refused, not a <View>
     |    +-- TaskFileError          task file: broken JSON / JSON Lines, not tasks at all
     +-- RleError                    a brush RLE list that cannot become a mask
     |    +-- RleCorruptError        the bit stream is not valid rle-pack (truncated, bad header, bad bytes)
     |    +-- RleLengthError         valid stream, but not W*H*4 words for the image it is drawn on
     +-- TrackError                  a video track's `value.sequence` that cannot be read as keyframes
     +-- MediaError                  a data reference that does not lead to readable media
     |    +-- DownloadCancelled      a download cancelled, or not made on a thread that must not wait: may come later
     +-- OutputError                 an output cannot be written (not a regular file, read-only, disk full)
     +-- SessionError                the review session cannot take an action now (nothing was written)
          +-- SessionBusyError       another process holds the session file's write lock for too long
          +-- SessionConflictError   undo/redo of a task another process has changed since
"""

from __future__ import annotations

import re
import reprlib

# How much of a long task value a message quotes: enough to recognise it, never the 50 MB data: URI itself.
QUOTE_LIMIT = 80
MESSAGE_LIMIT = 4000
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxlist, _SHORT_REPR.maxdict, _SHORT_REPR.maxstring = 3, 8, 8, QUOTE_LIMIT
_LONG_RUN = re.compile(r"\S{%d,}" % (3 * QUOTE_LIMIT + 1))


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """repr() of a value for a message: a string cut after `limit` characters with its full length said, any
    other value shortened by reprlib."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        start = repr(value[:limit])
        return f"{start[:-1]}\u2026{start[-1]} ({len(value):,} characters)"
    if type(value) is int and value.bit_length() > 14_000:  # past Python's 4,300-digit str() limit
        return f"<an integer of about {int(value.bit_length() * 0.30103):,} digits>"
    # reprlib stops at a depth and a width: a list nested 900 deep or of a million items costs nothing
    try:
        text = _SHORT_REPR.repr(value)
    except ValueError:  # an integer past Python's 4,300-digit str() limit, somewhere inside
        text = f"<{type(value).__name__} holding an integer too long to print>"
    return text if len(text) <= limit else f"{text[:limit]}\u2026"


def cut_long_values(message: str) -> str:
    """The message with every run of more than 240 non-blank characters cut the way quoted() cuts.

    The safety net for messages that hold a task value whole (paths, URLs, ids): one value can be megabytes.
    What is still longer than MESSAGE_LIMIT keeps its start and end.
    """
    if len(message) <= 3 * QUOTE_LIMIT:
        return message
    message = _LONG_RUN.sub(_cut_run, message)
    if len(message) > MESSAGE_LIMIT:  # a value with blanks in it, quoted whole: keep both ends
        return f"{message[:MESSAGE_LIMIT // 2]} \u2026 (message of {len(message):,} characters cut) \u2026 " \
               f"{message[-MESSAGE_LIMIT // 4:]}"
    return message


def _cut_run(match: re.Match) -> str:
    run = match.group()
    body = run.rstrip(",;:.)") or run
    tail = run[len(body):]                   # punctuation after the value stays
    quote = body[0] if body[0] in "'\"" else ""
    if quote and len(body) > 1 and body[-1] == quote:
        value = body[1:-1]
        return f"{quote}{value[:QUOTE_LIMIT]}\u2026{quote} ({len(value):,} characters){tail}"
    return f"{body[:QUOTE_LIMIT]}\u2026 ({len(body):,} characters){tail}"


class LsviewError(Exception):
    """Base class of every error lsview raises deliberately."""


class TrackError(LsviewError):
    """A `videorectangle` value whose keyframes cannot be read; the message names the keyframe and field."""


class InputError(LsviewError):
    """An input file cannot be used at all. `where` names the file and, when known, the position."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.path = path
        self.line = line
        self.column = column
        super().__init__(message)

    @property
    def where(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.args[0]}"


class ConfigError(InputError):
    """The labeling config cannot be parsed or is refused for safety."""


class TaskFileError(InputError):
    """The task file is not JSON, not JSON Lines, or holds no tasks."""


class RleError(LsviewError):
    """A brush RLE list cannot be turned into a mask."""


class RleCorruptError(RleError):
    """The byte list is not a valid rle-pack stream."""


class RleLengthError(RleError):
    """The stream decodes, but to a number of words other than width*height*4."""

    def __init__(self, message: str, *, decoded: int, expected: int):
        self.decoded = decoded
        self.expected = expected
        super().__init__(message)


class MediaError(LsviewError):
    """A data reference does not lead to a readable file."""


class DownloadCancelled(MediaError):
    """A download was cancelled, or not made on a thread that must not wait on the network. Unlike other media
    errors it says nothing of the media, so it is not remembered: a later look may download them."""


class OutputError(LsviewError):
    """An output file cannot be written whole; nothing of it was left behind (exit code 1)."""


class SessionError(LsviewError):
    """A review action could not be taken; the session file and the window's state are as before it."""


class SessionBusyError(SessionError):
    """Another process kept the session file's write lock longer than lsview waits for it."""


class SessionConflictError(SessionError):
    """Undo or redo would write over work another process saved since the step was taken."""
