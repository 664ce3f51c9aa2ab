"""Label Studio's two credential kinds as httpx Auth flows: a legacy `Token <key>`, or a Personal Access Token.

Core layer, no Qt. A PAT is a JWT refresh token: it is exchanged at /api/token/refresh/ for an access token that
lives 300 s and goes out as `Bearer`; the flow refreshes before it expires and once more on a 401.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any, Generator

import httpx

from viewer.core.errors import LsviewError
from viewer.core.server.http import HttpError, server_message

__all__ = ["LegacyToken", "PersonalAccessToken", "auth_for", "jwt_payload", "token_kind"]

REFRESH_PATH = "/api/token/refresh/"
EARLY_S = 30.0          # refresh this long before the access token's exp, so a slow request does not outlive it
LEGACY_HINT = ("a legacy API token was tried as 'Token <key>': check the key; Label Studio 1.22 and later also "
               "refuse legacy tokens unless the server was started with --enable-legacy-api-token, so a Personal "
               "Access Token from Account & Settings is the safer choice")
LEGACY_OFF_HINT = ("a legacy API token was tried as 'Token <key>', and this server has legacy tokens turned off "
                   "(start it with --enable-legacy-api-token, or allow them in the organisation's settings): use a "
                   "Personal Access Token from Account & Settings instead")


def jwt_payload(token: str) -> dict[str, Any] | None:
    """The decoded payload of a JWT (signature not checked: the server does that), None for anything else."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    text = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        payload = json.loads(base64.urlsafe_b64decode(text.encode("ascii")))
    except (ValueError, UnicodeEncodeError):
        return None
    return payload if isinstance(payload, dict) else None


def token_kind(token: str) -> str:
    """"pat" for a JWT whose payload says token_type refresh, "access" for a JWT access token, else "legacy"."""
    payload = jwt_payload(token)
    if payload is None:
        return "legacy"
    return "pat" if payload.get("token_type") == "refresh" else "access"


class LegacyToken(httpx.Auth):
    """`Authorization: Token <key>`: the 40-hex key of Account & Settings, on servers that still allow it."""

    kind = "legacy token"

    def __init__(self, key: str):
        self._key = key.strip()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Token {self._key}"
        yield request

    def refused_hint(self, detail: str | None = None) -> str:
        return LEGACY_OFF_HINT if detail and "legacy token" in detail.lower() else LEGACY_HINT

    def __repr__(self) -> str:  # never the key: reprs end up in logs
        return "LegacyToken(<hidden>)"


class BearerToken(LegacyToken):
    """An access token given as it is (`Bearer <jwt>`): it lives 5 minutes and cannot be refreshed."""

    kind = "access token"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._key}"
        yield request

    def refused_hint(self, detail: str | None = None) -> str:
        return ("a JWT access token was sent as 'Bearer'; those live 5 minutes: give the Personal Access Token "
                "(the refresh token) instead")


class PersonalAccessToken(httpx.Auth):
    """A PAT: refreshed into a 300-second access token at base_url + /api/token/refresh/, kept until near its exp."""

    kind = "Personal Access Token"
    requires_response_body = True

    def __init__(self, refresh: str, base_url: str):
        self._refresh = refresh.strip()
        self._refresh_url = base_url.rstrip("/") + REFRESH_PATH
        self._access: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        self.refreshes = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self._lock:
            access = self._access if time.time() < self._expires - EARLY_S else None
        if access is None:
            access = yield from self._renew()
        request.headers["Authorization"] = f"Bearer {access}"
        response = yield request
        if response.status_code == 401:
            # expired early, or revoked in between: one fresh access token, one more try
            access = yield from self._renew()
            request.headers["Authorization"] = f"Bearer {access}"
            yield request

    def _renew(self) -> Generator[httpx.Request, httpx.Response, str]:
        body = json.dumps({"refresh": self._refresh}).encode("ascii")
        response = yield httpx.Request("POST", self._refresh_url, content=body,
                                       headers={"Content-Type": "application/json", "Accept": "application/json"})
        self.refreshes += 1
        access = None
        if response.status_code == 200:
            try:
                access = json.loads(response.content).get("access")
            except (ValueError, AttributeError):
                access = None
        if not isinstance(access, str) or not access:
            message, detail, errors = server_message(response)
            hint = ("the Personal Access Token was refused; it may be revoked or from another server: make a new "
                    "one in Account & Settings" if response.status_code in (400, 401, 403) else None)
            raise HttpError("POST", REFRESH_PATH, response.status_code, message, detail=detail,
                            validation_errors=errors, hint=hint)
        payload = jwt_payload(access) or {}
        exp = payload.get("exp")
        with self._lock:
            self._access = access
            self._expires = float(exp) if isinstance(exp, (int, float)) else time.time() + 300.0
        return access

    def refused_hint(self, detail: str | None = None) -> str:
        return "a Personal Access Token was sent (as a fresh Bearer access token) and refused even after a refresh"

    def __repr__(self) -> str:
        return "PersonalAccessToken(<hidden>)"


def auth_for(token: str, base_url: str) -> httpx.Auth:
    """The Auth flow for a token as the user gave it: a PAT, a bare access token, or a legacy key."""
    token = token.strip()
    if not token:
        raise LsviewError("the API token is empty; give --token, set LABEL_STUDIO_API_KEY, or store one")
    if any(c.isspace() for c in token):
        raise LsviewError("the API token holds blanks; give the token alone, without 'Token ' or 'Bearer '")
    kind = token_kind(token)
    if kind == "pat":
        return PersonalAccessToken(token, base_url)
    if kind == "access":
        return BearerToken(token)
    return LegacyToken(token)
