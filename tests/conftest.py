"""Shared fixtures: the founding bank, copies of it to break, and the Flask app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.core.bank import Bank, load_bank
from quizapp.core.generation import QuestionPool

ROOT = Path(__file__).resolve().parent.parent
BANK_DIR = ROOT / "questions" / "romania-ww2"


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The founding bank, loaded once (tests must not change it)."""
    return load_bank(BANK_DIR)


@pytest.fixture(scope="session")
def pool(bank: Bank) -> QuestionPool:
    """The founding bank indexed for generation."""
    return QuestionPool(bank)


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the founding bank folder, for tests that break or edit it."""
    target = tmp_path / "romania-ww2"
    shutil.copytree(BANK_DIR, target)
    return target


@pytest.fixture
def app():
    """An application with test settings."""
    return create_app({"TESTING": True})
