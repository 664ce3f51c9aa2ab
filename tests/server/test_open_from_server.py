"""File > Open from Label Studio against the real server: the dialog lists the projects, the pull runs off the GUI
thread and opens the folder (its image shown from the cache), the token goes to the keyring only after a pull that
worked, Cancel writes nothing, and a wrong token is said in a message box."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests.server.ls_projects import Made  # noqa: E402

pytest.importorskip("PySide6")
keyring = pytest.importorskip("keyring")


@pytest.fixture
def memory_keyring():
    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def made(label_studio, tmp_path, monkeypatch):
    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache"))
    project = Made(label_studio, tmp_path)
    yield project
    project.http.close()


def test_the_dialog_lists_the_projects_and_fills_the_token_from_the_keyring(qtbot, made, label_studio,
                                                                            memory_keyring):
    from viewer.core.server.credentials import remember
    from viewer.qt.open_from_server import ServerDialog

    remember(label_studio.url, label_studio.pat)
    dialog = ServerDialog(None, label_studio.url + "/")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.token.text() == label_studio.pat)  # the keyring is asked on a thread
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password
    assert dialog.problem() == "Pick a project (List projects asks the server)."
    with qtbot.waitSignal(dialog.lister.finished, timeout=30_000):
        dialog.list_button.click()
    ids = [dialog.project.itemData(i) for i in range(dialog.project.count())]
    assert made.id in ids
    dialog.project.setCurrentIndex(ids.index(made.id))
    assert dialog.project_id() == made.id
    assert dialog.problem() == "Choose the folder to pull into."


def test_a_pull_opens_the_folder_in_the_window_with_its_images(qtbot, made, label_studio, tmp_path,
                                                               memory_keyring):
    from PySide6.QtCore import QSettings

    from viewer.qt.main_window import MainWindow
    from viewer.qt.open_from_server import ServerPuller

    main = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.resize(900, 650)
    main.show()
    puller = ServerPuller(main, main.open, main.statusBar().showMessage)
    folder = tmp_path / "pulled"
    with qtbot.waitSignal(main.task_shown, timeout=60_000):
        assert puller.start(label_studio.url, label_studio.pat, made.id, str(folder), remember=True)
    puller.wait()
    assert memory_keyring.kept == {("lsview", label_studio.url): label_studio.pat}
    assert main.request.tasks == str(folder / "tasks.json") and main.request.config == str(folder / "config.xml")
    project = main.state.project
    assert sorted(t.id for t in project.tasks) == sorted([made.upload_task, *made.json_tasks])
    for task in project.tasks:
        info = project.task_image(task, "image")
        assert info.error is None and info.size == (40, 30)
    main.grab().save(str(tmp_path / "window.png"))
    main.loader.wait()


def test_cancel_writes_nothing_and_a_wrong_token_is_said(qtbot, made, label_studio, tmp_path, memory_keyring,
                                                        monkeypatch):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from viewer.qt.open_from_server import ServerPuller

    parent = QWidget()
    qtbot.addWidget(parent)
    opened, said, warned = [], [], []
    puller = ServerPuller(parent, opened.append, said.append)
    folder = tmp_path / "cancelled"
    with qtbot.waitSignal(puller.worker.finished, timeout=60_000):
        assert puller.start(label_studio.url, label_studio.pat, made.id, str(folder), remember=True)
        puller.cancel()
    assert said == ["Pull cancelled: nothing was written"] and opened == []
    assert not (folder / "tasks.json").exists() and memory_keyring.kept == {}

    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append((title, text)))
    with qtbot.waitSignal(puller.worker.finished, timeout=60_000):
        puller.start(label_studio.url, "0" * 40, made.id, str(folder), remember=True)
    assert warned and warned[0][0] == "Pull failed"
    assert "401" in warned[0][1] and "legacy API token" in warned[0][1] and "0" * 40 not in warned[0][1]
    assert memory_keyring.kept == {} and opened == []
