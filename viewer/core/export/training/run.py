"""The run of a training export: check, choose each task's labels, hand the tasks to the format, commit.

Core layer, no Qt. Nothing is at DIR until the whole export succeeded (folder.OutputFolder). The run is core steps
(viewer.core.steps), so the window runs it in slices with progress and Cancel.
"""

from __future__ import annotations

import os
from pathlib import Path

from viewer.core.errors import OutputError
from viewer.core.export.base import ExportError
from viewer.core.export.training.classes import ClassMap, keypoint_names, label_studio_ids, read_classes
from viewer.core.export.training.folder import OutputFolder, check_target
from viewer.core.export.training.items import TaskItem, image_items
from viewer.core.export.training.job import Job, TrainingFormat
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.source import check_source, choose
from viewer.core.export.training.summary import TrainingSummary
from viewer.core.outputs import InputFiles
from viewer.core.steps import Progress, Steps, run_through
from viewer.core.tasks import gc_paused

DOING = "Exporting"


def export_training(session, out: str | os.PathLike, format_class: type[TrainingFormat],
                    options: TrainingOptions = TrainingOptions()) -> TrainingSummary:
    """The whole export at once (the command line)."""
    return run_through(export_training_steps(session, out, format_class, options))


def check_export(project, session_path, out: str | os.PathLike, format_class: type[TrainingFormat],
                 options: TrainingOptions) -> tuple[str | None, Path]:
    """What must hold before anything is written, in the order a user fixes it: a config the format can fill, the
    labels chosen (the model version), a target folder that is new or empty and no input: (model version, target)
    or ExportError / OverwriteError. The export dialog asks it too, to stay open saying why."""
    problem = format_class.config_problem(project.config)
    if problem:
        raise ExportError(problem)
    model_version = check_source(project.tasks, options)
    return model_version, check_target(out, InputFiles.of_project(project, session_path))


def export_training_steps(session, out: str | os.PathLike, format_class: type[TrainingFormat],
                          options: TrainingOptions = TrainingOptions()) -> Steps[TrainingSummary]:
    """The export as core steps (viewer.core.steps): Progress after each task, the summary at the end. The checks
    (model version, target folder, classes file) raise before the first Progress; closing the steps (Cancel)
    removes what was written, as any error does."""
    project = session.project
    model_version, target = check_export(project, session.store.path, out, format_class, options)
    classes = read_classes(options.classes) if options.classes else ClassMap(label_studio_ids(project.config))
    summary = TrainingSummary(path=os.fspath(target), format=format_class.name)
    total = len(project.tasks)
    yield Progress(DOING, 0, total)
    folder = OutputFolder(target)
    try:
        job = Job(project, options, folder, classes, summary, model_version, keypoint_names(project.config))
        writer = format_class(job)
        writer.begin()
        by_position = 0
        with gc_paused():
            for number, task in enumerate(project.tasks):
                chosen = choose(session, task, options, model_version)
                if chosen is None:
                    summary.left_out += 1
                    folder.rows.append((task.index, _id(task), "", "", ""))
                else:
                    by_position += chosen.by_position
                    summary.skip("below --min-score", chosen.below_score)
                    _one_task(job, writer, task, chosen)
                yield Progress(DOING, number + 1, total)
        if by_position:
            summary.note(f"{by_position} task(s) had annotations no updated_at, created_at or id told apart: "
                         "the last of them in the file was taken")
        if classes.added:
            summary.note("labels not in the config, given the next free ids: " + ", ".join(
                f"{label}={classes.ids[label]}" for label in classes.added))
        writer.finish()
        folder.files_csv()
        folder.commit()
    except OSError as exc:  # a full disk, a read-only folder, an image gone while copying
        folder.discard()
        raise OutputError(f"{target}: cannot write the export: {exc.strerror or exc}; nothing was written") from exc
    except BaseException:  # an error, or GeneratorExit: the steps were closed (cancelled)
        folder.discard()
        raise
    return summary


def _id(task) -> str:
    return "" if task.id is None else str(task.id)


def _one_task(job: Job, writer: TrainingFormat, task, chosen) -> None:
    images = image_items(job, task, chosen) if writer.needs == "image" else []
    files = writer.task(TaskItem(task, chosen, images))
    job.summary.tasks += 1
    job.summary.images += len(images)
    rows = job.folder.rows
    image_files = {}
    if job.options.images != "none":
        for image in images:
            if image.path is None:
                job.summary.note(f"{image.name}: not copied, the image is not a local file")
                continue
            image_files[image.name] = job.folder.add_image(image.path, image.name, job.options.images == "link")
    by_stem = {image.stem: image for image in images}
    for file in files:
        stem = os.path.splitext(file.rsplit("/", 1)[-1])[0]
        image = by_stem.get(stem)
        rows.append((task.index, _id(task), chosen.described, "" if image is None else _ref(image.ref), file))
    for image in images:
        if image.name in image_files:
            rows.append((task.index, _id(task), chosen.described, _ref(image.ref), image_files[image.name]))
    if not files and not image_files:
        rows.append((task.index, _id(task), chosen.described, "", ""))


def _ref(ref) -> str:
    text = str(ref)
    return text if len(text) <= 300 else text[:300] + "..."
