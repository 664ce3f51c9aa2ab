"""Loading off the GUI thread: opening a project, and preparing a task's page (image, masks, or its data as text).

Qt layer. Work runs on QThreadPool; results and progress come back as signals, which Qt queues to the GUI thread.
A newer request makes older task results stale, so flipping quickly through tasks never shows the wrong one. A task's
media download reports its progress and can be cancelled (cancel_download): the task then shows with a placeholder.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage

from viewer.core.download import CancelToken, download_control
from viewer.core.errors import LsviewError
from viewer.core.project import Project, open_project
from viewer.core.region_kinds import MASK_KINDS
from viewer.core.tasks import gc_paused
from viewer.core.video.probe import load_pyav
from viewer.qt.task_names import task_name, window_text
from viewer.render.content import TaskContent, task_content
from viewer.render.painter import RegionPainter
from viewer.render.readable import data_only_note, data_only_text
from viewer.render.task_image import background


SUMMARIZED_AT_ONCE = 20_000     # tasks: up to this many, the task list's counts are read before the window shows


@dataclass(frozen=True)
class OpenRequest:
    tasks: str
    config: str | None = None
    root: str | None = None
    session: str | None = None   # the review session file; None: the task file's default

    def absolute(self) -> OpenRequest:
        """The same files named from the root: a request kept (Open Recent) opens them from any folder."""
        def whole(path: str | None) -> str | None:
            return os.path.abspath(path) if path else path

        return replace(self, tasks=whole(self.tasks), config=whole(self.config), root=whole(self.root),
                       session=whole(self.session))


@dataclass(frozen=True)
class LoadedTask:
    """A task's page ready to show: the image and decoded masks, or (for objects lsview does not draw) its text."""

    generation: int
    index: int
    content: TaskContent
    image: QImage | None
    image_problem: str | None
    data_note: str = ""
    data_text: str = ""


class Loader(QObject):
    project_opened = Signal(object, object)   # (OpenRequest, Project)
    task_loaded = Signal(object)               # LoadedTask
    failed = Signal(str)
    progressed = Signal(str, int, int)         # (message, done, total); total 0: busy, no measure; -1: no bar
    finished = Signal()                        # the job that reported progress is over (done, failed or stale)
    download_started = Signal()                # the task being loaded waits for a download: cancel_download stops it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one job at a time: later requests queue behind and replace results
        self.generation = 0
        self._running: CancelToken | None = None  # the cancel switch of the task load under way, on the pool's thread

    def open_project(self, request: OpenRequest) -> None:
        self.generation += 1
        self.progressed.emit(f"Opening {request.tasks} ...", 0, 0)
        self.pool.start(lambda: self._open(request))

    def _open(self, request: OpenRequest) -> None:
        try:
            project = open_project(request.tasks, request.config, root=request.root, progress=self.progressed.emit)
            # The session's task keys, here rather than on the GUI thread (0.3 s for 100,000 tasks). The task
            # list's counts of a big file are read after the window shows (1 s for 100,000), with its search text
            # and diagnostics; a small file's at once.
            with gc_paused(keep=True):  # long-lived and acyclic, like the tasks (a collection here: 0.3 s)
                project.task_keys()
                project.task_index(summarized=len(project.tasks) <= SUMMARIZED_AT_ONCE)
            if any(tag.kind == "video" for tag in project.config.objects.values()):
                load_pyav()   # here, not in the task list's first video check on the GUI thread
        except LsviewError as exc:
            self.failed.emit(window_text(str(exc)))
            return
        except Exception as exc:  # a bug of ours must not kill the worker thread silently
            sys.excepthook(type(exc), exc, exc.__traceback__)  # logged as a bug (error_report), not only said
            self.failed.emit(f"internal error while opening {request.tasks}: {type(exc).__name__}: {exc}")
            return
        finally:
            self.finished.emit()
        self.project_opened.emit(request, project)

    def load_task(self, project: Project, index: int, painter: RegionPainter, page: int = 0) -> int:
        """Start loading page `page` of task `index`; returns the generation its result will carry."""
        self.generation += 1
        generation = self.generation
        self.pool.start(lambda: self._load(project, index, page, painter, generation))
        return generation

    def cancel_download(self) -> None:
        """Stop the download the task being loaded waits for; the task shows with a placeholder and the reason."""
        token = self._running
        if token is not None:
            token.cancel()

    def _load(self, project: Project, index: int, page: int, painter: RegionPainter, generation: int) -> None:
        if generation != self.generation:
            return
        task = project.tasks[index]
        name = task_name(index, task.id)
        self._running = token = CancelToken()

        started = []

        def report(url: str, done: int, total: int) -> None:
            # Once per load, however often a download reports nothing received yet: a test waiting on the signal
            # leaves no second, queued call behind to a receiver that is gone (a segfault in pytest-qt's blocker).
            if not started:
                started.append(url)
                self.download_started.emit()
            shown = url if len(url) <= 80 else url[:77] + "..."
            of = f" of {total / 2**20:.1f}" if total else ""
            # the bar counts KiB: a int32 holds every size up to the download limit and beyond
            self.progressed.emit(f"Downloading {shown}: {done / 2**20:.1f}{of} MiB", done >> 10, total >> 10)

        try:
            with download_control(cancel=token, progress=report):
                content = task_content(project, task, page=page)
                if not content.is_image:
                    for name, tag in project.config.objects.items():
                        if tag.kind == "timeseries":
                            project.series(task, name)  # read here, off the GUI thread (kept by the project)
                    text = data_only_text(project, task, content, task_name(index, task.id, len(project.tasks)))
                    loaded = LoadedTask(generation, index, content, None, None, data_only_note(project.config), text)
                    self.task_loaded.emit(loaded)
                    return
                self.progressed.emit(f"Loading {name} ...", 0, -1)  # most tasks load too fast for a bar
                image, problem = background(content)
                masks = [region for _, region in content.regions() if region.kind in MASK_KINDS]
                for number, region in enumerate(masks, 1):
                    if generation != self.generation:
                        return
                    self.progressed.emit(f"Decoding masks of {name}: {number} of {len(masks)}",
                                         number - 1, len(masks))
                    painter.mask(region, content.size)
                    time.sleep(0)  # let the GUI thread repaint between masks
                # what the GUI thread would otherwise do while the task shows: the regions' Qt geometry, and the
                # image in the pixel format a pixmap keeps (QPixmap.fromImage then converts nothing)
                painter.prepare((region for _, region in content.regions()), content.size)
                image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel()
                                              else QImage.Format.Format_RGB32)
        except LsviewError as exc:
            self.failed.emit(f"{name}: cannot show it: {window_text(str(exc))}")
            return
        except Exception as exc:  # a bug of ours: logged as one (error_report), and the window goes on
            sys.excepthook(type(exc), exc, exc.__traceback__)
            self.failed.emit(f"{name}: cannot show it: {type(exc).__name__}: {exc}")
            return
        finally:
            self._running = None
            self.finished.emit()
        self.task_loaded.emit(LoadedTask(generation, index, content, image, problem))

    def wait(self) -> None:
        self.generation += 1
        self.pool.waitForDone()
