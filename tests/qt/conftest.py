"""Qt runs offscreen in these tests; set before anything imports Qt, and only for the test process."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _session_folder(tmp_path, monkeypatch):
    """Review sessions of read-only task files and of the bundled demo go to the user's data folder: a temporary
    one here, so tests never see each other's sessions or the user's."""
    monkeypatch.setenv("LSVIEW_DATA_DIR", str(tmp_path / "lsview-data"))


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window on the bundled demo, first task shown; its settings live in tmp_path."""
    from PySide6.QtCore import QSettings

    from viewer.qt.main_window import MainWindow

    main = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.resize(1000, 700)
    main.show()
    with qtbot.waitSignal(main.task_shown, timeout=10_000):
        main.open_demo()
    yield main
    main.loader.wait()


@pytest.fixture
def review_window(qtbot, tmp_path):
    """The main window on the small review project of tests/qt/review_project.py, its task list filled."""
    from tests.qt.review_project import make_review_project, open_window

    main = open_window(qtbot, tmp_path, *make_review_project(tmp_path))
    qtbot.waitUntil(lambda: main.workspace.task_index is not None)
    yield main
    main.loader.wait()


@pytest.fixture
def review(tmp_path, qapp):
    """The review controller of review_project's three tasks (its session beside them), closed after the test."""
    from tests.qt.review_project import make_review_project
    from viewer.core.project import open_project
    from viewer.qt.review.controller import ReviewController

    tasks, config = make_review_project(tmp_path)
    controller = ReviewController.open(open_project(tasks, config, offline=True))
    yield controller
    controller.close()
