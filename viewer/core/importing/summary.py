"""The summary of an import: images, regions per class, what was skipped and why (core layer, no Qt).

The result maker and the formats add to it while they read; the CLI prints lines() and the window shows them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from viewer.core.tally import Tally


@dataclass
class ImportSummary(Tally):
    path: str = ""
    format: str = ""
    images: int = 0                    # images with a prediction written
    tasks_new: int = 0
    tasks_matched: int = 0             # --into: tasks that got a prediction
    regions: Counter = field(default_factory=Counter)        # config label -> regions written
    unmatched: list[str] = field(default_factory=list)       # --into: images no task shows

    def lines(self, listed: int = 20) -> list[str]:
        where = f"{self.tasks_matched} task(s) of --into" if self.tasks_matched or self.unmatched else \
            f"{self.tasks_new} new task(s)"
        out = [f"imported {self.format}: {self.images} image(s) into {where}, written to {self.path}"]
        if self.tasks_matched and self.tasks_new:
            out[0] = (f"imported {self.format}: {self.images} image(s) into {self.tasks_matched} task(s) of --into "
                      f"and {self.tasks_new} new task(s), written to {self.path}")
        total = sum(self.regions.values())
        out.append(f"{total} region(s)" + (":" if total else ""))
        out.extend(f"  {name}: {number}" for name, number in sorted(self.regions.items()))
        if self.skipped:   # "2 line(s) of an image not found": its reasons read as counted things
            out.append(f"{sum(self.skipped.values()):,} skipped:")
            out.extend(f"  {number:,} {reason}" for reason, number in self.skipped.most_common())
        out.extend(f"{number:,} {text}" for text, number in self.mentions.most_common())
        if self.unmatched:
            out.append(f"{len(self.unmatched)} image(s) match no task of --into (by path, then by file name):")
            out.extend(f"  {name}" for name in self.unmatched[:listed])
            if len(self.unmatched) > listed:
                out.append(f"  ... and {len(self.unmatched) - listed} more")
        return out + self.note_lines(listed)
