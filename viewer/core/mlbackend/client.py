"""MlBackend: a running Label Studio ML backend, called as Label Studio calls it (GET /health, POST /setup,
POST /predict), over viewer.core.server.http with optional HTTP Basic auth.

Core layer, no Qt. Every failure is a PredictError that names the backend, the endpoint and what to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from viewer.core.errors import LsviewError
from viewer.core.mlbackend.protocol import (PredictError, check_health, predict_body, read_answer, setup_body,
                                            setup_version)

# Label Studio waits 1 s for /health, 3 s for /setup and 100 s for /predict (ml/api_connector.py, ML_TIMEOUT_*);
# a desktop over a slower network gets more for the first two, and the predict deadline is the user's (--timeout).
HEALTH_S = 10.0
SETUP_S = 30.0
PREDICT_S = 100.0
AUTH_ENV = "LSVIEW_ML_BASIC_AUTH"   # USER:PASSWORD, when --basic-auth is not given


@dataclass(frozen=True)
class BasicAuth:
    user: str
    password: str

    @classmethod
    def parse(cls, text: str | None, origin: str = "--basic-auth") -> BasicAuth | None:
        """USER:PASSWORD (the password may hold colons); None for no text."""
        if text is None or text == "":
            return None
        user, sep, password = text.partition(":")
        if not sep or not user:
            raise PredictError(f"{origin}: give USER:PASSWORD for the backend's HTTP Basic auth")
        return cls(user, password)

    @classmethod
    def from_environment(cls) -> BasicAuth | None:
        return cls.parse(os.environ.get(AUTH_ENV), AUTH_ENV)


class MlBackend:
    """One backend at `url`. Requests are counted in `requests` (retries included)."""

    def __init__(self, url: str, auth: BasicAuth | None = None, *, predict_deadline: float = PREDICT_S,
                 retries: int = 2):
        from viewer.core.server.http import Http  # httpx is imported when a backend is called, not before

        self.url = url.rstrip("/")
        credentials = (auth.user, auth.password) if auth is not None else None
        try:
            # Retried on a refused connection and on 5xx: a backend answers its model's exceptions with 500,
            # which a retry does not mend, hence few retries, and one for /predict, whose call may take minutes.
            self._quick = Http(self.url, credentials, timeout=HEALTH_S, deadline=SETUP_S, retries=retries)
            self._slow = Http(self.url, credentials, timeout=predict_deadline, deadline=predict_deadline,
                              retries=min(retries, 1))
        except LsviewError as exc:  # a URL that is no server URL
            raise PredictError(f"the ML backend URL: {exc}") from None
        self.auth = auth

    @property
    def requests(self) -> int:
        return self._quick.requests + self._slow.requests

    def health(self) -> None:
        check_health(self._call(self._quick.get_json, "/health"), self.url)

    def setup(self, label_config: str, project: str) -> str | None:
        """The model version the backend names for this config and project (None: none)."""
        return setup_version(self._call(self._quick.post_json, "/setup", setup_body(label_config, project)),
                             self.url)

    def predict(self, tasks: list[dict], label_config: str, project: str, where: str):
        """read_answer() of POST /predict for these tasks (request_task() shapes)."""
        answer = self._call(self._slow.post_json, "/predict", predict_body(tasks, label_config, project))
        return read_answer(answer, len(tasks), where)

    def _call(self, method, path: str, *args: Any) -> Any:
        from viewer.core.server.http import HttpError

        try:
            return method(path, *args)
        except HttpError as exc:
            error = PredictError(self._explain(exc))
            error.status = exc.status          # a 5xx for a batch is asked again task by task (run._ask)
            error.reason = str(exc)            # the request and the backend's own message, for naming one task
            raise error from None

    def _explain(self, exc) -> str:
        text = f"the ML backend at {self.url}: {exc}"
        if exc.status == 401:
            given = "no --basic-auth was given" if self.auth is None else f"user {self.auth.user!r} was refused"
            return (f"{text}. The backend wants HTTP Basic auth (its BASIC_AUTH_USER/BASIC_AUTH_PASS) and {given}: "
                    f"give --basic-auth USER:PASSWORD or set {AUTH_ENV} (in the window: Review > ML backend...)")
        if exc.status == 404:
            return f"{text}. Is {self.url} a Label Studio ML backend (it serves /health, /setup and /predict)?"
        if exc.status is not None and exc.status >= 500:
            return f"{text}. The backend's model failed; its log says why"
        return text

    def close(self) -> None:
        self._quick.close()
        self._slow.close()
