"""`lsview render`: one PNG per task at the image's own resolution, drawn by the window's painter.

Render layer. Importing this module loads no Qt (the parser is built for every command); run() brings Qt in.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from viewer.core.atomic import write_bytes_atomically
from viewer.core.errors import OutputError
from viewer.core.outputs import InputFiles
from viewer.core.tasks import ID_SHOWN, id_text
from viewer.render.qt_start import serial_fills

EXIT_OK, EXIT_ERRORS = 0, 1
# Qt's PNG "quality" is zlib effort in reverse: 80 writes a 1080p frame ~4x faster than the default for ~40 %
# more bytes, which keeps a render of a full HD task well under a second.
PNG_QUALITY = 80
_PAGE_NAME = re.compile(r"(.+)_[pf]\d+\.png")   # a page of a multi-image task, a frame of a video
_FRAMES = re.compile(r"\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add `render` and its own options; the caller adds the options every command shares."""
    parser = subparsers.add_parser(
        "render", help="draw each task's regions over its image, one PNG per task",
        description="Write <task index>_<task id>.png per task into --out, at the image's own resolution, "
        "with the same drawing code as the window, relations included. A multi-image task (<Image valueList=...>) "
        "gets one PNG per page, <task index>_<task id>_p<page>.png, pages counted from 0 like item_index. "
        "A missing image becomes a grey placeholder of the region space with the reason written on it. Regions "
        "saved with hidden: true are left out. Tags never cover one another or a relation's label: one with no "
        "free spot near its region is counted in a nearby tag ('Car 0.91 +2'). A <TimeSeries> task becomes its "
        "plot at --width: a row per channel over the whole series, ranges as bands in their label colours, instants "
        "as lines. A video task is drawn at the frames --frame/--frames ask for, <task index>_<task id>_f<frame>.png: "
        "the decoded frame with each track's box at it. An Audio task becomes its waveform, --width wide: one row per "
        "channel with splitchannels=\"true\", each segment a band in its label's colour, and a time axis. Works "
        "without a display.")
    parser.add_argument("--out", metavar="DIR", required=True, help="folder for the PNGs (created if needed)")
    parser.add_argument("--task", metavar="N", type=int, help="only the task at index N (0-based, file order)")
    parser.add_argument("--source", choices=("prediction", "annotation", "all"), default="all",
                        help="which regions to draw (default: all)")
    parser.add_argument("--model-version", metavar="V", help="draw only the predictions of this model version")
    parser.add_argument("--no-labels", action="store_true", help="leave out the label/score tags and relation labels")
    parser.add_argument("--transcriptions", action=argparse.BooleanOptionalAction, default=True,
                        help="write a region's transcription (a per-region TextArea, as in OCR) in its tag, cut "
                        "short (default: on; --no-transcriptions leaves labels and scores only)")
    parser.add_argument("--frame", metavar="N", type=_frame_number, action="append",
                        help="for video tasks: draw frame N (1-based, repeatable) with each track's box at it, "
                        "into <task index>_<task id>_f<N>.png")
    parser.add_argument("--frames", metavar="A:B[:STEP]", type=frames_argument, action="append",
                        help="for video tasks: frames A to B, both included, every STEP-th (default 1)")
    parser.add_argument("--width", metavar="PX", type=int, default=1000,
                        help="width of the PNGs of Text, HyperText, Paragraphs, TimeSeries and Audio tasks (default: "
                        "1000, at least 200); a text taller than 32,000 px is cut between lines into _p<n> pages")
    return parser


