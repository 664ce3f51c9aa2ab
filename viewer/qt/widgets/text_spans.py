"""TextSpanEditor: spans of the working annotation made from text selected in the text view and a label (its hotkey
or the picker beside the view), and relabelled or deleted when selected.

Qt layer. Offsets are Label Studio's: code points into the raw string for Text, UTF-16 units inside each phrase for
Paragraphs, XPaths of text nodes with UTF-16 offsets in them and code-point globalOffsets for HyperText
(FORMAT.md 3.1-3.3).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox

from viewer.core.config import LabelConfig
from viewer.core.editing import results as made
from viewer.core.regions import Region
from viewer.core.review.working import working_layer_key
from viewer.core.text_layout import LINE_SEPARATOR, TextDocument, hypertext_span_value
from viewer.core.textspans import code_points_to_utf16, newline_mangled
from viewer.core.view_state import ViewState
from viewer.qt.label_keys import LabelKeys
from viewer.qt.parts import ShowMessage
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.text_view import TextView
from viewer.render.text_content import TextContent

# object kind -> the labels it takes
SPAN_LABELS = {"text": "labels", "paragraphs": "paragraphlabels", "hypertext": "hypertextlabels"}


def text_label_choices(config: LabelConfig, document: TextDocument) -> list[made.LabelChoice]:
    wanted = SPAN_LABELS.get(document.kind)
    return [made.LabelChoice(control, label) for control in config.controls_for(document.object_name)
            if control.kind == wanted for label in control.labels]


def saves_text(config: LabelConfig, document: TextDocument) -> bool:
    """Whether spans store their `text`: saveTextResult when given, else yes (no for a Text read from a URL)."""
    tag = config.objects.get(document.object_name)
    given = tag.attrs.get("saveTextResult") if tag is not None else None
    if given is not None:
        return given.strip().lower() in ("yes", "true")
    return not (document.kind == "text" and tag is not None and tag.attrs.get("valueType", "").lower() == "url")


def _paragraph_span(document: TextDocument, start: int, end: int) -> dict | None:
    """Phrase indices (as strings) and UTF-16 offsets in the phrases, from shown-text offsets; the authors' names
    and the breaks between phrases are not part of any phrase, so a selection starting or ending there moves in."""
    blocks = document.blocks
    first = next((i for i, b in enumerate(blocks) if start < b.end), None)
    last = next((i for i in range(len(blocks) - 1, -1, -1) if end > blocks[i].body_start), None)
    if first is None or last is None or first > last:
        return None
    if any(run.start == blocks[i].body_start and "muted" in run.flags for i in (first, last) for run in blocks[i].runs):
        return None  # a phrase with no text shows a note in its place: nothing of the data to point at
    begin = max(start, blocks[first].body_start) - blocks[first].body_start
    stop = min(end, blocks[last].end) - blocks[last].body_start
    if first == last and begin >= stop:
        return None
    parts = [document.text[b.body_start:b.end] for b in blocks[first:last + 1]]
    parts[-1] = parts[-1][:stop]
    first_body = parts[0]
    parts[0] = parts[0][begin:]
    covered = "\n".join(parts).replace(LINE_SEPARATOR, "\n")
    # LINE_SEPARATOR stands in for one \r or \n: one UTF-16 unit either way, so the offsets come out right
    return {"start": str(first), "end": str(last), "startOffset": code_points_to_utf16(first_body, begin),
            "endOffset": code_points_to_utf16(document.text[blocks[last].body_start:blocks[last].end], stop),
            "text": covered.strip("\n")}


def span_results(config: LabelConfig, content: TextContent, start: int, end: int,
                 choice: made.LabelChoice) -> list[dict] | None:
    """The results of a new span over shown-text offsets start..end; None when no span can be made there."""
    document = content.document
    if document.kind == "text":
        value = {"start": start, "end": end, "text": newline_mangled(document.text[start:end])}
    elif document.kind == "paragraphs":
        value = _paragraph_span(document, start, end)
    elif document.kind == "hypertext":
        value = hypertext_span_value(document, start, end)
    else:
        return None
    if value is None:
        return None
    if not saves_text(config, document):
        value.pop("text")
    control = choice.control
    return [{"from_name": control.name, "to_name": document.object_name, "type": control.kind,
             "value": {**value, control.value_key: [choice.label.stored]}}]


class TextReader(Protocol):
    """The window's text page as its editors use it: the view, and whether it is the one shown now."""

    view: TextView

    @property
    def active(self) -> bool: ...


