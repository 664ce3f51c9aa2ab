"""Tally: what a long run over many items left out (counted by reason), changed on the way (counted), and noted
(said once each); the part an export's and an import's summaries share.

Core layer, no Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    skipped: Counter = field(default_factory=Counter)        # reason -> items left out
    mentions: Counter = field(default_factory=Counter)       # written, but not as given -> count
    notes: list[str] = field(default_factory=list)
    _noted: set = field(default_factory=set, repr=False, compare=False)  # notes as a set: 10,000s of them stay fast

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] += count

    def mention(self, text: str, count: int = 1) -> None:
        """Something written with a change worth knowing (holes dropped, a mask split), counted."""
        self.mentions[text] += count

    def note(self, text: str) -> None:
        if text not in self._noted:
            self._noted.add(text)
            self.notes.append(text)

    def skipped_lines(self, what: str) -> list[str]:
        """"N <what> skipped:" and a line per reason, most frequent first; then the mentions."""
        out = []
        if self.skipped:
            out.append(f"{sum(self.skipped.values()):,} {what} skipped:")
            out.extend(f"  {reason}: {number:,}" for reason, number in self.skipped.most_common())
        out.extend(f"{text}: {number:,}" for text, number in self.mentions.most_common())
        return out

    def note_lines(self, shown: int = 20) -> list[str]:
        out = self.notes[:shown]
        if len(self.notes) > shown:
            out.append(f"... and {len(self.notes) - shown:,} more note(s)")
        return out
