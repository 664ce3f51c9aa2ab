"""`lsview example`: prints or writes the example task; what it writes passes `lsview validate`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "viewer/resources/demo/config.xml"


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_written_example_validates_clean(tmp_path):
    out = tmp_path / "example.json"
    done = lsview("example", "--config", DEMO, "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote 1 task with ") and str(out) in done.stdout
    checked = lsview("validate", out, "--config", DEMO)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[-1].startswith("0 error(s), 0 warning(s) in 1 task(s)")


def test_printed_example_is_plain_json_with_given_data():
    done = lsview("example", "--config", DEMO, "--data", "image=https://example.com/a.jpg")
    assert done.returncode == 0, done.stderr
    tasks = json.loads(done.stdout)
    assert tasks[0]["data"]["image"] == "https://example.com/a.jpg"
    assert tasks[0]["predictions"][0]["model_version"] == "example"


def test_skipped_controls_are_named_on_stderr():
    done = lsview("example", "--config", ROOT / "tests/data/configs/all_controls.xml")
    assert done.returncode == 0
    assert 'no example result for "ocrlabels"' in done.stderr


def test_bad_data_argument_and_config_as_output_are_refused(tmp_path):
    config = tmp_path / "config.xml"
    config.write_bytes(DEMO.read_bytes())
    done = lsview("example", "--config", config, "--data", "image")
    assert done.returncode == 2 and "KEY=VALUE" in done.stderr
    done = lsview("example", "--config", config, "--out", config)
    assert done.returncode == 2 and "labeling config" in done.stderr
    assert config.read_bytes() == DEMO.read_bytes()
