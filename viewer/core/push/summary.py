"""What `lsview push` did, in words scripts read (README: "lsview push"): the counts line and one line per
skipped task. Core layer, no Qt. Change the wording only together with the README and the tests that parse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.errors import LsviewError


@dataclass(frozen=True)
class Skip:
    index: int
    task_id: str | None
    reason: str
    forceable: bool = False  # changed on the server: --force pushes it anyway

    def line(self) -> str:
        name = f"task {self.task_id}" if self.task_id is not None else f"task at index {self.index}"
        return f"skipped {name}: {self.reason}"


@dataclass
class PushSummary:
    server: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    error: LsviewError | None = None  # what stopped the push before its last task (the counts say how far it got)

    def skip(self, skip: Skip) -> None:
        self.skipped.append(skip)

    def counts(self) -> str:
        return (f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"skipped {len(self.skipped)}")

    def lines(self) -> list[str]:
        head = (f"dry run, nothing was written: pushing to {self.server} would do" if self.dry_run
                else f"pushed to {self.server}")
        lines = [head, self.counts()]
        lines.extend(skip.line() for skip in self.skipped)
        if any(skip.forceable for skip in self.skipped):
            lines.append("tasks changed on the server are pushed anyway with --force (nothing there is deleted)")
        return lines


def not_pulled() -> str:
    return "not in lsview-project.json (not pulled from this server)"


def gone() -> str:
    return "not on the server any more (HTTP 404)"


def updated(server: str, baseline: str, since_push: bool) -> str:
    return (f"changed on the server since the {'last push' if since_push else 'pull'} (updated_at {server}, "
            f"was {baseline})")


def new_annotations(ids: list) -> str:
    return f"new annotations on the server since the pull (ids {', '.join(str(i) for i in ids)})"


def edited_since_push(annotation_id: int) -> str:
    return f"changed on the server since the last push (its annotation {annotation_id} holds another result)"


def deleted(annotation_id: int) -> str:
    return f"its annotation {annotation_id} was deleted on the server"


def refused(exc) -> str:
    return f"refused by the server: {exc}"

