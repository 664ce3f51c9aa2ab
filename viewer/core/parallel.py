"""Run a per-task function over a big task file on every core (core layer, no Qt).

Checking or resolving 10,000 tasks is pure Python and splits cleanly by task. On Linux the work is forked, so
workers share the loaded project without pickling it; elsewhere, and for small files, it runs in this process.
Workers leave quietly: they ignore Ctrl-C (the parent decides), die with the parent, and say nothing of a pipe
the parent closed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.context
import multiprocessing.pool
import os
import signal
import sys
from typing import Callable, Iterator, Sequence, TypeVar

from viewer.core.project import Project
from viewer.core.tasks import Task, gc_paused

T = TypeVar("T")
TaskFunction = Callable[[Project, Task], T]

MIN_TASKS = 1000   # below this, starting processes costs more than it saves
CHUNK = 200        # tasks per job: small enough to balance the workers, big enough to amortise the pipe

_job: tuple[TaskFunction, Project] | None = None


def _run_chunk(indices: Sequence[int]) -> list:
    assert _job is not None, "a worker runs only after map_tasks has set the job"
    function, project = _job
    with gc_paused():  # results are acyclic, and the collector would walk the inherited heap again and again
        return [function(project, project.tasks[i]) for i in indices]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


class _QuietWorker(multiprocessing.context.ForkProcess):
    """A pool worker that ends without a traceback when the parent is gone (results sent into a closed pipe)."""

    def run(self) -> None:
        try:
            super().run()
        except (BrokenPipeError, ConnectionResetError, EOFError):
            pass  # nobody is left to read the results or to read a traceback


class _QuietPool(multiprocessing.pool.Pool):
    @staticmethod
    def Process(ctx, *args, **kwds):  # noqa: N802 (multiprocessing's name)
        return _QuietWorker(*args, **kwds)


def _start_worker(parent: int) -> None:
    """In a new worker: Ctrl-C ignored, inherited handlers (the command line's SIGTERM) back to the default,
    and killed with SIGTERM when the parent dies, even by SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl: the closed pipe still ends the worker, quietly
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_tasks(project: Project, function: TaskFunction, indices: Sequence[int], *,
              workers: int | None = None) -> Iterator[T]:
    """`function(project, task)` for each task index, results in order; several processes when it pays.

    The workers are forked with the function and the project in memory (no pickling of either); the results
    travel back pickled, so they must be picklable.
    """
    global _job
    workers = worker_count() if workers is None else workers
    if workers < 2 or len(indices) < MIN_TASKS or not sys.platform.startswith("linux"):
        for index in indices:
            yield function(project, project.tasks[index])
        return
    chunks = [indices[i:i + CHUNK] for i in range(0, len(indices), CHUNK)]
    _job = (function, project)
    try:
        with _QuietPool(workers, _start_worker, (os.getpid(),), context=multiprocessing.get_context("fork")) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        _job = None
