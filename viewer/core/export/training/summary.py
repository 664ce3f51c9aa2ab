"""The summary of a training export: images, instances per class, regions skipped with reasons, clamping.

Core layer, no Qt. Formats add to it while they write; the CLI prints lines() and the window shows them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from viewer.core.tally import Tally


@dataclass
class TrainingSummary(Tally):
    path: str = ""
    format: str = ""
    tasks: int = 0                     # tasks with labels exported
    left_out: int = 0                  # tasks with nothing to export (no annotation, rejected, no prediction)
    images: int = 0
    instances: Counter = field(default_factory=Counter)      # class name -> instances written
    clamped: int = 0                   # regions with a coordinate outside the image, clipped to it

    def skip_image(self, task, ref, why: str, regions: int) -> None:
        self.note(f"{task.label()}: image {str(ref)[:120]} left out: {why}")
        self.skip("on an image that cannot be read and has no original_width/height", regions)

    def count(self, class_name: str, number: int = 1) -> None:
        self.instances[class_name] += number

    @property
    def warnings(self) -> tuple[str, ...]:  # ExportSummary's name, for callers that print either
        return tuple(self.notes)

    def lines(self, notes_shown: int = 20) -> list[str]:
        images = f", {self.images:,} image(s)" if self.images else ""   # a text format has none to speak of
        out = [f"wrote {self.format} of {self.tasks:,} task(s){images} to {self.path}"]
        if self.left_out:
            out.append(f"{self.left_out:,} task(s) left out: nothing to export (no annotation, rejected in review, "
                       "or no prediction of the model version)")
        total = sum(self.instances.values())
        out.append(f"{total:,} instance(s)" + (":" if total else ""))
        out.extend(f"  {name}: {number:,}" for name, number in sorted(self.instances.items()))
        out.extend(self.skipped_lines("region(s)"))
        if self.clamped:
            out.append(f"{self.clamped:,} region(s) reached outside the image and were clamped to it")
        return out + self.note_lines(notes_shown)
