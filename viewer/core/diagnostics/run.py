"""Runs every check over a project: the config first, then each task's data, media and results."""

from __future__ import annotations

from typing import Iterator

from viewer.core.audio.content import audio_media
from viewer.core.config import LabelConfig, lookup_data, parse_data_path
from viewer.core.diagnostics.imports import check_imported_fields
from viewer.core.diagnostics.model import CODES, Diagnostic, Reporter
from viewer.core.diagnostics.regions import check_region_set
from viewer.core.numbers import preview
from viewer.core.project import Project
from viewer.core.shapes import AUDIO_OBJECT_KINDS
from viewer.core.tasks import Task

# What Label Studio's import accepts for each object's data (FORMAT.md 6, tasks/validation.py _DATA_TYPES).
DATA_TYPES = {
    "image": (str, list),
    "text": (str, int, float, list),
    "hypertext": (str,),
    "paragraphs": (list, str),
    "timeseries": (dict, list, str),
}


def diagnose(project: Project) -> Iterator[Diagnostic]:
    """Every diagnostic of the project, config problems first, then task by task."""
    yield from diagnose_config(project.config)
    for task in project.tasks:
        yield from diagnose_task(project, task)


def diagnose_config(config: LabelConfig) -> list[Diagnostic]:
    return [Diagnostic(CODES.get(problem.code, "error"), problem.code, problem.message,
                       file=config.path, line=problem.line) for problem in config.problems]


def diagnose_task(project: Project, task: Task) -> list[Diagnostic]:
    task_id = task.id if not isinstance(task.id, (list, dict)) else preview(task.id)  # reported on loading
    report = Reporter(file=task.file, task=task.index, task_id=task_id, line=task.line)
    for note in task.notes:
        report.add(note.code, note.message, severity=note.severity, source=note.source,
                   source_index=note.source_index)
    check_imported_fields(task, report)
    if not project.config.inferred:
        _check_data(project, task, report)
    _check_media(project, task, report)
    if not project.config.inferred:   # a guessed <TimeSeries> knows neither valueType nor the time column
        _check_series(project, task, report)
    for result_set, regions in project.regions(task):
        check_region_set(project, task, result_set, regions,
                         report.at(source=result_set.source, source_index=result_set.index))
    return report.items


def _check_data(project: Project, task: Task, report: Reporter) -> None:
    if not isinstance(task.raw, dict):
        return
    repeated: set[str] = set()
    for tag in project.config.objects.values():
        if tag.repeat is not None:
            if tag.repeat[0] not in repeated:
                repeated.add(tag.repeat[0])
                _check_repeater_list(task, tag.repeat[0], report)
            continue  # a copy past this task's list is not made for it; the import checks only the list
        if tag.data_path is None:
            continue
        try:
            value = lookup_data(task.data, tag.data_path)
        except KeyError as missing:
            report.add("missing-data-key",
                       f"<{tag.tag} name=\"{tag.name}\"> shows {tag.value} but the task data has no "
                       f"{missing.args[0]}; Label Studio refuses this file (HTTP 400)")
            continue
        allowed = DATA_TYPES.get(tag.kind)
        if allowed and (isinstance(value, bool) or not isinstance(value, allowed)):
            names = ", ".join(t.__name__ for t in allowed).replace("str", "string").replace("float", "number")
            report.add("invalid-value", f"{tag.value} is a JSON {type(value).__name__}, but <{tag.tag}> takes "
                       f"{names}; Label Studio refuses this file (HTTP 400)")
    for header_text, paths in project.config.headers:
        for path in paths:
            try:
                lookup_data(task.data, path)
            except KeyError as missing:
                report.add("missing-data-key", f"<Header value=\"{header_text}\"> uses {missing.args[0]}, which "
                           f"the task data lacks; Label Studio shows the header without it", severity="warning")


def _check_repeater_list(task: Task, on: str, report: Reporter) -> None:
    """The list a <Repeater> repeats over: the import wants it present and a list (tasks/validation.py)."""
    path = parse_data_path(on)
    if path is None:
        return
    try:
        value = lookup_data(task.data, path)
    except KeyError as missing:
        report.add("missing-data-key", f"<Repeater on=\"{on}\"> repeats over {missing.args[0]}, which the task "
                   f"data lacks; Label Studio refuses this file (HTTP 400)")
        return
    if not isinstance(value, list):
        report.add("invalid-value", f"<Repeater on=\"{on}\"> repeats over a JSON {type(value).__name__}, not a "
                   f"list; Label Studio refuses this file (HTTP 400)")


def _check_media(project: Project, task: Task, report: Reporter) -> None:
    for tag in project.config.objects.values():
        if tag.kind == "video":
            video = project.task_video(task, tag.name)
            if video is not None and video.error is not None:
                report.add("media-not-found", f"<Video name=\"{tag.name}\">: {video.error}; lsview cannot show its "
                           f"frames nor check keyframes against them (Label Studio reads the video from its own "
                           f"storage)")
            continue
        if tag.kind in AUDIO_OBJECT_KINDS and tag.data_path is not None:
            _check_audio_media(project, task, tag, report)
        if tag.kind != "image":
            continue
        try:
            refs = project.image_refs(task, tag)
        except KeyError:
            continue
        for page, ref in enumerate(refs):
            info = project.image(ref)
            if info.error is not None:
                where = f" (page {page})" if len(refs) > 1 else ""
                report.add("media-not-found", f"<Image name=\"{tag.name}\">{where}: {info.error}; lsview "
                           f"places its regions by original_width/height instead (Label Studio reads the image from its "
                           f"own storage)")


def _check_series(project: Project, task: Task, report: Reporter) -> None:
    """Each <TimeSeries>'s data, read as the editor reads it (its missing data key is _check_data's)."""
    for tag in project.config.objects.values():
        if tag.kind != "timeseries":
            continue
        loaded = project.series(task, tag.name)
        for code, message in loaded.problems if loaded is not None else ():
            if code == "missing-data-key":
                continue
            if code == "media-not-found":
                message += "; lsview draws no plot (Label Studio reads the file from its own storage)"
            report.add(code, f"<TimeSeries name=\"{tag.name}\">: {message}")


def _check_audio_media(project: Project, task: Task, tag, report: Reporter) -> None:
    try:
        lookup_data(task.data, tag.data_path)
    except KeyError:
        return  # missing-data-key says so
    media = audio_media(project, task, tag.name)
    if media.error is not None:
        report.add("media-not-found", f"<{tag.tag} name=\"{tag.name}\">: {media.error}; lsview cannot check its "
                   f"segments against the file's length and channels, and draws them without a waveform (Label "
                   f"Studio reads the audio from its own storage)")
