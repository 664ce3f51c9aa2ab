"""The run of an import: check, read the source image by image, make the predictions, write the tasks whole.

Core layer, no Qt. Nothing is at --out until the whole import succeeded (core.atomic), and --out is never one of
the inputs (core.outputs). The run is core steps (viewer.core.steps), so the window can run it in slices.
"""

from __future__ import annotations

import os
from typing import Callable

from viewer.core.atomic import write_text_atomically
from viewer.core.config import load_config
from viewer.core.export.training.classes import keypoint_names, read_classes
from viewer.core.importing.base import ImportOptions, PredictionImportError
from viewer.core.importing.controls import ControlChooser, read_label_map
from viewer.core.importing.detections import ImageDetections
from viewer.core.importing.image_files import decoded_size
from viewer.core.importing.job import ImportFormat, ImportJob
from viewer.core.importing.results import IdMaker, ResultMaker, make_prediction
from viewer.core.jsonout import utf8_json
from viewer.core.importing.summary import ImportSummary
from viewer.core.importing.task_file import IntoTasks, image_data_path, image_reference, set_data
from viewer.core.outputs import InputFiles
from viewer.core.steps import Progress, Steps, run_through

DOING = "Importing"
PROGRESS_EVERY = 200   # images between two Progress reports


def import_predictions(format_class: type[ImportFormat], src: str, options: ImportOptions) -> ImportSummary:
    """The whole import at once (the command line)."""
    return run_through(import_steps(format_class, src, options))


def _inputs(src: str, options: ImportOptions) -> InputFiles:
    return InputFiles([(src, "the source"), (options.config, "the labeling config"), (options.into, "--into"),
                       (options.classes, "--classes"), (options.label_map, "--label-map"),
                       (options.coco_images, "--coco-images")])


def make_job(src: str, options: ImportOptions, format_name: str) -> ImportJob:
    config = load_config(options.config)
    label_map = read_label_map(options.label_map) if options.label_map else None
    chooser = ControlChooser(config, None, label_map)
    classes = None
    if options.classes:
        classes = read_classes(options.classes).by_id()
    summary = ImportSummary(format=format_name)
    return ImportJob(src, options, config, chooser, summary, classes, keypoint_names(config))


def import_steps(format_class: type[ImportFormat], src: str, options: ImportOptions) -> Steps[ImportSummary]:
    """The import as core steps: Progress every PROGRESS_EVERY images, the summary at the end. The checks (config,
    source, model version, output name) raise before the first Progress."""
    target = _inputs(src, options).check(options.out)
    job = make_job(src, options, format_class.name)
    summary = job.summary
    summary.path = os.fspath(target)
    reader = format_class(job)
    reader.check()
    model_version = options.model_version or reader.model_version()
    if not model_version:
        raise PredictionImportError("--model-version is needed: the source names no model version, and Label "
                                    "Studio stores a prediction without one as \"undefined\"")
    into = IntoTasks(options.into, job.config, job.chooser.to_name, options.ls_root) if options.into else None
    maker = ResultMaker(job.chooser, IdMaker(model_version, into.result_ids if into else ()), summary)
    data_path = None if into else image_data_path(job.config, job.chooser.to_name)
    out_dir = os.path.dirname(os.fspath(target))
    new_tasks: list[dict] = []
    total = reader.total()
    yield Progress(DOING, 0, total)
    for number, image in enumerate(reader.images(), 1):
        prediction = _prediction(image, maker, model_version, summary)
        if prediction is not None:
            if into is not None:
                index = into.match(image.path, image.name)
                if index is None:
                    summary.unmatched.append(image.name)
                else:
                    into.add(index, prediction)
                    summary.tasks_matched += 1
                    summary.images += 1
            else:
                data: dict = {}
                ref = image_reference(image.path, out_dir, options.ls_root) if image.path else image.name
                if not image.path:
                    summary.note("image(s) not found on disk: their tasks name them as the source does "
                                 f"(e.g. {image.name!r})")
                set_data(data, data_path, ref)
                new_tasks.append({"data": data, "predictions": [prediction]})
                summary.tasks_new += 1
                summary.images += 1
        if number % PROGRESS_EVERY == 0:
            yield Progress(DOING, number, max(total, number))
    tasks = into.tasks if into is not None else new_tasks
    write_text_atomically(target, _task_list_writer(tasks, verbatim=into is not None))
    return summary


def _prediction(image: ImageDetections, maker: ResultMaker, model_version: str, summary: ImportSummary
                ) -> dict | None:
    for reason, count in image.skipped.items():
        summary.skip(reason, count)
    size = image.size
    if size is None:
        size = decoded_size(image.path) if image.path else "no image file of that name found"
    if isinstance(size, str):
        summary.skip("image(s) left out: their size is unknown (image not found or not readable)")
        summary.note(f"{image.name}: left out with its {len(image.detections)} detection(s): {size}")
        return None
    results = maker.results(image.detections, *size)
    return make_prediction(results, image.model_version or model_version, image.score)


def _task_list_writer(tasks: list, verbatim: bool) -> Callable:
    """A JSON list, one task a line. The tasks of an --into file are written as the export writes tasks
    (jsonout.utf8_json: a NaN stays NaN, a lone surrogate becomes an escape); new tasks, lsview's own, with orjson
    when installed (a 10,000-task file in a fraction of json's time)."""
    orjson = None
    if not verbatim:
        try:
            import orjson
        except ImportError:  # pragma: no cover - orjson is a dependency; this keeps the core usable without it
            pass

    def produce(stream) -> None:
        stream.write("[\n")
        for number, task in enumerate(tasks):
            if orjson is not None:
                try:
                    line = orjson.dumps(task).decode("utf-8")
                except TypeError:  # a file name that is not UTF-8 (a lone surrogate): as the --into tasks are
                    line = utf8_json(task)
            else:
                line = utf8_json(task)
            stream.write(line + (",\n" if number + 1 < len(tasks) else "\n"))
        stream.write("]\n")

    return produce

