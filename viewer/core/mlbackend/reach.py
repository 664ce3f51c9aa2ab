"""Which task media an ML backend cannot fetch: it reads every image by URL itself (ECOSYSTEM.md 4), so a path on
this computer, a file:// URL, or a Label Studio path without that server reaches it only by luck. Said, task by
task, before the backend is called. Core layer, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from viewer.core.numbers import preview
from viewer.core.outputs import media_paths, media_references

NAMED = 5   # tasks named per kind of reference; the rest are counted

WHY = {
    "path": "a path on this computer: the backend fetches media by URL itself and cannot open it (unless it runs "
            "here and the path is absolute); serve the files over http, or use Label Studio URLs",
    "file": "a file:// URL: the backend fetches media over http(s) (label-studio-ml downloads with `requests`, "
            "which has no file://); serve the files over http, or use Label Studio URLs",
    "label-studio": "a Label Studio path (/data/upload/..., /data/local-files/?d=...): the backend fetches it only "
                    "from the Label Studio it knows (LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY in its environment)",
    "cloud": "a cloud storage URL (s3://, gs://, azure-blob://): the backend has it signed by the Label Studio it "
             "knows (LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY in its environment), or cannot fetch it",
}


def reference_kind(ref: str) -> str | None:
    """What kind of unreachable reference `ref` is (a key of WHY), None for one a backend fetches (http, data:)."""
    parts = urlsplit(ref) if "://" in ref or ref.startswith("data:") else None
    scheme = parts.scheme.lower() if parts is not None else ""
    if scheme in ("http", "https", "data"):
        return None
    if scheme == "file":
        return "file"
    if scheme in ("s3", "gs", "azure-blob"):
        return "cloud"
    if ref.startswith(("/data/upload/", "/data/local-files", "data/upload/", "upload/", "/upload/")):
        return "label-studio"
    if not ref.strip():
        return None  # an empty reference is validate's to report, not this
    return "path"


@dataclass
class Unreachable:
    """Tasks whose media the backend cannot fetch, by kind of reference: (task label, reference) of the first
    NAMED, and how many in all."""

    named: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, task_label: str, ref: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        listed = self.named.setdefault(kind, [])
        if len(listed) < NAMED:
            listed.append((task_label, ref))

    def lines(self) -> list[str]:
        out = []
        for kind, count in self.counts.items():
            shown = "; ".join(f"{label}: {preview(ref)}" for label, ref in self.named[kind])
            more = f"; and {count - len(self.named[kind]):,} more" if count > len(self.named[kind]) else ""
            out.append(f"{count:,} task(s) name their media by {WHY[kind]}. {shown}{more}")
        return out


def unreachable_media(project, tasks) -> Unreachable:
    """The media of `tasks` (of the project) that the backend cannot fetch; a task counts once per kind."""
    found = Unreachable()
    paths = media_paths(project.config)
    for task in tasks:
        seen: set[str] = set()
        for ref in media_references(task, paths):
            kind = reference_kind(ref)
            if kind is not None and kind not in seen:
                seen.add(kind)
                found.add(kind, task.label(), ref)
    return found
