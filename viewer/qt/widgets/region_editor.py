"""RegionEditor: the selected working region's label and the per-region values its visibleWhen shows (text, choices,
rating, number, date, taxonomy), and the working annotation's whole-task answers. Each change is one command.

Qt layer, a panel over the view state's edit target (`state.review`): it reads regions and layers, and writes only
through the target's edit_region / set_region_payload / set_classification.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from viewer.core.config import ControlTag, LabelConfig, lookup_data
from viewer.core.editing import results as made
from viewer.core.editing.control_visibility import CHOICE_KINDS, flat_selection
from viewer.core.content import ShownContent
from viewer.core.regions import Region
from viewer.core.view_state import ViewState
from viewer.qt.widgets.control_fields import ControlField, make_field
from viewer.render.content import Layer

NO_REGION = "Select a region of the working annotation to edit its label and values."
NO_SESSION = "Editing needs a review session."


class RegionEditor(QScrollArea):
    def __init__(self, state: ViewState, working_layer: Callable[[], Layer | None],
                 canvas_content: Callable[[], ShownContent | None], parent=None):
        """`canvas_content`: what the canvas shows now (its page of a multi-image task)."""
        super().__init__(parent)
        self.state = state
        self.working_layer, self.canvas_content = working_layer, canvas_content
        self.region: Region | None = None
        self.region_fields: dict[str, ControlField] = {}
        self.task_fields: dict[tuple[str, str], ControlField] = {}
        self._task_form_for: tuple | None = None
        self._choices: list[made.LabelChoice] = []
        body = QWidget()
        self.note = QLabel(NO_REGION)
        self.note.setWordWrap(True)
        self.region_box = QGroupBox("Selected region")
        self.region_form = QFormLayout(self.region_box)
        self.label_choice = QComboBox()
        self.label_choice.setToolTip("Relabel the selected region (the labels' hotkeys do it too)")
        self.label_choice.activated.connect(self._on_label_choice_activated)
        self.task_box = QGroupBox("Whole task")
        self.task_form = QFormLayout(self.task_box)
        layout = QVBoxLayout(body)
        layout.addWidget(self.note)
        layout.addWidget(self.region_box)
        layout.addWidget(self.task_box)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.refresh()

    @property
    def target(self):
        return self.state.review

    @property
    def config(self) -> LabelConfig | None:
        return self.state.project.config if self.state.project is not None else None

    def _task_index(self) -> int | None:
        return self.state.index if self.state.task() is not None else None

    # ------------------------------------------------------------------ showing

    def show_region(self, region: Region | None) -> None:
        """Edit this working region (None: no region selected)."""
        same = region is not None and self.region is not None and region.id == self.region.id and \
            self._controls(region) == list(self.region_fields)
        self.region = region
        if not same:
            self._build_region_form()
        self._fill_region()

    def refresh(self) -> None:
        """The working annotation or the task changed: show what is stored now."""
        key = (self._task_index(), id(self.config))
        if key != self._task_form_for:
            self._task_form_for = key
            self._build_task_form()
        self._fill_task()
        self.show_region(self.region if self.region is not None else None)

    def _controls(self, region: Region) -> list[str]:
        return [c.name for c in made.per_region_controls(self.config, region, self._chosen(region))] \
            if self.config else []

    def _chosen(self, region: Region) -> dict[str, list[str]]:
        """What each Choices/Taxonomy control has selected for this region: its own answer when per region."""
        chosen = {name: flat_selection(values.get(self.config.controls[name].value_key))
                  for (name, _), values in self._answers().items()
                  if name in self.config.controls and self.config.controls[name].kind in CHOICE_KINDS}
        for control in self.config.controls.values():
            if control.per_region and control.kind in CHOICE_KINDS:
                chosen[control.name] = flat_selection(region.values.get(control.name, {}).get(control.value_key))
        return chosen

    def _build_region_form(self) -> None:
        self._clear(self.region_form, keep=self.label_choice)
        self.region_fields = {}
        if self.region is None or self.config is None:
            return
        self.region_form.addRow("Label", self.label_choice)
        for control in made.per_region_controls(self.config, self.region, self._chosen(self.region)):
            field = make_field(control)
            field.committed.connect(lambda payload, c=control: self._on_region_field_committed(c, payload))
            self.region_form.addRow(control.name, field)
            self.region_fields[control.name] = field

    def _fill_region(self) -> None:
        region, editable = self.region, self.target is not None
        self.region_box.setVisible(region is not None)
        self.note.setText(NO_SESSION if not editable else "" if region is not None else NO_REGION)
        self.note.setVisible(not editable or region is None)
        if region is None:
            return
        self.region_box.setTitle(f"Selected {region.kind} · {region.id}")
        self._choices = made.region_label_choices(self.config, region) if self.config else []
        self.label_choice.clear()
        current = next((i for i, c in enumerate(self._choices) if c.label.stored in region.labels
                        and c.control.name == region.label_from_name), None)
        if current is None:
            self.label_choice.addItem("(no label)" if not region.labels else ", ".join(region.labels))
        for choice in self._choices:
            self.label_choice.addItem(choice.text)
        self.label_choice.setCurrentIndex(0 if current is None else current)
        self.label_choice.setEnabled(editable and bool(self._choices))
        for name, field in self.region_fields.items():
            field.set_value(region.values.get(name, {}).get(field.control.value_key))
            field.setEnabled(editable)

    def _objects(self) -> list[str]:
        """The config's objects this task has data for: the whole-task answers are about them."""
        project, index = self.state.project, self._task_index()
        if project is None or index is None:
            return []
        names = []
        for name, tag in project.config.objects.items():
            path = tag.data_path if tag.data_path is not None else tag.value_list
            try:
                if path is not None:
                    lookup_data(project.tasks[index].data, path)
            except (KeyError, IndexError, TypeError):
                continue
            names.append(name)
        return names

    def _build_task_form(self) -> None:
        self._clear(self.task_form)
        self.task_fields = {}
        if self.config is None:
            return
        objects = self._objects()
        for control in made.whole_object_controls(self.config, objects):
            to_name = next(name for name in control.to_names if name in objects)
            field = make_field(control)
            field.committed.connect(lambda payload, c=control, t=to_name: self._on_task_field_committed(c, t, payload))
            self.task_form.addRow(control.name, field)
            self.task_fields[(control.name, to_name)] = field
        self.task_box.setVisible(bool(self.task_fields))

    def _answers(self) -> dict[tuple[str, str | None], dict]:
        """The working annotation's whole-task answers on the page shown, by (control, object)."""
        layer = self.working_layer()
        answers = {}
        for region in layer.classifications if layer is not None else ():
            if (region.item_index or 0) == self._page_of(region.to_name):
                for from_name, values in region.values.items():
                    answers[(from_name, region.to_name)] = values
        return answers

    def _fill_task(self) -> None:
        answers = self._answers()
        for (name, to_name), field in self.task_fields.items():
            field.set_value(answers.get((name, to_name), {}).get(field.control.value_key))
            field.setEnabled(self.target is not None)

    def _page_of(self, to_name: str | None) -> int:
        content = self.canvas_content()
        if content is not None and content.multi_page and content.object_name == to_name:
            return content.page
        return 0

    def _item_index(self, control: ControlTag, to_name: str) -> int | None:
        content = self.canvas_content()
        if control.attrs.flag("perItem") and content is not None and content.multi_page and \
                content.object_name == to_name:
            return content.page
        return None

    @staticmethod
    def _clear(form: QFormLayout, keep: QWidget | None = None) -> None:
        while form.rowCount():
            row = form.takeRow(0)
            for part in (row.labelItem, row.fieldItem):
                widget = part.widget() if part is not None else None
                if widget is None:
                    continue
                if widget is keep:
                    widget.setParent(None)
                else:
                    widget.hide()
                    widget.deleteLater()  # it may be the one whose signal brought us here

    # ------------------------------------------------------------------ edits

    def _on_label_choice_activated(self, index: int) -> None:
        offset = self.label_choice.count() - len(self._choices)
        region, index = self.region, index - offset
        if region is None or self.target is None or not 0 <= index < len(self._choices):
            return
        results = made.relabelled(region, self._choices[index])
        if results != [dict(r) for r in region.results]:
            self.target.edit_region(self._task_index(), region.id, results, "Relabel region")

    def _on_region_field_committed(self, control: ControlTag, payload) -> None:
        if self.region is not None and self.target is not None:
            self.target.set_region_payload(self._task_index(), self.region.id, control.name, control.kind,
                                           control.value_key, payload)

    def _on_task_field_committed(self, control: ControlTag, to_name: str, payload) -> None:
        if self.target is not None:
            self.target.set_classification(self._task_index(), control.name, to_name, control.kind,
                                           control.value_key, payload, self._item_index(control, to_name))
