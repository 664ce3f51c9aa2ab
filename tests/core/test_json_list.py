"""json_list: a task list decoded in pieces gives exactly what Python's json gives, or None."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import json_list
from viewer.core.json_list import list_items


@pytest.fixture(params=["orjson", "json only"])
def small_pieces(request, monkeypatch):
    """Pieces of 64 bytes, so a short document is cut many times; with and without orjson."""
    monkeypatch.setattr(json_list, "PIECE", 64)
    if request.param == "json only":
        monkeypatch.setattr(json_list, "orjson", None)
    elif json_list.orjson is None:
        pytest.skip("orjson is not installed")


def same(found, expected) -> bool:
    """Equal with types (1 is not 1.0) and NaN equal to NaN: repr says both."""
    return repr(found) == repr(expected)


def task(n: int, **data) -> dict:
    return {"id": n, "data": {"text": f"task {n}", **data},
            "predictions": [{"model_version": "v1", "score": 0.5,
                             "result": [{"id": f"r{n}", "from_name": "label", "to_name": "text",
                                         "type": "labels", "value": {"start": 0, "end": 4, "labels": ["A"]}}]}]}


def test_many_cuts_give_what_json_gives(small_pieces):
    tasks = [task(n) for n in range(200)]
    for dump in (json.dumps(tasks), json.dumps(tasks, indent=2), json.dumps(tasks, separators=(",", ":"))):
        assert same(list_items(dump.encode()), tasks)


def test_false_cuts_inside_strings_and_nested_lists_are_refused(small_pieces):
    # Text that reads like the start of a task, inside a string and as a nested object in a list.
    lookalike = '}, {"id": 3, "data": {"text": "x"'
    tasks = [task(n, note=lookalike * 3, rows=[{"id": 1, "data": {"x": [1, 2]}}] * 4) for n in range(60)]
    tasks.insert(7, {"id": 99, "data": {"quote": 'a "quoted" \\ back\\slash ] } [ {'}})
    assert same(list_items(json.dumps(tasks).encode()), tasks)


def test_tasks_with_other_key_orders_and_non_objects(small_pieces):
    items = [task(0), {"data": {"text": "keys in another order"}, "id": 1}, 17, "a string", None, [1, [2]],
             task(2), {}, task(3)]
    assert same(list_items(json.dumps(items).encode()), items)
    numbers = list(range(500))
    assert same(list_items(json.dumps(numbers).encode()), numbers)


def test_what_orjson_reads_otherwise_is_read_as_json_reads_it(small_pieces):
    text = ('[{"id": 1, "data": {"big": 123456789012345678901234567890, "low": -9223372036854775809, '
            '"u64": 18446744073709551615, "fraction": 0.0002394293629056632, "nan": NaN, "inf": -Infinity, '
            '"huge": 1e400, "surrogate": "\\ud800"}}, {"id": 2, "data": {"n": 18446744073709551616}}]')
    found = list_items(text.encode())
    expected = json.loads(text)
    assert same(found, expected)
    assert type(found[0]["data"]["big"]) is int and type(found[1]["data"]["n"]) is int
    assert math.isnan(found[0]["data"]["nan"])


def test_a_book_long_first_value_or_key_is_read_whole(small_pieces):
    # The first task's keys tell where later tasks start; a first value or key too long to look past is no
    # reason to fail, and no reason to crawl (a 20 MB first string once took 8 s to look past).
    for first in ({"text": "a" * 300_000, "id": 1}, {"k" * 10_000: 1, "id": 1}):
        items = [first] + [task(n) for n in range(30)]
        assert same(list_items(json.dumps(items).encode()), items)


def test_nesting_deeper_than_the_readers_go_is_none():
    assert list_items(b'[{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}]") is None


def test_byte_order_mark_and_whitespace_around(small_pieces):
    tasks = [task(n) for n in range(20)]
    assert same(list_items(b"\xef\xbb\xbf \n" + json.dumps(tasks).encode() + b"\n\n"), tasks)
    assert list_items(b"[]") == [] and list_items(b" [ \n ] ") == []


@pytest.mark.parametrize("blob", [
    b"", b"   ", b'{"id": 1, "data": {}}', b"17", b"[1, 2,]", b"[1, 2", b"[1, 2]]", b"[1, 2] x", b"[1 2]",
    b'[{"id": 1}, {"id": 2}', "[\"caf\u00e9\"]".encode("latin-1"), "[1, 2]".encode("utf-16"),
    b'[{"id": 1, "data": {"t": "\xed\xa0\x80"}}]',   # a surrogate in UTF-8 bytes: not UTF-8, whatever json.loads says
])
def test_not_a_list_or_broken_is_none(small_pieces, blob):
    assert list_items(blob) is None


def test_steps_report_progress_to_the_end(small_pieces):
    tasks = [task(n) for n in range(100)]
    blob = json.dumps(tasks).encode()
    seen = []
    assert same(list_items(blob, seen.append), tasks)
    assert len(seen) > 10 and seen == sorted(seen) and 0 < seen[-1] <= 1


def test_long_digit_runs_that_are_fractions_stay_on_the_fast_reader():
    assert not json_list._has_long_integer(b'{"score": 0.0002394293629056632, "x": 1.2345678901234567890123}')
    assert json_list._has_long_integer(b'{"id": 12345678901234567890}')
    assert json_list._has_long_integer(b'[-9223372036854775809]')
    assert not json_list._has_long_integer(b'[922337203685477580, 0.1]')
    assert json_list._has_long_integer(b'[0.' + b"1" * 25 + b', 12345678901234567890]')   # after a long fraction
    assert not json_list._has_long_integer(b'[0.' + b"1" * 25 + b', 0.' + b"2" * 30 + b"]")


_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                     st.floats(allow_nan=False), st.text(alphabet='{}[],:"\\ ab\u00e9\n', max_size=12))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["id", "data", "x", "result"]), inner, max_size=4)),
    max_leaves=20)
_tasks = st.fixed_dictionaries({"id": st.integers(0, 10**6), "data": st.dictionaries(st.text(max_size=3), _values)})


@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.one_of(_tasks, _values), max_size=30), indent=st.sampled_from([None, 0, 2]))
def test_any_list_gives_what_json_gives(items, indent):
    blob = json.dumps(items, indent=indent).encode()
    original = json_list.PIECE
    json_list.PIECE = 16
    try:
        assert same(list_items(blob), json.loads(blob))
    finally:
        json_list.PIECE = original


def test_json_lines_split_where_text_files_split_and_nowhere_else():
    text = '{"a": "x\u2028y\x85z\x0cw"}\r\n{"b": 1}\r{"c": 2}\n\n'
    assert json_list.lines(text) == ['{"a": "x\u2028y\x85z\x0cw"}', '{"b": 1}', '{"c": 2}', "", ""]


@pytest.mark.parametrize("line", ['{"id": 1, "n": 123456789012345678901234}', '{"s": NaN}', '{"x": "\\ud800"}',
                                  '{"v": [1.5, -0.0, 1e-7, "\u00e9"]}'])
def test_a_json_lines_reader_reads_each_line_as_json_does(line):
    blob = (line + "\n").encode()
    assert same(json_list.line_reader(blob)(line), json.loads(line))
    with pytest.raises(json.JSONDecodeError):
        json_list.line_reader(blob)('{"broken": ')
