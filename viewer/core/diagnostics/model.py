"""Diagnostic records, their codes and severities, and the Reporter that stamps them with their location."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Iterable

from viewer.core.errors import cut_long_values, quoted

# code -> default severity. "error": Label Studio drops, rejects or misdraws something; "warning": it shows the
# data, but not the way the model or the reviewer meant.
CODES: dict[str, str] = {
    "unknown-from-name": "error",
    "unknown-to-name": "error",
    "type-mismatch": "error",
    "unknown-label": "warning",
    "unknown-type": "error",
    "invalid-value": "error",
    "percent-out-of-range": "error",
    "rle-length-mismatch": "error",
    "rle-corrupt": "error",
    "span-out-of-range": "error",
    "span-text-mismatch": "warning",
    "paragraph-span-numeric": "error",
    "orphan-per-region-result": "warning",
    "relation-dangling": "error",
    "missing-data-key": "error",
    "no-data-wrapper": "error",
    "media-not-found": "warning",
    "prediction-id-only": "warning",
    "annotation-id-only": "warning",
    "empty-labels": "warning",
    "duplicate-classification": "warning",
    "original-size-mismatch": "warning",
    "item-index-out-of-range": "error",
}


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    code: str
    message: str
    file: str | None = None
    task: int | None = None
    task_id: Any = None
    source: str | None = None
    source_index: int | None = None
    result_id: str | None = None
    result_index: int | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        # Messages quote task values; one can be a 50 MB data: URI, printed once per mention.
        object.__setattr__(self, "message", cut_long_values(self.message))

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in _FIELDS}

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.task is not None:
            parts.append(f"task {self.task}" + (f" (id {_short_id(self.task_id)})" if self.task_id is not None else ""))
        if self.source is not None:
            parts.append(f"{self.source} {self.source_index}" if self.source_index is not None else self.source)
        if self.result_id is not None:
            parts.append(f"result {_short_id(self.result_id)}")
        return ", ".join(parts)

    def describe(self) -> str:
        where = self.location()
        return f"{self.severity} [{self.code}] " + (f"{where}: " if where else "") + self.message


_FIELDS = tuple(f.name for f in fields(Diagnostic))


def _short_id(value: Any) -> str:
    """An id as the location prints it, cut like a quoted value when a task file makes it huge."""
    if isinstance(value, str):
        return value if len(value) <= 120 else quoted(value)
    return quoted(value, 120)  # str() of an integer past 4,300 digits raises; quoted() never does


class Reporter:
    """Collects diagnostics for one place (file, task, source) so checks only pass what differs."""

    def __init__(self, **where: Any):
        self.where = where
        self.items: list[Diagnostic] = []

    def at(self, **where: Any) -> "Reporter":
        child = Reporter(**{**self.where, **where})
        child.items = self.items
        return child

    def add(self, code: str, message: str, *, severity: str | None = None, **where: Any) -> None:
        fields = {**self.where, **where}
        self.items.append(Diagnostic(severity or CODES.get(code, "error"), code, message, **fields))


def summary(diagnostics: Iterable[Diagnostic]) -> dict:
    items = list(diagnostics)
    return {
        "errors": sum(d.severity == "error" for d in items),
        "warnings": sum(d.severity == "warning" for d in items),
        "diagnostics": [d.to_json() for d in items],
    }
