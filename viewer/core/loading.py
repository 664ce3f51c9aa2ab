"""Reading tasks with progress reports, for a reader on a worker thread while a GUI thread must keep running.

Core layer, no Qt. tasks.py's reader decodes a JSON list a piece of about a megabyte at a time (json_list.py)
and JSON Lines a couple of thousand lines at a time, calling back in between: here the call reports progress and
lets the interpreter switch to the GUI thread (one call decoding a big file would hold the GIL for its whole
length). The reader is core's own, so tasks and errors are the same whichever way a file is read.
"""

from __future__ import annotations

import time

from viewer.core.project import Report
from viewer.core.tasks import gc_paused, make_task, read_task_items, task_files

# Tasks made between chances for the GUI thread to run: 200 take a few milliseconds, and each hand-over costs
# ~90 us (every 50 tasks it was 0.35 s of a 100,000-task open, measured).
YIELD_EVERY = 200
REPORT_EVERY = 1000                          # tasks between progress reports (a multiple of YIELD_EVERY)
STEPS = 1000                                 # the bar's range: the whole open, in thousandths
READ_SHARE = 0.55                            # of one file's time, decoding; making Task objects is the rest


def load_tasks_reporting(tasks_path: str, report: Report):
    """Every task of a task file or folder, as core's load_tasks reads them, with progress along the way: one
    measure from 0 to STEPS over all files, decoding and preparing each."""
    tasks = []
    files = task_files(tasks_path)
    with gc_paused(keep=True):
        for number, file in enumerate(files):
            where = f"{file.name} ({number + 1} / {len(files)})" if len(files) > 1 else file.name

            def advance(fraction: float, what: str = "Reading", number=number, where=where) -> None:
                report(f"{what} {where} ...", round(STEPS * (number + fraction) / len(files)), STEPS)

            def step(fraction: float, advance=advance) -> None:
                time.sleep(0)  # hand the GIL over; the interpreter's own switching is not enough
                advance(READ_SHARE * fraction)

            advance(0.0)
            items = read_task_items(file, step)
            for count, (raw, line) in enumerate(items, 1):
                tasks.append(make_task(raw, len(tasks), str(file), line))
                if count % YIELD_EVERY == 0:
                    time.sleep(0)
                    if count % REPORT_EVERY == 0:
                        advance(READ_SHARE + (1 - READ_SHARE) * count / len(items), "Preparing tasks of")
    return tasks
