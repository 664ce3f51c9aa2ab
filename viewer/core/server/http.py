"""One HTTP client for Label Studio servers and ML backends: JSON in and out, retries, deadlines, downloads.

Core layer, no Qt; built on httpx (per-phase timeouts, one pooled Client, an Auth flow for token refresh). Every
failure is an HttpError whose str() is one line a user can act on: method, endpoint, status, the server's message.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import httpx

from viewer.core.atomic import replacing
from viewer.core.errors import LsviewError, OutputError, cut_long_values

__all__ = ["Http", "HttpError", "server_message"]

TIMEOUT_S = 30.0        # one phase: connect, one read, one write
DEADLINE_S = 300.0      # one whole request, body included (a 10,000-task export download is ~15 MB)


class HttpError(LsviewError):
    """An HTTP request that failed: `status` is None when no answer came (connection refused, timed out).
    `sent` is False only when the request certainly never reached the server (no connection was made), so sending
    it again cannot do anything twice; `unreachable` when the host's name does not resolve or it refused the
    connection, which asking again a second later does not mend."""

    def __init__(self, method: str, endpoint: str, status: int | None, message: str, *,
                 detail: str | None = None, validation_errors: Any = None, hint: str | None = None,
                 sent: bool = True, unreachable: bool = False):
        self.method = method
        self.sent = sent
        self.unreachable = unreachable
        self.endpoint = endpoint
        self.status = status
        self.message = message
        self.detail = detail
        self.validation_errors = validation_errors
        self.hint = hint
        super().__init__(str(self))

    @property
    def refused(self) -> bool:
        """The server answered that this request is wrong (4xx): asking again the same way cannot help. False with
        no answer at all (a timeout, a dropped connection), which has no status."""
        return self.status is not None and 400 <= self.status < 500

    def __str__(self) -> str:
        head = f"{self.method} {self.endpoint}"
        text = f"{head}: {self.status} {self.message}" if self.status is not None else f"{head}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return cut_long_values(" ".join(text.split()))


def server_message(response: httpx.Response) -> tuple[str, str | None, Any]:
    """(one-line message, LS `detail`, LS `validation_errors`) of an error answer; LS's body is
    {"id","status_code","version","detail","exc_info","validation_errors"?}, other servers answer anything."""
    reason = response.reason_phrase or httpx.codes.get_reason_phrase(response.status_code) or "error"
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = response.content[:300].decode("utf-8", "replace").strip() if response.content else ""
        looks_html = text.lstrip().startswith("<")
        return (f"{reason}: {text}" if text and not looks_html else reason), None, None
    detail = body.get("detail")
    errors = body.get("validation_errors")
    parts = [reason]
    if detail not in (None, ""):
        parts.append(str(detail))
    if errors:
        parts.append(_flatten_errors(errors))
    if len(parts) == 1 and body:
        parts.append(json.dumps(body, ensure_ascii=False)[:300])
    return ": ".join(parts), (str(detail) if detail is not None else None), errors


def _flatten_errors(errors: Any) -> str:
    """{"field": ["msg", ...], ...} as 'field: msg; msg2'; any other shape as compact JSON."""
    if isinstance(errors, dict):
        out = []
        for field, value in errors.items():
            items = value if isinstance(value, list) else [value]
            text = "; ".join(str(v) for v in items)
            out.append(text if field == "non_field_errors" else f"{field}: {text}")
        return "; ".join(out)
    if isinstance(errors, list):
        return "; ".join(str(v) for v in errors)
    return str(errors)


def _unreachable(exc: BaseException) -> bool:
    """Whether a connect error is a name that does not resolve or a refused connection (httpx keeps the OSError
    it came from as a cause, through httpcore's)."""
    seen = 0
    cause: BaseException | None = exc
    while cause is not None and seen < 8:
        if isinstance(cause, (socket.gaierror, ConnectionRefusedError)):
            return True
        cause = cause.__cause__ or cause.__context__
        seen += 1
    text = str(exc).lower()
    return any(words in text for words in ("name or service not known", "nodename nor servname", "name resolution",
                                           "getaddrinfo failed", "connection refused", "errno 111", "errno 61"))


class Http:
    """A pooled connection to one server (base_url). Paths are relative to it; absolute URLs are allowed too, and
    credentials go only to the base URL's own origin (a presigned storage URL gets none).

    Connection errors and 5xx answers are retried `retries` times with exponential backoff, 4xx never; a request
    that must not be sent twice (resend=False: a POST that creates something) only when it never left; each try
    has `deadline` seconds for the whole exchange (checked between reads) and `timeout` for each phase (connect,
    one read, one write), never more than the deadline. `requests` counts what was sent,
    retries and token refreshes included."""

    def __init__(self, base_url: str, auth: httpx.Auth | tuple[str, str] | None = None, *,
                 timeout: float = TIMEOUT_S, deadline: float = DEADLINE_S, retries: int = 3, backoff: float = 0.5,
                 headers: dict[str, str] | None = None, transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise LsviewError(f"{base_url!r} is not a server URL; give one like http://localhost:8080")
        self.auth = auth
        self.deadline = deadline
        self.retries = max(0, retries)
        self.backoff = backoff
        self.requests = 0
        self._origin = (parts.scheme, parts.netloc.lower())
        # The deadline is checked between two reads of the body, so no single wait may be longer than it either.
        phase = min(timeout, deadline)
        self._client = httpx.Client(timeout=httpx.Timeout(phase, connect=min(phase, 10.0)),
                                    headers={"User-Agent": "lsview", **(headers or {})},
                                    event_hooks={"request": [self._on_client_request]},
                                    transport=transport, follow_redirects=True)

    # ------------------------------------------------------------------ JSON

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._json(self.request("GET", path, params=params))

    def post_json(self, path: str, body: Any, params: dict[str, Any] | None = None, *,
                  retries: int | None = None, resend: bool = True) -> Any:
        return self._json(self.request("POST", path, params=params, body=body, retries=retries, resend=resend))

    def patch_json(self, path: str, body: Any) -> Any:
        return self._json(self.request("PATCH", path, body=body))

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None,
                ok: Callable[[int], bool] | None = None, retries: int | None = None,
                resend: bool = True) -> httpx.Response:
        """The answer (body read) of a successful request; HttpError for any other outcome. `ok` says which
        statuses count as success (default: 2xx); `retries` overrides the client's for this request. resend=False
        retries only failures before the request left (a proxy's 502 or a timeout may come after the server
        stored it: sending again would store it twice)."""
        retries = self.retries if retries is None else max(0, retries)
        url = self.url(path)
        endpoint = self._endpoint(url, params)
        content = None
        headers = {"Accept": "application/json"}
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        for attempt in range(retries + 1):
            try:
                response = self._send(method, url, params=params, content=content, headers=headers,
                                      endpoint=endpoint)
            except HttpError as exc:
                if exc.status is None and attempt < retries and (resend or not exc.sent):
                    self._sleep(attempt)
                    continue
                raise
            status = response.status_code
            if (ok(status) if ok is not None else 200 <= status < 300):
                return response
            if status >= 500 and attempt < retries and resend:
                self._sleep(attempt)
                continue
            raise self._error(method, endpoint, response)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    # ------------------------------------------------------------------ files

    def download(self, url_or_path: str, target: Path | Callable[[str], Path], *,
                 progress: Callable[[int, int], None] | None = None, max_bytes: int | None = None) -> Path:
        """GET a file into target (a path, or a function of the Content-Type that names one), whole or not at
        all; returns the path written. Retried like requests; HttpError past max_bytes."""
        url = self.url(url_or_path)
        endpoint = self._endpoint(url, None)
        for attempt in range(self.retries + 1):
            try:
                return self._download_once(url, endpoint, target, progress, max_bytes)
            except HttpError as exc:
                # a name that does not resolve or a refused connection is the same a second later
                retry = (exc.status is None and not exc.unreachable) or (exc.status or 0) >= 500
                if not retry or attempt >= self.retries:
                    raise
                self._sleep(attempt)
        raise AssertionError("unreachable")

    def _download_once(self, url: str, endpoint: str, target, progress, max_bytes: int | None) -> Path:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, auth=self._auth_for(url)) as response:
                if not 200 <= response.status_code < 300:
                    response.read()
                    raise self._error("GET", endpoint, response)
                path = Path(target(response.headers.get("content-type", "")) if callable(target) else target)
                announced = int(response.headers.get("content-length") or 0)
                too_big = HttpError("GET", endpoint, response.status_code, f"the file is larger than the "
                                    f"{(max_bytes or 0) / 2**20:g} MiB lsview takes")
                if max_bytes is not None and announced > max_bytes:
                    raise too_big
                received = 0
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OutputError(f"{path.parent}: cannot make the folder: {exc.strerror or exc}") from exc
                with replacing(path) as temporary, open(temporary, "wb") as stream:
                    for chunk in response.iter_bytes():
                        stream.write(chunk)
                        received += len(chunk)
                        if max_bytes is not None and received > max_bytes:
                            raise too_big
                        if progress is not None:
                            progress(received, announced)
                        self._check_deadline("GET", endpoint, started)
                return path
        except httpx.HTTPError as exc:
            raise self._transport_error("GET", endpoint, exc) from None

    # ------------------------------------------------------------------ plumbing

    def url(self, url_or_path: str) -> str:
        """An absolute URL: a path is joined to the base URL (its own path prefix kept)."""
        if urllib.parse.urlsplit(url_or_path).scheme in ("http", "https"):
            return url_or_path
        return self.base_url + "/" + url_or_path.lstrip("/")

    def same_origin(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return (parts.scheme, parts.netloc.lower()) == self._origin

    def _auth_for(self, url: str) -> Any:
        # httpx.USE_CLIENT_DEFAULT would be the client's; the client has none, so pass ours or nothing
        return self.auth if self.auth is not None and self.same_origin(url) else None

    def _send(self, method: str, url: str, *, params, content, headers, endpoint) -> httpx.Response:
        started = time.monotonic()
        try:
            request = self._client.build_request(method, url, params=params, content=content, headers=headers)
            response = self._client.send(request, auth=self._auth_for(url), stream=True)
            try:
                chunks = []
                for chunk in response.iter_bytes():  # as the network gives them: the deadline is checked often
                    chunks.append(chunk)
                    self._check_deadline(method, endpoint, started)
                response._content = b"".join(chunks)  # httpx's own field for a body read in full
            finally:
                response.close()
            return response
        except httpx.HTTPError as exc:
            raise self._transport_error(method, endpoint, exc) from None

    def _check_deadline(self, method: str, endpoint: str, started: float) -> None:
        if time.monotonic() - started > self.deadline:
            raise HttpError(method, endpoint, None, f"no complete answer within {self.deadline:g} s; the server "
                            "is overloaded or the network too slow")

    def _transport_error(self, method: str, endpoint: str, exc: httpx.HTTPError) -> HttpError:
        if isinstance(exc, httpx.TimeoutException):
            what = {httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for the answer",
                    httpx.WriteTimeout: "sending", httpx.PoolTimeout: "waiting for a free connection"}
            phase = next((text for kind, text in what.items() if isinstance(exc, kind)), "waiting")
            unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            return HttpError(method, endpoint, None, f"timed out {phase}; is the server up and reachable?",
                             sent=not unsent)
        if isinstance(exc, httpx.ConnectError):
            reason = str(exc) or "connection failed"
            host = self.base_url if endpoint.startswith("/") else "the host"
            return HttpError(method, endpoint, None, f"cannot connect to {host}: {reason}; is the server running "
                             "at that address?", sent=False, unreachable=_unreachable(exc))
        return HttpError(method, endpoint, None, f"{type(exc).__name__}: {exc or 'the connection broke'}")

    def _error(self, method: str, endpoint: str, response: httpx.Response) -> HttpError:
        message, detail, errors = server_message(response)
        hint = None
        if response.status_code == 401:
            describe = getattr(self.auth, "refused_hint", None)
            hint = describe(detail) if callable(describe) else (
                "no credentials were sent" if self.auth is None else "the credentials were refused")
        return HttpError(method, endpoint, response.status_code, message, detail=detail, validation_errors=errors,
                         hint=hint)

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return json.loads(response.content)
        except ValueError:
            parts = urllib.parse.urlsplit(str(response.request.url))
            endpoint = parts.path + (f"?{parts.query}" if parts.query else "")
            raise HttpError(response.request.method, endpoint, response.status_code,
                            "answered with something that is not JSON; is this the right server URL?") from None

    def _endpoint(self, url: str, params: dict[str, Any] | None) -> str:
        """The path and query shown in messages, with the host only when it is not the server's (a presigned
        storage URL); a long query (a signature) is cut."""
        parts = urllib.parse.urlsplit(url)
        query = parts.query
        if params:
            extra = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
            query = f"{query}&{extra}" if query else extra
        if len(query) > 120:
            query = query[:117] + "..."
        where = "" if self.same_origin(url) else f"{parts.scheme}://{parts.netloc}"
        return where + parts.path + (f"?{query}" if query else "")

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2 ** attempt))

    def _on_client_request(self, request: httpx.Request) -> None:
        self.requests += 1

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
