"""Diagnostic records, their codes and severities, and the Reporter that stamps them with their location."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Iterable

from viewer.core.errors import cut_long_values, quoted

# One rule for every code, from what Label Studio 1.23.2 does with the file (issue 14):
#   error   - Label Studio refuses the file or the config, or its editor does not show the region (result,
#             relation) or fails to load the prediction or annotation;
#   warning - Label Studio shows it, but not as the file seems to intend (another control's colour, no label ...);
#   info    - the rest (lsview's own notes, such as an image it cannot find here).
# code -> (default severity, what Label Studio does), the table README's "Why doesn't my prediction show?" gives.
VERDICTS: dict[str, tuple[str, str]] = {
    "unknown-from-name": ("error", "the editor drops the result; a `*labels` result it can re-point is a warning "
                                   "(shown unlabelled), and so is one whose region another result of the same "
                                   "id still draws"),
    "unknown-to-name": ("error", "the editor drops the result"),
    "annotation-fails-to-load": ("error", "the editor fails to load the whole prediction or annotation "
                                          "(Failed to resolve reference): none of its regions show"),
    "type-mismatch": ("error", "the editor cannot show the result; an image region it still draws (in the "
                               "from_name control's style, without the labels of another type) is a warning"),
    "unknown-label": ("warning", "kept, drawn in the control's own colour"),
    "unknown-type": ("error", "the editor fails part-way through loading the prediction and shows an error"),
    "invalid-value": ("error", "the import refuses the file, or the editor cannot show the region; a field it "
                               "ignores (a region's score that is not a number) is a warning, a task id lsview "
                               "cannot use (the import keeps none) an info"),
    "percent-out-of-range": ("error", "drawn off the image, where it cannot be seen; within 1 % of an edge a "
                                      "warning"),
    "rle-length-mismatch": ("error", "a mask longer than W×H×4 is not drawn; a shorter one is drawn part-way "
                                     "(warning)"),
    "rle-corrupt": ("error", "the mask cannot be drawn"),
    "span-out-of-range": ("error", "the span cannot be placed"),
    "frame-out-of-range": ("error", "a video keyframe past the video's last frame (or before frame 1) is never on "
                                    "screen: an error when no keyframe is inside (no box ever shows), else a "
                                    "warning; a timeline range outside the frames likewise"),
    "frames-count-mismatch": ("warning", "`framesCount` or `duration` disagree with the video file: the editor "
                                         "draws keyframes by frame number over the video it plays, so the boxes "
                                         "come at other moments than the model meant"),
    "keyframe-time-mismatch": ("warning", "a keyframe's `time` is not frame / framerate: the editor goes by "
                                          "`frame` (and rewrites `time` on save)"),
    "keyframes-unsorted": ("warning", "the editor reads keyframes in stored order and misses boxes between "
                                      "out-of-order ones; lsview draws them sorted"),
    "duplicate-keyframe": ("warning", "two keyframes on one frame: the editor draws the first one's box and takes "
                                      "the last one's `enabled`"),
    "video-track-empty": ("error", "a video region with no keyframes: no box shows on any frame"),
    "span-text-mismatch": ("warning", "the highlight follows the offsets, not the `text`"),
    "paragraph-span-numeric": ("error", "Paragraphs `start`/`end` as JSON numbers: the editor draws no highlight "
                                        "(a label-only region)"),
    "orphan-per-region-result": ("warning", "shown apart from the region it describes"),
    "relation-dangling": ("error", "the editor drops the relation"),
    "missing-data-key": ("error", "the import refuses the file (HTTP 400); for a <Header> variable a warning: "
                                  "shown without it"),
    "no-data-wrapper": ("error", "the import takes the whole object as data and drops its predictions and "
                                 "annotations"),
    "media-not-found": ("info", "lsview cannot find or read the image here; Label Studio reads it from its own "
                                "storage"),
    "prediction-id-only": ("error", "the import cannot store predictions given as ids: they are lost"),
    "annotation-id-only": ("error", "the import fails on annotations given as ids (HTTP 500): nothing of the "
                                    "file is stored"),
    "annotation-id-not-integer": ("error", "an `id` that is not an integer: the import refuses the file (HTTP "
                                           "500); a numeric string (\"1001\") is stored as its number (info)"),
    "completed-by-invalid": ("error", "a `completed_by` that is neither a user id nor {\"email\": ...}: the "
                                      "import refuses the file (HTTP 400)"),
    "completed-by-unresolved": ("warning", "the import refuses the file (HTTP 400) unless `completed_by` names a "
                                           "member of the server's organisation; `lsview export` drops it"),
    "annotation-field-invalid": ("error", "the import fails on the file (HTTP 500): the database cannot store "
                                          "the field"),
    "predictions-dropped": ("error", "the import stores the tasks but none of the file's predictions"),
    "empty-labels": ("warning", "the labels are removed: the region shows unlabelled"),
    "duplicate-classification": ("error", "the editor keeps only the last answer: the others do not show"),
    "original-size-mismatch": ("warning", "drawn by percent of the real size, maybe not where the model meant"),
    "item-index-out-of-range": ("error", "no page to draw the region on"),
    "timeseries-data": ("error", "the time series cannot be read as the editor reads it (not a URL with the "
                                 "default valueType=\"url\", a CSV whose separator is not `sep`, no such "
                                 "timeColumn): the editor shows an error instead of the plot"),
    "timeseries-not-increasing": ("error", "the editor refuses a time column that goes back (\"must be "
                                           "incremental\"): no plot"),
    "timeseries-time-format": ("error", "time values that do not fit `timeFormat`, or non-numbers without one: the "
                                        "editor says the time column cannot be parsed: no plot"),
    "timeseries-range-invalid": ("error", "a range whose start/end is not a time of the plot, or ends before it "
                                          "starts: not placed where meant"),
    "timeseries-range-outside": ("error", "kept, but a range wholly outside the data is drawn nowhere; one that "
                                          "reaches past it is drawn over the data (warning)"),
    "audio-segment-outside": ("error", "a segment past the end of the audio is drawn off the waveform, one starting "
                                       "before 0 is refused by the waveform (its Segment throws): not seen; one "
                                       "running past the end is drawn up to it (warning)"),
    "audio-segment-reversed": ("warning", "end before start: drawn between the two times, swapped when an edge is "
                                          "dragged"),
    "audio-channel-out-of-range": ("warning", "a channel the file does not have is kept; the editor draws every "
                                              "segment across the whole waveform, whatever its channel"),
    "audio-length-mismatch": ("warning", "original_length is not read back: segments are placed in seconds of the "
                                         "file played, maybe not where the model meant"),
    "config-duplicate-name": ("error", "Label Studio refuses this config"),
    "config-missing-name": ("error", "Label Studio refuses this config"),
    "config-to-name-required": ("error", "Label Studio refuses this config ('toName' is a required property)"),
    "config-unknown-to-name": ("error", "Label Studio refuses this config"),
    "config-unknown-tag": ("error", "the editor refuses the config (\"Not expecting tag\")"),
    "config-no-objects": ("error", "nothing to show or label"),
    "config-missing-to-name": ("error", "the editor leaves the control unbound: its results do not show"),
    "config-to-name-not-object": ("error", "the control cannot label anything: its results do not show"),
    "config-to-name-inferred": ("error", "the editor leaves the control unbound: its results do not show "
                                         "(lsview binds it to the only object)"),
    "config-orphan-label": ("warning", "the option is not offered there"),
    "config-duplicate-relations": ("warning", "one set of relation labels is shown"),
}
CODES: dict[str, str] = {code: verdict[0] for code, verdict in VERDICTS.items()}


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
        "infos": sum(d.severity == "info" for d in items),
        "diagnostics": [d.to_json() for d in items],
    }
