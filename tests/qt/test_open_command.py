"""`lsview [open] [TASKS]`: bare arguments go to the window command; its options are checked before Qt starts."""

from __future__ import annotations

from viewer.cli import build_parser, main


def test_bare_tasks_and_open_parse_the_same():
    parser = build_parser()
    explicit = parser.parse_args(["open", "t.json", "--config", "c.xml", "--root", "media"])
    assert (explicit.command, explicit.tasks, explicit.config, explicit.root) == ("open", "t.json", "c.xml", "media")
    assert parser.parse_args(["open"]).tasks is None


def test_config_without_tasks_is_a_usage_error(capsys):
    assert main(["--config", "c.xml"]) == 2  # routed to `open`, which refuses before starting the window
    assert "TASKS" in capsys.readouterr().err


def test_other_commands_are_not_rerouted(capsys):
    assert main(["validate", "no-such-file.json"]) == 2
    assert "no such file" in capsys.readouterr().err
