"""Choosing the interface language: the user's setting, else the browser's preference."""

from __future__ import annotations

from flask import request
from flask_login import current_user

SUPPORTED = ("en", "es")


def current_language() -> str:
    """The language to show the interface in."""
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED:
        return current_user.locale
    if request:
        return request.accept_languages.best_match(SUPPORTED) or "en"
    return "en"
