"""The command-line contract (DESIGN.md 3): output shapes, exit codes, messages, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import image_task, make_image, rect, write_project

ROOT = Path(__file__).resolve().parents[2]


def lsview(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=120)


@pytest.fixture
def project(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect("ok"), task_id=10), image_task(rect("bad", labels=["Truck"], x=150, width=200),
                                                            task_id=11)]
    return write_project(tmp_path, tasks)


def test_validate_text_report_and_exit_code_one_on_errors(project):
    tasks, config = project
    done = lsview("validate", tasks, "--config", config)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any("[percent-out-of-range]" in line and "task 1 (id 11)" in line and "result bad" in line
               and str(tasks) in line for line in lines)
    assert lines[-1] == f"1 error(s), 1 warning(s) in 2 task(s) of {tasks}"
    assert done.stderr == ""


def test_validate_json_and_exit_zero_with_warnings_only(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks, config = write_project(tmp_path, [image_task(rect(labels=["Truck"]))])
    done = lsview("validate", tasks, "--config", config, "--json")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert (report["errors"], report["warnings"]) == (0, 1)
    diagnostic = report["diagnostics"][0]
    assert {k: diagnostic[k] for k in ("severity", "code", "task", "task_id", "source", "source_index",
                                       "result_id")} == {"severity": "warning", "code": "unknown-label", "task": 0,
                                                         "task_id": 1, "source": "prediction",
                                                         "source_index": 0, "result_id": "r1"}


def test_inspect_prints_one_json_line_per_region_and_filters_by_task(project):
    tasks, config = project
    done = lsview("inspect", tasks, "--config", config)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["task"], r["task_id"], r["id"]) for r in records] == [(0, 10, "ok"), (1, 11, "bad")]
    assert records[0]["shape"]["corners"][0] == [64, 96]
    one = lsview("inspect", tasks, "--config", config, "--task", 1)
    assert [json.loads(line)["id"] for line in one.stdout.splitlines()] == ["bad"]
    by_id = lsview("inspect", tasks, "--config", config, "--task-id", 10)
    assert [json.loads(line)["id"] for line in by_id.stdout.splitlines()] == ["ok"]
    missing = lsview("inspect", tasks, "--config", config, "--task", 7)
    assert missing.returncode == 1 and "holds tasks 0 to 1" in missing.stderr


def test_without_config_the_inferred_config_is_announced_on_stderr(project):
    tasks, _ = project
    done = lsview("inspect", tasks)
    assert done.returncode == 0
    assert "inferred a labeling config" in done.stderr and "label (rectanglelabels, 2 labels)" in done.stderr
    assert len(done.stdout.splitlines()) == 2


@pytest.mark.parametrize("command", ["validate", "inspect"])
def test_broken_json_exits_2_with_one_line_naming_file_and_position(tmp_path, command):
    path = tmp_path / "broken.json"
    path.write_text('[{"data": {"image": "a.png"}},\n {"data": }]', encoding="utf-8")
    done = lsview(command, path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert f"{path}, line 2, column 11: not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_broken_xml_and_hostile_xml_exit_2(project, tmp_path):
    tasks, _ = project
    bad = tmp_path / "bad.xml"
    bad.write_text("<View>\n  <Image name='i' value='$image'>\n</View>", encoding="utf-8")
    done = lsview("validate", tasks, "--config", bad)
    assert done.returncode == 2 and str(bad) in done.stderr and "line 3" in done.stderr
    hostile = tmp_path / "xxe.xml"
    hostile.write_text('<?xml version="1.0"?>\n<!DOCTYPE v [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                       '<View><Header value="&x;"/></View>', encoding="utf-8")
    done = lsview("validate", tasks, "--config", hostile)
    assert done.returncode == 2 and "DOCTYPE" in done.stderr and "root:" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2(tmp_path):
    assert lsview("validate").returncode == 2
    done = lsview("inspect", tmp_path / "nope.json")
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_installed_console_script_matches_the_module(project):
    """`lsview` and `python -m viewer` are one program (the console script is declared in pyproject)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'lsview = "viewer.cli:main"' in text
    done = lsview("--version")
    assert done.returncode == 0 and done.stdout.startswith("lsview ")


def test_inspect_into_a_closed_pipe_is_quiet(project):
    tasks, config = project
    writer = subprocess.Popen([sys.executable, "-m", "viewer", "inspect", str(tasks), "--config", str(config)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    writer.stdout.close()
    _, err = writer.communicate(timeout=60)
    assert b"Traceback" not in err


def test_the_window_without_a_display_says_so_instead_of_aborting():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "viewer"], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=60)
    assert done.returncode == 2
    assert "no display" in done.stderr and "lsview validate" in done.stderr


def test_accept_then_export_round_trip(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect("hi", score=0.9), rect("lo", score=0.2), task_id=1),
             image_task(rect("none"), task_id=2, score=0.8),
             {"id": 3, "data": {"image": "img/a.png"}, "predictions": [
                 {"model_version": "other", "result": [rect("x", score=0.99)]}]}]
    tasks_path, config_path = write_project(tmp_path, tasks)
    session = tmp_path / "review.sqlite"
    done = lsview("accept", tasks_path, "--config", config_path, "--session", session, "--min-score", 0.5,
                  "--model-version", "v1")
    assert done.returncode == 0, done.stderr
    assert "Accept 2 regions scoring 0.5 or more in 2 task(s)" in done.stdout
    again = lsview("accept", tasks_path, "--config", config_path, "--session", session, "--min-score", 0.5,
                   "--model-version", "v1")
    assert "nothing to accept" in again.stdout
    out = tmp_path / "export.json"
    done = lsview("export", tasks_path, "--config", config_path, "--session", session, "--out", out,
                  "--only-reviewed")
    assert done.returncode == 0, done.stderr
    assert f"wrote 2 task(s) with 2 reviewer annotation(s) (2 regions) to {out}" in done.stdout
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [[r["id"] for r in t["annotations"][-1]["result"]] for t in items] == [["hi"], ["none"]]
    refused = lsview("export", tasks_path, "--config", config_path, "--session", session, "--out", tasks_path)
    assert refused.returncode == 2 and "never writes over its inputs" in refused.stderr
    bad = lsview("export", tasks_path, "--session", config_path, "--out", tmp_path / "x.json")
    assert bad.returncode == 2 and "not an lsview session" in bad.stderr


def test_report_prints_a_summary_and_writes_files(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks_path, config_path = write_project(tmp_path, [image_task(rect("a", score=0.9), rect("b", score=0.2))])
    assert lsview("accept", tasks_path, "--config", config_path, "--min-score", 0.5).returncode == 0
    done = lsview("report", tasks_path, "--config", config_path)
    assert done.returncode == 0, done.stderr
    assert "1 task(s), 1 reviewed" in done.stdout
    assert any(line.split()[:6] == ["v1", "Car", "2", "1", "1", "1.00"] for line in done.stdout.splitlines())
    for name in ("r.html", "r.json", "r.csv"):
        written = lsview("report", tasks_path, "--config", config_path, "--out", tmp_path / name)
        assert written.returncode == 0 and (tmp_path / name).stat().st_size > 100


def test_an_error_left_behind_by_ctrl_c_exits_as_an_interrupt(monkeypatch, capsys):
    from viewer import cli

    def interrupted_then_broken(_args):
        try:
            raise KeyboardInterrupt
        finally:
            raise OSError("pool torn down half-way")

    monkeypatch.setitem(cli.COMMANDS, "validate", interrupted_then_broken)
    assert cli.main(["validate", "tasks.json"]) == 130
    assert "internal error" not in capsys.readouterr().err
