"""Qt runs offscreen in these tests; set before anything imports Qt, and only for the test process."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


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
