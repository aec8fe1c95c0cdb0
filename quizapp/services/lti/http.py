"""The HTTP client quizapp's LTI code talks to platforms with (key sets, tokens, grades,
rosters): a `requests.Session` with a timeout on every call, so a slow LMS never holds a
request of ours for long. Tests give their own factory (`LTI_HTTP_SESSION` in the app's
settings), which answers from a simulated platform without any network."""

from __future__ import annotations

from typing import Any

import requests
from flask import current_app
from requests.adapters import HTTPAdapter

TIMEOUT_SECONDS = 10
USER_AGENT = "quizapp-lti"


class _TimeoutAdapter(HTTPAdapter):
    """Every request without its own timeout gets TIMEOUT_SECONDS."""

    def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT_SECONDS
        return super().send(request, **kwargs)


def session() -> requests.Session:
    """A client for talking to platforms: the app's `LTI_HTTP_SESSION()` when set, else a
    `requests.Session` with a 10-second timeout."""
    factory = current_app.config.get("LTI_HTTP_SESSION")
    if factory is not None:
        return factory()
    client = requests.Session()
    client.headers["User-Agent"] = USER_AGENT
    adapter = _TimeoutAdapter()
    client.mount("https://", adapter)
    client.mount("http://", adapter)
    return client
