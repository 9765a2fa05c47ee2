"""Shared fixtures: real store files, the seed article, the tiny MarianMT."""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.store import Store

# The tiny MarianMT checkpoint (random weights, real SentencePiece models),
# built once per test session.
pytest_plugins = ["tests.fixtures.tiny_marian"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A path for a fresh store file."""
    return tmp_path / "project.sqlite"


@pytest.fixture
def store(store_path: Path):
    """A real store on disk, closed after the test."""
    with Store(store_path) as s:
        yield s


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The demo Indonesian article."""
    return next((REPO / "seeds").glob("*.txt"))


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run in an empty folder with no TM_* settings leaking in."""
    for name in ("TM_DB", "TM_MODEL", "TM_AUTHOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path