def _frame_number(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a frame number (frames are counted from 1)")
    return int(text)


def frames_argument(text: str) -> range:
    """`A:B` or `A:B:STEP`: frames A to B (both included, counted from 1), every STEP-th."""
    found = _FRAMES.fullmatch(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not A:B or A:B:STEP (frame numbers from 1)")
    start, end, step = int(found[1]), int(found[2]), int(found[3] or 1)
    if start < 1 or end < start or step < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: frames run from A >= 1 to B >= A, in steps of at least 1")
    return range(start, end + 1, step)


def frame_list(args: argparse.Namespace) -> list[int]:
    """The frames asked for with --frame and --frames, in order, each once."""
    asked = list(getattr(args, "frame", None) or [])
    for span in getattr(args, "frames", None) or []:
        asked.extend(span)
    return list(dict.fromkeys(asked))


def _note(message: str) -> None:
    print(f"lsview: {message}", file=sys.stderr)


def output_name(task, page: int | None = None, frame: int | None = None) -> str:
    """`<task index>_<task id>.png`, or `..._p<page>.png` for a page of a multi-image task, `..._f<frame>.png` for
    a frame of a video; the id keeps only characters every file system accepts."""
    # id_text: a hostile id (megabytes, a deep list) must still make a short file name
    task_id = "none" if task.id is None else re.sub(r"[^A-Za-z0-9._-]", "_", id_text(task.id))[:ID_SHOWN]
    return f"{task.index}_{task_id}" + ("" if page is None else f"_p{page}") + \
        ("" if frame is None else f"_f{frame}") + ".png"


def _ensure_gui_platform() -> None:
    # QPainter text needs a QGuiApplication; with no display to talk to, Qt's offscreen platform serves.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_png_atomically(image, target: Path) -> None:
    """The PNG is there whole or not at all. It is encoded in memory and written by core.atomic: QImage.save to a
    file reports success when a full disk made the write fail, and left empty PNGs behind."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise OutputError(f"{target}: Qt could not encode the image as PNG")
    buffer.close()
    write_bytes_atomically(target, data.data())


def check_outputs(inputs: InputFiles, out_dir: Path, tasks) -> None:
    """OverwriteError (core.outputs) before the first PNG is written when any PNG of these tasks (every page
    included) would replace an input file; only names already in the folder can replace anything."""
    try:
        with os.scandir(out_dir) as entries:
            existing = [entry.name for entry in entries if entry.name.endswith(".png")]
    except OSError:
        return
    if not existing:
        return
    stems = {output_name(task)[:-len(".png")] for task in tasks}
    for name in existing:
        page = _PAGE_NAME.fullmatch(name)
        if name[:-len(".png")] in stems or (page is not None and page[1] in stems):
            inputs.check(out_dir / name)


def run(args: argparse.Namespace) -> int:
    _ensure_gui_platform()
    serial_fills()
    from PySide6.QtGui import QGuiApplication

    from viewer.core.config_infer import describe_inferred
    from viewer.core.project import open_project
    from viewer.core.video_content import video_object
    from viewer.render.content import task_content
    from viewer.render.painter import RegionPainter

    project = open_project(args.tasks, args.config, root=args.root, offline=args.offline)
    if project.config.inferred:
        _note(describe_inferred(project.config))
    tasks = project.tasks
    if args.task is not None:
        if not 0 <= args.task < len(tasks):
            _note(f"--task {args.task}: {args.tasks} holds tasks 0 to {len(tasks) - 1}")
            return EXIT_ERRORS
        tasks = [tasks[args.task]]
    out_dir = Path(args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _note(f"--out {out_dir}: cannot create the folder: {exc.strerror or exc}")
        return EXIT_ERRORS

    inputs = InputFiles.of_project(project)
    check_outputs(inputs, out_dir, tasks)  # refused with exit code 2 before anything is written
    # text in a QPainter needs a QGuiApplication alive for as long as we paint
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0] if sys.argv else "lsview"])  # noqa: F841
    painter = RegionPainter(project.config)
    failed = 0
    frames = frame_list(args)
    for task in tasks:
        if video_object(project, task) is not None:
            failed += not _write_video(project, task, frames, painter, out_dir, inputs, args)
            continue
        content = task_content(project, task, source=args.source, model_version=args.model_version)
        if not content.is_image:
            if _has_series(project, task):
                failed += not _write_series(project, task, out_dir, inputs, args)
                continue
            audio = _write_audio(project, task, out_dir, inputs, args)
            if audio is None:
                failed += not _write_text(project, task, out_dir, inputs, args)
            else:
                failed += not audio
            continue
        for page in range(content.page_count):
            if page:
                content = task_content(project, task, source=args.source, model_version=args.model_version,
                                       page=page)
            if not _write(content, task, painter, out_dir, inputs, args):
                failed += 1
    return EXIT_ERRORS if failed else EXIT_OK


def _write(content, task, painter, out_dir: Path, inputs: InputFiles, args) -> bool:
    """Render one page of a task to its PNG; False (with a note) when it cannot be written."""
    from viewer.render.task_image import background, render_task

    page = content.page if content.multi_page else None
    where = task.label() + ("" if page is None else f" page {page}")
    target = out_dir / output_name(task, page)
    inputs.check(target)  # check_outputs saw the folder before the first PNG; this is its twin at the write
    image, reason = background(content)
    if reason:
        _note(f"{where}: image not shown ({reason}); drawing on a placeholder")
    try:
        write_png_atomically(render_task(content, painter, labels=not args.no_labels, image=image,
                                                   transcriptions=args.transcriptions), target)
    except OutputError as exc:
        _note(f"{where}: {exc}")
        return False
    print(target)
    return True


def _write_png(image, target: Path, inputs: InputFiles, where: str) -> bool:
    """Write one PNG whole, after the check that it is no input; False (with a note naming `where`) if it fails."""
    inputs.check(target)  # check_outputs saw the folder before the first PNG; this is its twin at the write
    try:
        write_png_atomically(image, target)
    except OutputError as exc:
        _note(f"{where}: {exc}")
        return False
    print(target)
    return True


def _write_video(project, task, frames: list[int], painter, out_dir: Path, inputs: InputFiles, args) -> bool:
    """Render the asked frames of a video task to `..._f<N>.png`; False (with a note) when one is not written."""
    from viewer.render.video_frames import render_frames

    if not frames:
        _note(f"{task.label()}: a video task: give --frame N or --frames A:B[:STEP] to draw its frames; skipped")
        return True

    def write(image, frame: int) -> bool:
        return _write_png(image, out_dir / output_name(task, frame=frame), inputs, f"{task.label()} frame {frame}")

    return render_frames(project, task, frames, painter, args, write, _note)


def _write_audio(project, task, out_dir: Path, inputs: InputFiles, args) -> bool | None:
    """Render an audio task's waveforms at --width; None when the task has no <Audio> data (not an audio task),
    False when the PNG is not written."""
    from viewer.core.audio.content import audio_objects
    from viewer.render.audio_render import render_audio_task

    if not audio_objects(project, task):
        return None
    image, notes = render_audio_task(project, task, max(args.width, 200), source=args.source,
                                     model_version=args.model_version, labels=not args.no_labels,
                                     transcriptions=args.transcriptions)
    for note in notes:
        _note(f"{task.label()}: {note}; drawing the segments without it")
    return _write_png(image, out_dir / output_name(task), inputs, task.label())


def _write_text(project, task, out_dir: Path, inputs: InputFiles, args) -> bool:
    """Render a Text/HyperText/Paragraphs task at --width with the text view's painter; False when not written."""
    from viewer.core.text_layout import text_objects
    from viewer.render.text_render import render_text_pages

    if not text_objects(project, task):
        _note(f"{task.label()}: no Image, Text, HyperText or Paragraphs data for it in the config; skipped")
        return True
    pages = render_text_pages(project, task, max(args.width, 200), source=args.source,
                              model_version=args.model_version, labels=not args.no_labels)
    for number, image in enumerate(pages):
        if not _write_png(image, out_dir / output_name(task, number if len(pages) > 1 else None), inputs,
                          task.label()):
            return False
    return True


def _has_series(project, task) -> bool:
    from viewer.render.plot_render import series_objects

    return bool(series_objects(project, task))


def _write_series(project, task, out_dir: Path, inputs: InputFiles, args) -> bool:
    """Render a time-series task's plots at --width; False (with a note) when none can be drawn or written."""
    from viewer.render.plot_render import render_series_task

    image, notes = render_series_task(project, task, max(args.width, 200), source=args.source,
                                      model_version=args.model_version, labels=not args.no_labels)
    for note in notes:
        _note(f"{task.label()}: {note}")
    if image is None:
        return False
    return _write_png(image, out_dir / output_name(task), inputs, task.label())
