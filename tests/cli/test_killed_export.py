"""A killed `lsview export` leaves no traceback, its workers go with it, and no temporary file outlives the next
run (SIGKILL) or even the kill itself (SIGTERM, SIGHUP, SIGINT)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import IMAGE_CONFIG, make_image, rect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers and signals: Linux")


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    """3,000 reviewed tasks of 20 regions: an export of several seconds, with forked workers."""
    folder = tmp_path_factory.mktemp("big")
    make_image(folder / "img" / "a.png")
    tasks = [{"id": t, "data": {"image": "img/a.png"}, "predictions": [{"model_version": "v1", "result": [
        rect(f"r{i}", x=i, score=0.9) for i in range(20)]}]} for t in range(3000)]
    (folder / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    (folder / "config.xml").write_text(IMAGE_CONFIG, encoding="utf-8")
    done = lsview_run("accept", folder / "tasks.json", "--config", folder / "config.xml")
    assert done.returncode == 0, done.stderr
    return folder


def lsview_run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def export_killed_mid_way(folder: Path, out: Path, signum: int) -> tuple[int, str]:
    """Start an export, send `signum` once its temporary file has grown, and return (exit code, stderr)."""
    process = subprocess.Popen([sys.executable, "-m", "viewer", "export", str(folder / "tasks.json"), "--config",
                                str(folder / "config.xml"), "--out", str(out)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            parts = [p for p in out.parent.iterdir() if p.name.endswith(".part")]
            if parts and parts[0].stat().st_size > 100_000:  # mid-way: workers are sending results
                break
            time.sleep(0.01)
        assert process.poll() is None, "the export ended before it could be killed; make the file bigger"
        process.send_signal(signum)
        # stderr is read to its end: that is, until the workers holding it have gone too
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_terminated_export_cleans_up_at_once_and_says_no_traceback(big_project, tmp_path, signum):
    out = tmp_path / "export.json"
    out.write_text("previous export", encoding="utf-8")
    code, stderr = export_killed_mid_way(big_project, out, signum)
    assert code == (130 if signum == signal.SIGINT else 128 + signum), stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert temporaries(tmp_path) == []  # immediately, not on the next run
    assert out.read_text(encoding="utf-8") == "previous export"


def test_a_killed_export_leaves_no_traceback_and_the_next_run_removes_its_temporary(big_project, tmp_path):
    out = tmp_path / "export.json"
    code, stderr = export_killed_mid_way(big_project, out, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    left = temporaries(tmp_path)
    assert len(left) == 1 and left[0].startswith(".export.json.")  # SIGKILL cannot be caught: one is left ...
    other = tmp_path / f".export.json.{os.getpid()}.abcdefgh.part"   # ... beside one of a live writer
    other.write_text("in progress")
    done = lsview_run("export", big_project / "tasks.json", "--config", big_project / "config.xml", "--out", out)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert temporaries(tmp_path) == [other.name]  # ... which the next run removes; the live one stays
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3000
