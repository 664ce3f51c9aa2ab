"""ShortcutMap: the keys of every window action, the table's defaults with the user's own choices on top, kept in
QSettings; no key ever does two things.

Qt layer. The keyboard dialog changes keys only through assign() and reset(), which refuse a key that is taken.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QKeyCombination, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from viewer.qt.actions import ACTIONS, default_keys, plain_text, show_keys

GROUP = "shortcuts"
PORTABLE = QKeySequence.SequenceFormat.PortableText
WINDOW = "#window"          # ShortcutMap.holder of a key the window reads itself
# Keys the canvas tools and the text boxes read themselves: an action bound to one would take it from them.
RESERVED = {
    "Esc": "drops the shape being drawn or the drag under way",
    "Space": "pans the canvas while held, and plays or pauses a video",
    "Return": "closes a polygon and saves a note",
    "Enter": "closes a polygon and saves a note",
    "Backspace": "takes back a polygon point",
    "Tab": "moves the keyboard focus",
    "Shift+Tab": "moves the keyboard focus",
}


def key_name(key: QKeySequence) -> str:
    return key.toString(PORTABLE)


def match_name(key: QKeySequence) -> str:
    """The name two keys are compared by: Shift with a symbol key is the symbol alone, because the key that
    types "?" is pressed with Shift and Qt matches such a press against both (Shift+? and ? would be ambiguous,
    and neither would fire). Letters and digits keep their Shift."""
    if key.count() == 1:
        combination = key[0]
        code, modifiers = combination.key(), combination.keyboardModifiers()
        if modifiers & Qt.KeyboardModifier.ShiftModifier and 0x20 < code <= 0xFF and not chr(code).isalnum():
            return key_name(QKeySequence(QKeyCombination(modifiers & ~Qt.KeyboardModifier.ShiftModifier,
                                                         Qt.Key(code))))
    return key_name(key)


def single_key(key: QKeySequence) -> bool:
    """One key combination (not a chord of several), naming a real key."""
    return key.count() == 1 and key[0].key() not in (Qt.Key.Key_unknown, 0)


class ShortcutMap(QObject):
    """The keys bound to each action, read from and written to `settings` (group "shortcuts", one JSON list of
    key names per action the user changed; an empty list means "no key")."""

    changed = Signal(str)       # the name of the action whose keys changed

    def __init__(self, actions: dict[str, QAction], settings: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self.actions, self.settings = actions, settings
        self.names = [entry[0] for entry in ACTIONS if entry[0] in actions]
        self.keys: dict[str, list[QKeySequence]] = {}
        self.notes: list[str] = []      # what load() could not honour, for the status bar
        self.load()

    # ------------------------------------------------------------------ reading

    def text(self, name: str) -> str:
        return plain_text(self.actions[name].text())

    def is_default(self, name: str) -> bool:
        return [key_name(k) for k in self.keys[name]] == [key_name(k) for k in default_keys(name)]

    def holder(self, key: QKeySequence, besides: str | None = None) -> str | None:
        """The name of the action bound to `key` (other than `besides`), WINDOW for a key the window reads itself,
        None when it is free: the one rule every check here goes by."""
        wanted = match_name(key)
        if wanted in RESERVED:
            return WINDOW
        return next((name for name, keys in self.keys.items()
                     if name != besides and any(match_name(k) == wanted for k in keys)), None)

    def owner(self, key: QKeySequence, besides: str | None = None) -> str | None:
        """Who holds `key` now, said for a person: an action's menu text, or what the window does with it."""
        holder = self.holder(key, besides)
        if holder == WINDOW:
            return f"the window itself ({RESERVED[match_name(key)]})"
        return None if holder is None else f'"{self.text(holder)}"'

    def problem(self, name: str, keys: list[QKeySequence]) -> str | None:
        """Why `keys` cannot be given to action `name`; None when they can."""
        seen: set[str] = set()
        for key in keys:
            if not single_key(key):
                return f"{key.toString() or 'An empty key'} is not one key combination"
            if match_name(key) in seen:
                return f"{key.toString()} is given twice"
            seen.add(match_name(key))
            holder = self.owner(key, besides=name)
            if holder is not None:
                return f"{key.toString()} is already used by {holder}"
        return None

    # ------------------------------------------------------------------ changing

    def assign(self, name: str, keys: list[QKeySequence]) -> str | None:
        """Give `keys` to the action and remember them; the reason instead, changing nothing, when one is taken."""
        refused = self.problem(name, keys)
        if refused is not None:
            return refused
        self._bind(name, keys)
        if self.is_default(name):
            self.settings.remove(f"{GROUP}/{name}")
        else:
            self.settings.setValue(f"{GROUP}/{name}", json.dumps([key_name(k) for k in keys]))
        self.settings.sync()
        return None

    def reset(self, name: str) -> str | None:
        """Back to the table's keys; refused while another action holds one of them."""
        return self.assign(name, default_keys(name))

    def reset_all(self) -> None:
        self.settings.remove(GROUP)
        self.settings.sync()
        for name in self.names:
            self._bind(name, default_keys(name))

    def _bind(self, name: str, keys: list[QKeySequence]) -> None:
        self.keys[name] = list(keys)
        show_keys(self.actions[name], self.keys[name])
        self.changed.emit(name)

    # ------------------------------------------------------------------ start-up

    def stored(self, name: str) -> list[QKeySequence] | None:
        """The user's keys for an action, or None when the user kept the defaults (or the entry is unreadable)."""
        raw = self.settings.value(f"{GROUP}/{name}")
        if raw is None:
            return None
        try:
            names = json.loads(str(raw))
        except ValueError:
            names = None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            self.notes.append(f"Shortcut setting of {self.text(name)!r} is unreadable; its default keys are used")
            return None
        return [QKeySequence.fromString(n, PORTABLE) for n in names]

    def load(self) -> None:
        """Bind every action: the user's keys first, then the defaults, each key to the first that claims it.

        A default taken by a user's key (a newer lsview may bring new defaults) stays unbound, and notes say so.
        """
        self.keys, self.notes = {}, []
        chosen = {name: self.stored(name) for name in self.names}
        users_first = [n for n in self.names if chosen[n] is not None] + [n for n in self.names if chosen[n] is None]
        for name in users_first:
            kept = self.keys[name] = []
            for key in chosen[name] if chosen[name] is not None else default_keys(name):
                holder = self.holder(key) if single_key(key) else WINDOW
                if holder == WINDOW:
                    self.notes.append(f"{match_name(key) or 'an empty key'} cannot be a shortcut of "
                                      f"{self.text(name)!r}")
                elif holder is not None:
                    self.notes.append(f"{key.toString()} stays with {self.text(holder)!r}, not {self.text(name)!r}")
                else:
                    kept.append(key)
            show_keys(self.actions[name], kept)
