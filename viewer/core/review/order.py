"""The order a reviewer goes through prediction regions: highest score first, or top to bottom, left to right.

Core layer, no Qt: the window supplies each region's place (canvas or text), this module the order.
"""

from __future__ import annotations

from typing import Callable, Sequence

from viewer.core.region_keys import RegionKey
from viewer.core.regions import Region

Entry = tuple[RegionKey, Region]
Place = tuple[float, float]   # (top, left) on the canvas, (offset, 0) in a text


def ordered(entries: Sequence[Entry], by: str, score: Callable[[Region], float | None],
            place: Callable[[RegionKey], Place | None]) -> list[Entry]:
    """Prediction entries in review order; ties (and regions with no score or place) keep list order."""
    predictions = [entry for entry in entries if entry[0][0][0] == "prediction"]
    if by == "score":
        # No score sorts last, as it does for `accept --min-score`.
        scores = [score(region) for _, region in predictions]
        keys = [-(value if value is not None else float("-inf")) for value in scores]
    else:
        far = (float("inf"), float("inf"))
        keys = [place(key) or far for key, _ in predictions]
    return [predictions[i] for i in sorted(range(len(predictions)), key=keys.__getitem__)]


def step_undecided(entries: Sequence[Entry], decided: Callable[[Region], bool], current: RegionKey | None,
                   forward: bool = True) -> Entry | None:
    """The next (or previous) undecided entry after `current` in `entries`, wrapping round; the first undecided
    one (or last, going back) when `current` is not among them."""
    keys = [key for key, _ in entries]
    count = len(entries)
    if current in keys:
        start = keys.index(current)
    else:
        start = -1 if forward else count
    for step in range(1, count + 1):
        index = (start + step if forward else start - step) % count
        if not decided(entries[index][1]):
            return entries[index]
    return None