class TextSpanEditor(QObject):
    def __init__(self, state: ViewState, signals: ViewSignals, text: TextReader, show_message: ShowMessage,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.state, self.text, self.show_message = state, text, show_message
        self.view = text.view
        self.selected: Region | None = None
        self.label_keys = LabelKeys()
        self._config = None
        self.picker = QComboBox()
        self.picker.setToolTip("Label the selected text with (or press the label's hotkey)")
        self.picker.activated.connect(self._on_picker_activated)
        self.view.bar.addWidget(self.picker)
        for pane in self.view.panes:
            pane.installEventFilter(self)
            pane.text_selected.connect(self._on_pane_text_selected)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        self.view.content_changed.connect(self._on_view_content_changed)
        self.refresh()

    @property
    def target(self):
        return self.state.review

    def refresh(self) -> None:
        """After the task, the config or the edit target changed."""
        self._on_view_content_changed(self.view.current)

    def working_key(self) -> tuple[str, int] | None:
        task = self.state.task()
        return working_layer_key(task) if task is not None else None

    def choices(self) -> list[made.LabelChoice]:
        current, project = self.view.current, self.state.project
        if current is None or project is None:
            return []
        return text_label_choices(project.config, current.document)

    def text_range(self) -> tuple[int, int] | None:
        return next((pane.text_range for pane in self.view.visible_panes() if pane.text_range is not None), None)

    # ------------------------------------------------------------------ edits

    def label_selection(self, choice: made.LabelChoice) -> bool:
        """A new span over the selected text with this label; False when there is no text selected."""
        selection, current = self.text_range(), self.view.current
        if selection is None or current is None or self.target is None:
            return False
        results = span_results(self.state.project.config, current, *selection, choice)
        if results is None:
            self.show_message("The selection holds no text a span can cover", 5000)
            return True
        for pane in self.view.panes:
            pane.select_text(None)
        self.target.add_region(self.state.index, results, "Label text")
        return True

    def relabel(self, choice: made.LabelChoice) -> bool:
        region = self.selected
        if region is None or self.target is None or choice not in made.region_label_choices(
                self.state.project.config, region):
            return False
        results = made.relabelled(region, choice)
        if results != [dict(r) for r in region.results]:
            self.target.edit_region(self.state.index, region.id, results, "Relabel region")
        return True

    def delete_selected(self) -> bool:
        region = self.selected
        if region is None or self.target is None:
            return False
        self.selected = None
        self.target.delete_region(self.state.index, region.id)
        return True

    def use(self, choice: made.LabelChoice) -> bool:
        """A label chosen: it labels the selected text, else relabels the selected working span."""
        return self.label_selection(choice) or self.relabel(choice)

    # ------------------------------------------------------------------ Qt plumbing

    def eventFilter(self, watched, event) -> bool:
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or self.target is None:
            return False
        options = [c for c in self.label_keys.choices(event) if c in self.choices()
                   or (self.selected is not None and c in made.region_label_choices(self.state.project.config,
                                                                                     self.selected))]
        if not options or (self.text_range() is None and self.selected is None):
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            self.use(options[0])
        return True

    def _on_picker_activated(self, index: int) -> None:
        choices = self.choices()
        if 0 <= index < len(choices) and not self.use(choices[index]):
            self.show_message("Select text (or a span of the working annotation) first", 5000)

    def _on_pane_text_selected(self, text_range) -> None:
        self.picker.setEnabled(self.target is not None and bool(self.choices()))

    def _on_signals_selection_changed(self, key) -> None:
        self.selected = self.region(key) if self.text.active else None

    def region(self, key) -> Region | None:
        """The working span a region key names, None for any other region."""
        current = self.view.current
        if key is None or current is None or key[0] != self.working_key():
            return None
        layer = current.layer(key[0])
        return next((r for r in layer.regions if r.id == key[1]), None) if layer is not None else None

    def _on_view_content_changed(self, content) -> None:
        project = self.state.project
        config = project.config if project is not None else None
        if config is not self._config:
            self._config = config
            self.label_keys = LabelKeys(config)
        if self.selected is not None:
            self.selected = self.region((self.working_key(), self.selected.id))
        choices = self.choices()
        self.picker.clear()
        self.picker.addItems([c.text for c in choices] or ["(no labels for this text)"])
        self.picker.setEnabled(self.target is not None and bool(choices))
        self.picker.setVisible(content is not None)
