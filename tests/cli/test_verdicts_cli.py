"""`lsview validate` on the verdict fixtures: the exit code follows the severity (1 only for errors)."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import ROOT, lsview

VERDICT_DATA = ROOT / "tests" / "data" / "verdicts"


@pytest.mark.parametrize("case, code, severity, exit_code", [
    ("annotation_id_string", "annotation-id-not-integer", "error", 1),
    ("keypoint_rectangle_from_name", "type-mismatch", "warning", 0),
])
def test_validate_exit_code_follows_the_verdict(case, code, severity, exit_code):
    folder = VERDICT_DATA / case
    done = lsview("validate", folder / "tasks.json", "--config", folder / "config.xml", "--json")
    assert done.returncode == exit_code, done.stderr
    report = json.loads(done.stdout)
    assert [(d["code"], d["severity"]) for d in report["diagnostics"]] == [(code, severity)]
    assert (report["errors"], report["warnings"], report["infos"]) == (exit_code, 1 - exit_code, 0)
