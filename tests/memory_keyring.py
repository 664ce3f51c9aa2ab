"""Keyring backends for tests: one in memory, one that fails the way a desktop without Secret Service does. The
user's real keyring is never touched."""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username))


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise RuntimeError("org.freedesktop.secrets was not provided by any .service files")

    set_password = delete_password = get_password
