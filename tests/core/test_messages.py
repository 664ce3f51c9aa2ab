"""Long task values in messages: quoted() and the Diagnostic safety net keep the start and say the length."""

from __future__ import annotations

from viewer.core.diagnostics.model import Diagnostic, Reporter
from viewer.core.errors import QUOTE_LIMIT, cut_long_values, quoted

BIG = "data:image/png;base64," + "iVBO" * 13_107_194          # 52,428,798 characters


def test_quoted_keeps_short_values_as_repr():
    assert quoted("Car") == "'Car'"
    assert quoted("it's") == '"it\'s"'
    assert quoted(12) == "12" and quoted(None) == "None"


def test_quoted_cuts_long_strings_and_says_their_length():
    text = quoted(BIG)
    assert text == f"{BIG[:QUOTE_LIMIT]!r}"[:-1] + "\u2026' (52,428,798 characters)"
    assert text.startswith("'data:image/png;base64,iVBO")
    assert quoted(list(range(1000))) == "[0, 1, 2, 3, 4, 5, 6, 7, ...]"
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert quoted(deep) == "[[[[...]]]]"
    assert quoted([10 ** 5000]) == "<list holding an integer too long to print>"


def test_cut_long_values_cuts_quoted_and_bare_runs_and_keeps_punctuation():
    message = f"media reference {BIG!r} not found; looked at: /x/{'b' * 300}, then nothing"
    cut = cut_long_values(message)
    assert cut == (f"media reference '{BIG[:QUOTE_LIMIT]}\u2026' (52,428,798 characters) not found; looked at: "
                   f"/x/{'b' * (QUOTE_LIMIT - 3)}\u2026 (303 characters), then nothing")
    assert cut_long_values("short message 'kept'") == "short message 'kept'"
    assert cut_long_values("x" * 240) == "x" * 240
    assert cut_long_values("," * 300).endswith("\u2026 (300 characters)")


def test_a_long_message_with_blanks_keeps_its_start_and_end():
    cut = cut_long_values("start " + "word " * 100_000 + "end")
    assert cut.startswith("start word") and cut.endswith("word end") and len(cut) < 4000
    assert "(message of 500,009 characters cut)" in cut


def test_every_diagnostic_message_and_location_is_cut():
    reporter = Reporter(file="tasks.json", task=0, task_id="t" * 1000)
    reporter.add("media-not-found", f"media reference {BIG!r} not found; looked at: {BIG}")
    item = reporter.items[0]
    assert len(item.message) < 400 and item.message.count("(52,428,798 characters)") == 2
    assert len(item.describe()) < 700 and "(1,000 characters)" in item.describe()
    assert item.task_id == "t" * 1000  # JSON output keeps the id itself
    assert Diagnostic("error", "x", "plain").message == "plain"
    assert Diagnostic("error", "x", "m", task=1, task_id=17, result_id=None).location() == "task 1 (id 17)"
    assert Diagnostic("error", "x", "m", task=1, task_id=10 ** 5000).location() == \
        "task 1 (id <an integer of about 5,000 digits>)"
