"""The config's label hotkeys (`<Label hotkey="...">`) as Qt key combinations.

Qt layer. Label Studio writes hotkeys the keymaster way ("1", "shift+a", "ctrl+alt+x"); a key event matches when
its key and modifiers are the same.
"""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from viewer.core.config import LabelConfig
from viewer.core.editing.results import LabelChoice, hotkey_choices

_MODIFIERS = {"shift": "Shift", "ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "option": "Alt", "meta": "Meta",
              "cmd": "Ctrl", "command": "Ctrl"}
_NAMES = {"enter": "Return", "return": "Return", "esc": "Esc", "escape": "Esc", "space": "Space", "tab": "Tab",
          "backspace": "Backspace", "del": "Del", "delete": "Del", "up": "Up", "down": "Down", "left": "Left",
          "right": "Right", "plus": "+", "minus": "-"}


def key_combination(hotkey: str) -> QKeyCombination | None:
    """The key combination a Label Studio hotkey names; None when Qt has no such key."""
    parts = [part.strip().lower() for part in hotkey.split("+")]
    if not parts or not parts[-1]:
        return None
    words = [_MODIFIERS.get(part) for part in parts[:-1]]
    if None in words:
        return None
    last = parts[-1]
    key = _NAMES.get(last, last.upper() if len(last) == 1 else last.capitalize())
    sequence = QKeySequence.fromString("+".join(words + [key]))
    if sequence.count() != 1 or sequence[0].key() == Qt.Key.Key_unknown:
        return None
    return sequence[0]


def event_combination(event: QKeyEvent) -> QKeyCombination:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeyCombination(modifiers, Qt.Key(event.key()))


class LabelKeys:
    """Hotkey -> the labels that carry it (several controls may share a key; the caller picks the one that fits)."""

    def __init__(self, config: LabelConfig | None = None):
        self._choices: dict[int, list[LabelChoice]] = {}
        if config is None:
            return
        for hotkey, choice in hotkey_choices(config):
            combination = key_combination(hotkey)
            if combination is not None:
                self._choices.setdefault(combination.toCombined(), []).append(choice)

    def choices(self, event: QKeyEvent) -> list[LabelChoice]:
        if event.isAutoRepeat():
            return []
        return self._choices.get(event_combination(event).toCombined(), [])

    def __bool__(self) -> bool:
        return bool(self._choices)
