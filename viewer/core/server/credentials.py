"""Where a server's API token comes from: --token, else $LABEL_STUDIO_API_KEY, else the OS keyring.

Core layer, no Qt. The keyring (service "lsview", user = the server URL) is the only place lsview keeps a token;
a missing or failing keyring backend just means no stored token. Never in plain files, never in messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from viewer.core.errors import LsviewError

__all__ = ["ENV_VAR", "SERVICE", "Credential", "find_token", "forget", "normal_url", "remember", "stored_token"]

ENV_VAR = "LABEL_STUDIO_API_KEY"
SERVICE = "lsview"


@dataclass(frozen=True)
class Credential:
    token: str
    source: str     # "--token" | "LABEL_STUDIO_API_KEY" | "keyring"

    def __repr__(self) -> str:  # a dataclass repr would print the token
        return f"Credential(<hidden>, source={self.source!r})"


def normal_url(url: str) -> str:
    """The keyring's user name for a server: its URL without a trailing slash."""
    return url.strip().rstrip("/")


def _keyring():
    try:
        import keyring
    except Exception:  # not installed, or a broken backend plugin raising at import
        return None
    return keyring


def stored_token(url: str) -> str | None:
    """The token kept for this server, None when there is none or no usable keyring."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        token = keyring.get_password(SERVICE, normal_url(url))
    except Exception:  # keyring.errors.NoKeyringError, a locked or absent Secret Service, D-Bus gone
        return None
    return token or None


def remember(url: str, token: str) -> bool:
    """Keep the token for this server in the OS keyring; False when no keyring could take it."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, normal_url(url), token)
    except Exception:
        return False
    return True


def forget(url: str) -> bool:
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.delete_password(SERVICE, normal_url(url))
    except Exception:
        return False
    return True


def find_token(url: str, given: str | None = None) -> Credential:
    """The token to use for url: given (--token), else $LABEL_STUDIO_API_KEY, else the keyring; LsviewError
    saying all three places when none has one."""
    if given is not None and given.strip():
        return Credential(given.strip(), "--token")
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Credential(env, ENV_VAR)
    stored = stored_token(url)
    if stored:
        return Credential(stored.strip(), "keyring")
    raise LsviewError(f"no API token for {normal_url(url)}: give --token T, set {ENV_VAR}, or store one with "
                      "File > Open from Label Studio... (a Personal Access Token from the server's Account & "
                      "Settings page)")


def known_token(url: str) -> str:
    """The token find_token would use for url without --token ($LABEL_STUDIO_API_KEY, else the keyring); "" when
    neither has one. The window's dialogs fill their token field with it, in the order the commands use."""
    try:
        return find_token(url).token
    except LsviewError:
        return ""
