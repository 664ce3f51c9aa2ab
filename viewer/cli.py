"""The `lsview` command line (DESIGN.md 3): headless commands use viewer.core only; the window is imported lazily.

Exit codes: 0 success (also with warnings), 1 errors found / failed on bad input, 2 usage or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from viewer import __version__
from viewer.core.errors import InputError, LsviewError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exits with 2 too, but prints the whole usage
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"lsview: {message}\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tasks", metavar="TASKS", help="task file (JSON list, one task object, JSON Lines) or a "
                        "folder of them")
    parser.add_argument("--config", metavar="XML", help="the Label Studio labeling config; without it lsview "
                        "infers one from the results and says so")
    parser.add_argument("--root", metavar="DIR", help="folder where media referenced by the tasks live "
                        "(/data/upload/..., /data/local-files/?d=..., relative paths)")
    parser.add_argument("--offline", action="store_true", help="never fetch http(s) media; use the cache only")


def _session_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--session", metavar="FILE", help="the review session (default: <TASKS stem>.lsview.sqlite "
                        "beside the task file)")


def export_format_names() -> list[str]:
    from viewer.core.export.training import format_names  # names only: no exporter is imported

    return ["ls-json", *format_names()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lsview", description="Look at Label Studio predictions, check them, correct them.")
    parser.add_argument("--version", action="version", version=f"lsview {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser("validate", help="pre-flight report: why a prediction would not show",
                                   description="Check tasks against the labeling config and report every "
                                   "problem Label Studio would trip on. Exit 0: clean or warnings only; "
                                   "1: errors; 2: unreadable input.")
    _common(validate)
    validate.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    inspect = commands.add_parser("inspect", help="print every region resolved to pixels, as JSON Lines",
                                  description="One JSON object per region (and per relation), geometry in the "
                                  "pixels of the decoded image; an audio segment in seconds and in samples at its "
                                  "file's sample rate.")
    _common(inspect)
    which = inspect.add_mutually_exclusive_group()
    which.add_argument("--task", metavar="N", type=int, help="only the task at index N (0-based, file order)")
    which.add_argument("--task-id", metavar="ID", help="only the task whose `id` is ID")
    inspect.add_argument("--frame", metavar="N", type=_frame_number, action="append", default=[],
                         help="a video frame (1-based, repeatable): each video region's box at it, in pixels of "
                         "the frame, or \"visible\": false")

    accept = commands.add_parser("accept", help="copy predictions into the review session's annotations",
                                 description="The batch form of accepting predictions: every undecided prediction "
                                 "region (of one model version, scoring at least S: its own score, else its "
                                 "prediction's) is copied into the task's working annotation and recorded as "
                                 "accepted. One undoable step in the window.")
    _common(accept)
    _session_argument(accept)
    accept.add_argument("--model-version", metavar="V", help="only predictions of this model version")
    accept.add_argument("--min-score", metavar="S", type=float, help="only regions scoring at least S")

    export = commands.add_parser("export", help="write the reviewed annotations for Label Studio or training",
                                 description="ls-json: the tasks with their original data, predictions and "
                                 "annotations, plus the reviewer's annotation, in one file. The training formats "
                                 "(coco, yolo ...): a folder DIR (new or empty) with one annotation per task "
                                 "(--source), in the pixels of the decoded images, and files.csv naming the files "
                                 "of each task. Written whole or not at all, and never over an input file.")
    _common(export)
    _session_argument(export)
    export.add_argument("--out", metavar="FILE|DIR", required=True,
                        help="the file (ls-json) or the new or empty folder (training formats) to write")
    names = export_format_names()
    export.add_argument("--format", default="ls-json", metavar="FMT", choices=names,
                        help="ls-json (Label Studio imports it again), " + ", ".join(names[1:]))
    only = export.add_mutually_exclusive_group()
    only.add_argument("--only-reviewed", action="store_true", help="ls-json: only tasks the reviewer touched")
    only.add_argument("--only-accepted", action="store_true", help="ls-json: only tasks marked accepted")
    export.add_argument("--source", choices=["reviewed", "annotations", "predictions"], default="reviewed",
                        help="training formats: which labels. reviewed (default): the session's working "
                        "annotation, else the task's latest non-cancelled annotation by updated_at; annotations: "
                        "that latest annotation; predictions: those of --model-version")
    export.add_argument("--model-version", metavar="V", help="with --source predictions: the model version (needed "
                        "when the tasks hold predictions of several)")
    export.add_argument("--min-score", metavar="S", type=float, help="with --source predictions: only regions "
                        "scoring at least S (their own score, else their prediction's)")
    export.add_argument("--classes", metavar="FILE", help="a classes.txt or data.yaml whose class ids to use (a "
                        "label missing from it is an error); default: Label Studio's ids")
    images = export.add_mutually_exclusive_group()
    images.add_argument("--copy-images", action="store_true", help="copy the images into DIR/images/")
    images.add_argument("--link-images", action="store_true", help="symlink the images into DIR/images/")
    export.add_argument("--with-scores", action="store_true", help="YOLO formats: the region's score as a last "
                        "column (predictions)")

    report = commands.add_parser("report", help="QA figures: regions per label, scores, decisions, precision",
                                 description="The figures of the statistics panel: regions per label, score "
                                 "histograms per label and model version, review decisions per label and score "
                                 "bucket, and each model version's estimated precision per label at each score "
                                 "threshold. Without --out, a summary table is printed.")
    _common(report)
    _session_argument(report)
    report.add_argument("--out", metavar="FILE", help="report.html (plots as images), report.json or report.csv")

    _import_parser(commands)
    _push_parser(commands)
    _predict_parser(commands)

    example = commands.add_parser("example", help="a task with an example prediction for every control of a config",
                                  description="What Label Studio's Playground shows by hand: one task with `data` "
                                  "for every $variable of the config (images as a small PNG in a data: URI) and one "
                                  "prediction with an example result for every control, as plain JSON. It passes "
                                  "`lsview validate`; a converter's output should look like it.")
    example.add_argument("--config", metavar="XML", required=True, help="the Label Studio labeling config")
    example.add_argument("--data", metavar="KEY=VALUE", action="append", default=[],
                         help="use VALUE (a string: an image URL or path, a text) for the data key KEY; repeatable")
    example.add_argument("--out", metavar="FILE", help="write the task (a JSON list of one) to FILE instead of "
                         "printing it")

    from viewer.render.command import add_parser as add_render_parser  # Qt-free to import; run() loads Qt
    _common(add_render_parser(commands))
    from viewer.qt.command import add_parser as add_open_parser  # Qt-free to import; run() loads Qt
    add_open_parser(commands)
    from viewer.core.server.commands import add_parsers as add_server_parsers  # httpx loads when one runs
    add_server_parsers(commands)
    return parser


def _push_parser(commands) -> None:
    push = commands.add_parser(
        "push", help="send each reviewed task's annotation back to the Label Studio server it was pulled from",
        description="For every reviewed task of DIR (made by `lsview pull`), one annotation on the server: created "
        "the first time, updated when the task was edited since its last push, never twice (each request is "
        "recorded in the session before it is sent, so a push cut short can be run again). A task changed on the "
        "server since the pull is skipped and listed. Nothing on the server is ever deleted. Prints 'created N, "
        "updated N, unchanged N, skipped N' and a 'skipped task ID: reason' line for each task skipped.")
    push.add_argument("dir", metavar="DIR", help="the folder `lsview pull` wrote (config.xml, tasks.json, "
                      "lsview-project.json)")
    _session_argument(push)
    push.add_argument("--dry-run", action="store_true", help="say what would be sent; write nothing, on the server "
                      "or in the session")
    push.add_argument("--force", action="store_true", help="push tasks changed on the server since the pull too "
                      "(their other annotations are kept)")
    push.add_argument("--token", metavar="T", help="API token: a Personal Access Token or a legacy token (default: "
                      "$LABEL_STUDIO_API_KEY, else the one stored for the server)")


def _import_parser(commands) -> None:
    from viewer.core.importing import format_names  # names only: no reader is imported

    parser = commands.add_parser(
        "import", help="turn a model's output (YOLO, COCO ...) into Label Studio predictions",
        description="Read a model's output in FORMAT from SRC and write Label Studio tasks with predictions: new "
        "tasks pointing at the images, or the tasks of --into with each image's prediction added. Regions go to "
        "the controls of --config that fit their shape and label, in percent of the decoded image. Written whole "
        "or not at all, and never over an input file.")
    parser.add_argument("format", metavar="FORMAT", choices=format_names(), help=", ".join(format_names()))
    parser.add_argument("src", metavar="SRC", help="yolo: a folder with labels/ (and data.yaml or classes.txt); "
                        "coco: a dataset JSON, or a results list with --coco-images")
    parser.add_argument("--config", metavar="XML", required=True, help="the Label Studio labeling config")
    parser.add_argument("--out", metavar="TASKS.json", required=True, help="the task file to write")
    parser.add_argument("--images", metavar="DIR", help="where the images are (yolo: default SRC/images; coco: "
                        "default the folder of the JSON file)")
    parser.add_argument("--into", metavar="TASKS.json", help="add each image's prediction to the task of this file "
                        "that shows the image (by path, then by file name); existing predictions are kept")
    parser.add_argument("--model-version", metavar="V", help="the predictions' model_version (required unless the "
                        "source names one)")
    parser.add_argument("--classes", metavar="FILE", help="classes.txt or data.yaml: the class names by id")
    parser.add_argument("--label-map", metavar="FILE", help="source class -> config label: a JSON object, or lines "
                        "`source=label`")
    parser.add_argument("--task", choices=["yolo-detect", "yolo-seg", "yolo-obb", "yolo-pose"],
                        help="yolo: how to read a line that could be read two ways (8 or 9 numbers: OBB or a "
                        "4-point polygon)")
    parser.add_argument("--coco-images", metavar="JSON", help="coco results list: the dataset JSON naming the "
                        "images (file_name, width, height)")
    parser.add_argument("--ls-root", metavar="DIR", help="new tasks point at /data/local-files/?d=<image path under "
                        "DIR> (Label Studio with LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and "
                        "LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=DIR); default: paths relative to --out")


def _predict_parser(commands) -> None:
    parser = commands.add_parser(
        "predict", help="fresh predictions from a running Label Studio ML backend",
        description="Call a Label Studio ML backend as Label Studio does (GET /health, POST /setup, then POST "
        "/predict in batches) and write every task of TASKS to --out, each with the backend's prediction added as a "
        "new model version. The backend fetches the media by URL itself: a task whose image is a path on this "
        "computer is named in a warning first. The new predictions are checked like `lsview validate` checks; "
        "errors are listed (exit 1), the file is written all the same. Written whole or not at all, and never over "
        "an input file.")
    parser.add_argument("tasks", metavar="TASKS", help="task file (JSON list, one task object, JSON Lines) or a "
                        "folder of them")
    parser.add_argument("--config", metavar="XML", required=True, help="the Label Studio labeling config (sent to "
                        "the backend)")
    parser.add_argument("--root", metavar="DIR", help="folder where media referenced by the tasks live (for the "
                        "checks)")
    parser.add_argument("--ml-backend", metavar="URL", required=True, help="the backend, e.g. http://localhost:9090")
    parser.add_argument("--out", metavar="TASKS.json", required=True, help="the task file to write")
    parser.add_argument("--model-version", metavar="V", help="the new predictions' model_version (default: the "
                        "backend's; with the run's time appended when TASKS holds that version already)")
    parser.add_argument("--basic-auth", metavar="USER:PASSWORD", help="HTTP Basic auth for the backend (its "
                        "BASIC_AUTH_USER/BASIC_AUTH_PASS); default: $LSVIEW_ML_BASIC_AUTH, which keeps the password out of the "
                        "process list")
    parser.add_argument("--batch-size", metavar="N", type=int, default=16, help="tasks per /predict request "
                        "(default 16)")
    parser.add_argument("--project", metavar="ID", type=int, default=0, help="the Label Studio project id the "
                        "backend keeps its model by (sent as \"ID.0\"; default 0)")
    parser.add_argument("--timeout", metavar="S", type=float, default=100.0, help="seconds one /predict request "
                        "may take (default 100, as Label Studio)")


def _stderr(message: str) -> None:
    print(f"lsview: {message}", file=sys.stderr)


def _load(args: argparse.Namespace):
    from viewer.core.config_infer import describe_inferred
    from viewer.core.project import open_project

    project = open_project(args.tasks, args.config, root=args.root, offline=args.offline)
    if project.config.inferred:
        _stderr(describe_inferred(project.config))
    return project


def run_validate(args: argparse.Namespace) -> int:
    from viewer.core.diagnostics import Diagnostic, diagnose_config, diagnose_task, summary
    from viewer.core.parallel import map_tasks

    project = _load(args)
    diagnostics: list[Diagnostic] = list(diagnose_config(project.config))
    for found in map_tasks(project, diagnose_task, range(len(project.tasks))):
        diagnostics.extend(found)
    report = summary(diagnostics)
    if args.json:
        from viewer.core import jsonout

        # One write: json.dump would call write() once per token, seconds for a big report. Strict JSON (jsonout).
        sys.stdout.write(jsonout.dumps(report) + "\n")
    else:
        sys.stdout.writelines(diagnostic.describe() + "\n" for diagnostic in diagnostics)
        tasks = len(project.tasks)
        notes = f", {report['infos']} note(s)" if report["infos"] else ""
        print(f"{report['errors']} error(s), {report['warnings']} warning(s){notes} in {tasks} task(s) of "
              f"{args.tasks}")
    return EXIT_ERRORS if report["errors"] else EXIT_OK


def _frame_number(text: str) -> int:
    try:
        frame = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a frame number") from None
    if frame < 1:
        raise argparse.ArgumentTypeError(f"{frame}: video frames are counted from 1, as Label Studio counts them")
    return frame


def run_inspect(args: argparse.Namespace) -> int:
    import functools

    from viewer.core.parallel import map_tasks
    from viewer.core.resolve import task_lines

    project = _load(args)
    indices = range(len(project.tasks))
    if args.task is not None:
        if not 0 <= args.task < len(project.tasks):
            _stderr(f"--task {args.task}: {args.tasks} holds tasks 0 to {len(project.tasks) - 1}")
            return EXIT_ERRORS
        indices = [args.task]
    elif args.task_id is not None:
        indices = [t.index for t in project.tasks if str(t.id) == args.task_id]
        if not indices:
            _stderr(f"--task-id {args.task_id}: no task with that id in {args.tasks}")
            return EXIT_ERRORS
    lines_of = functools.partial(task_lines, frames=tuple(args.frame)) if args.frame else task_lines
    for lines in map_tasks(project, lines_of, indices):
        sys.stdout.write(lines)
    return EXIT_OK


def _session(args: argparse.Namespace, project):
    from viewer.core.outputs import check_session_path
    from viewer.core.review.keys import default_session_path
    from viewer.core.review.session import ReviewSession

    # The session is written (and made when missing): never over the tasks, the config or a task's media.
    check_session_path(project, args.session or default_session_path(project.tasks_path or "tasks.json"))
    session = ReviewSession.open(project, args.session)
    if session.unmapped:
        _stderr(f"{len(session.unmapped)} reviewed task(s) in {session.store.path} match no task of {args.tasks} "
                f"(by id or by data); their work is kept in the session but not used")
    return session


def run_accept(args: argparse.Namespace) -> int:
    project = _load(args)
    session = _session(args, project)
    try:
        command = session.accept_above(project.tasks, args.min_score if args.min_score is not None
                                       else float("-inf"), args.model_version)
    finally:
        session.close()
    if command is None:
        print(f"nothing to accept: no undecided prediction region matched in {args.tasks}")
    else:
        print(f"{command.label} in {len(command.after)} task(s); saved in {session.store.path}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from viewer.core.export import ExportOptions, formats

    if args.format != "ls-json":
        return _run_training_export(args)
    project = _load(args)
    session = _session(args, project)
    try:
        summary = formats()[args.format](session, args.out, ExportOptions(args.only_reviewed, args.only_accepted))
    finally:
        session.close()
    for warning in summary.warnings:
        _stderr(warning)
    print(f"wrote {summary.tasks} task(s) with {summary.annotations} reviewer annotation(s) "
          f"({summary.regions} regions) to {summary.path}")
    return EXIT_OK


def _run_training_export(args: argparse.Namespace) -> int:
    from viewer.core.export.training import training_formats
    from viewer.core.export.training.options import TrainingOptions
    from viewer.core.export.training.run import export_training

    if args.only_reviewed or args.only_accepted:
        _stderr("--only-reviewed and --only-accepted are for ls-json; a training export takes --source")
        return EXIT_UNREADABLE
    if args.source != "predictions" and (args.model_version is not None or args.min_score is not None):
        _stderr("--model-version and --min-score need --source predictions")
        return EXIT_UNREADABLE
    options = TrainingOptions(args.source, args.model_version, args.min_score, args.classes,
                              "copy" if args.copy_images else "link" if args.link_images else "none",
                              args.with_scores)
    project = _load(args)
    session = _session(args, project)
    try:
        summary = export_training(session, args.out, training_formats()[args.format], options)
    finally:
        session.close()
    sys.stdout.writelines(line + "\n" for line in summary.lines())
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from viewer.core.outputs import InputFiles
    from viewer.core.report import write_report
    from viewer.core.stats_index import StatsIndex

    project = _load(args)
    session = _session(args, project)
    try:
        found = StatsIndex(project).figures(session)
        if args.out:
            path = write_report(found, args.out, InputFiles.of_project(project, session.store.path))
            print(f"wrote the report of {found.tasks} task(s) to {path}")
            return EXIT_OK
    finally:
        session.close()
    print(f"{found.tasks} task(s), {found.reviewed_tasks} reviewed")
    print(f"{'model version':<20} {'label':<20} {'regions':>8} {'decided':>8} {'kept':>6} {'precision':>9}")
    precision = found.precision()
    for version, labels in sorted(found.regions_per_label.items()):
        for label, count in sorted(labels.items()):
            cell = precision.get(version, {}).get(label, {}).get(0.0, {"decided": 0, "kept": 0, "precision": None})
            value = "" if cell["precision"] is None else f"{cell['precision']:.2f}"
            print(f"{version:<20} {label:<20} {count:>8} {cell['decided']:>8} {cell['kept']:>6} {value:>9}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from viewer.core.importing import import_format
    from viewer.core.importing.base import ImportOptions
    from viewer.core.importing.run import import_steps

    options = ImportOptions(args.config, args.out, args.images, args.into, args.model_version, args.classes,
                            args.label_map, args.task, args.coco_images, args.ls_root)
    steps = import_steps(import_format(args.format), args.src, options)
    shown = sys.stderr.isatty()
    while True:
        try:
            progress = next(steps)
        except StopIteration as stop:
            summary = stop.value
            break
        if shown and progress.done:
            sys.stderr.write(f"\r{progress.text}")
    if shown:
        sys.stderr.write("\n")
    sys.stdout.writelines(line + "\n" for line in summary.lines())
    return EXIT_OK


def run_push(args: argparse.Namespace) -> int:
    from viewer.core.push.folder import push_dir
    from viewer.core.server.commands import StderrProgress

    shown = StderrProgress()
    summary = push_dir(args.dir, session_path=args.session, token=args.token, dry_run=args.dry_run,
                       force=args.force, progress=lambda step: shown(step.text, step.done, step.total),
                       answered=_test_exit_after_writes())
    shown.done()
    sys.stdout.writelines(line + "\n" for line in summary.lines())
    if summary.error is not None:  # what was done is counted above; the rest is for the next push
        raise summary.error
    return EXIT_OK


def _test_exit_after_writes():
    """LSVIEW_TEST_PUSH_EXIT_AFTER=N: exit hard (code 9, no cleanup) once the Nth write was answered and before the
    answer is recorded, the worst moment to be killed; the server tests run it to show a second push mends it."""
    limit = os.environ.get("LSVIEW_TEST_PUSH_EXIT_AFTER")
    if not limit:
        return None
    answered = []

    def count(_method: str) -> None:
        answered.append(_method)
        if len(answered) >= int(limit):
            sys.stdout.flush()
            os._exit(9)

    return count


def run_predict(args: argparse.Namespace) -> int:
    from viewer.core.mlbackend.client import BasicAuth
    from viewer.core.mlbackend.run import PredictOptions, predict
    from viewer.core.project import open_project

    auth = BasicAuth.parse(args.basic_auth) if args.basic_auth is not None else BasicAuth.from_environment()
    options = PredictOptions(args.ml_backend, args.out, args.model_version, auth, args.batch_size, args.project,
                             args.timeout)
    project = open_project(args.tasks, args.config, root=args.root)
    summary = predict(project, range(len(project.tasks)), options, say=_stderr)
    sys.stdout.writelines(line + "\n" for line in summary.lines() if not line.startswith("warning: "))
    return EXIT_ERRORS if summary.errors or summary.failed else EXIT_OK


def run_example(args: argparse.Namespace) -> int:
    from viewer.core import jsonout
    from viewer.core.atomic import write_text_atomically
    from viewer.core.config import load_config
    from viewer.core.example import make_example
    from viewer.core.outputs import InputFiles

    data = {}
    for item in args.data:
        key, sep, value = item.partition("=")
        if not sep or not key:
            _stderr(f"--data {item!r}: give KEY=VALUE")
            return EXIT_UNREADABLE
        data[key.lstrip("$")] = value
    config = load_config(args.config)
    example = make_example(config, data)
    for name, reason in example.skipped:
        _stderr(f"no example result for \"{name}\": {reason}")
    text = jsonout.dumps([example.task])
    if args.out is None:
        sys.stdout.write(text + "\n")
        return EXIT_OK
    target = InputFiles([(args.config, "the labeling config")]).check(args.out)
    write_text_atomically(target, lambda out: out.write(text + "\n"))
    results = len(example.task["predictions"][0]["result"])
    print(f"wrote 1 task with {results} example result(s) to {target}")
    return EXIT_OK


def run_render(args: argparse.Namespace) -> int:
    from viewer.render.command import run

    return run(args)


def run_pull(args: argparse.Namespace) -> int:
    from viewer.core.server.commands import run_pull as run

    return run(args)


def run_push_predictions(args: argparse.Namespace) -> int:
    from viewer.core.server.commands import run_push_predictions as run

    return run(args)


def run_open(args: argparse.Namespace) -> int:
    from viewer.qt.command import run

    return run(args)


COMMANDS = {"validate": run_validate, "inspect": run_inspect, "accept": run_accept, "export": run_export,
            "report": run_report, "import": run_import, "predict": run_predict, "example": run_example,
            "render": run_render, "open": run_open, "pull": run_pull, "push": run_push,
            "push-predictions": run_push_predictions}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "open")  # `lsview [TASKS] [--config XML]` is the window (DESIGN.md 3)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        if args.command == "open":
            return COMMANDS[args.command](args)
        from viewer.core.atomic import terminating_signals

        with terminating_signals():  # SIGTERM/SIGHUP end the command through `finally`: no temporary file stays
            return COMMANDS[args.command](args)
    except InputError as exc:
        _stderr(str(exc))
        return EXIT_UNREADABLE
    except LsviewError as exc:
        if _interrupted(exc):
            return 130
        _stderr(str(exc))
        return EXIT_ERRORS
    except BrokenPipeError:
        # `lsview inspect ... | head`: the reader left; that is not an error of ours. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so plainly; LSVIEW_DEBUG=1 shows the traceback
        if _interrupted(exc):
            return 130
        if os.environ.get("LSVIEW_DEBUG"):
            raise
        _stderr(f"internal error in `{args.command}`: {type(exc).__name__}: {exc}. This is a bug in lsview; "
                f"please report it with the input that caused it (LSVIEW_DEBUG=1 shows the traceback).")
        return EXIT_ERRORS


def _interrupted(exc: BaseException) -> bool:
    """Whether the error came while a Ctrl-C was being handled (a pool or a file torn down half-way): the user
    stopped the command, and that is what the exit code says, not the error it left behind."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__context__
    return False
