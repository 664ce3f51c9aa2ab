"""The window's view state without Qt: one event per change, the one task check, the one selection."""

from __future__ import annotations

from types import SimpleNamespace

from viewer.core.view_state import Event, ViewState

KEY = (("annotation", 0), "r1")


def recorded(state: ViewState) -> list[tuple]:
    seen: list[tuple] = []
    for name in ("project_changed", "task_shown", "content_changed", "review_changed", "selection_changed"):
        getattr(state, name).connect(lambda *args, name=name: seen.append((name, *args)))
    return seen


def project(count: int):
    return SimpleNamespace(tasks=[f"task {n}" for n in range(count)])


def test_an_event_calls_its_handlers_in_order_and_forgets_a_disconnected_one():
    event, calls = Event(), []
    first, second = (lambda value: calls.append(("first", value))), (lambda value: calls.append(("second", value)))
    event.connect(first)
    event.connect(second)
    event.emit(1)
    event.disconnect(first)
    event.emit(2)
    assert calls == [("first", 1), ("second", 1), ("second", 2)]


def test_a_selection_is_announced_once_per_change_and_again_when_asked():
    state = ViewState()
    seen = recorded(state)
    state.select(KEY)
    state.select(KEY)
    assert seen == [("selection_changed", KEY)]
    state.select(KEY, again=True)              # items made anew: every view shows it again
    state.select(None)
    state.select(None)
    assert seen == [("selection_changed", KEY)] * 2 + [("selection_changed", None)]
    assert state.selection is None


def test_task_is_none_out_of_range_and_before_a_project():
    state = ViewState()
    assert state.task() is None
    state.open_project(project(2))
    assert state.index == -1 and state.task() is None
    state.index = 1
    assert state.task() == "task 1"
    state.index = 2
    assert state.task() is None


def test_another_project_drops_task_content_and_selection():
    state = ViewState()
    state.open_project(project(3))
    state.index, state.content = 2, SimpleNamespace(page=1)
    state.select(KEY)
    seen = recorded(state)
    state.open_project(project(1))
    assert seen == [("project_changed",)]
    assert (state.index, state.page, state.content, state.selection) == (-1, 0, None, None)


def test_content_and_the_shown_task_are_announced_with_the_page():
    state = ViewState()
    state.open_project(project(3))
    seen = recorded(state)
    content = SimpleNamespace(page=2)
    state.set_content(content)
    state.shown(1)
    assert seen == [("content_changed", content), ("task_shown", 1)]
    assert (state.index, state.page, state.content) == (1, 2, content)


def test_set_review_emits_only_when_the_review_changes():
    state = ViewState()
    seen = recorded(state)
    review = object()
    state.set_review(review)
    state.set_review(review)
    state.set_review(None)
    assert seen == [("review_changed", review), ("review_changed", None)]


def test_a_changed_layer_is_the_new_content_then_the_layer_named():
    state = ViewState()
    seen = recorded(state)
    state.layer_changed.connect(lambda *args: seen.append(("layer_changed", *args)))
    content = SimpleNamespace(page=0)
    state.change_layer(content, ("annotation", 0))
    assert seen == [("content_changed", content), ("layer_changed", content, ("annotation", 0))]
    assert state.content is content
