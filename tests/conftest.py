"""Shared fixtures: real store files, the seed article, the tiny MarianMT."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tm.store import Store

# The tiny MarianMT checkpoint (random weights, real SentencePiece models),
# built once per test session.
pytest_plugins = ["tests.fixtures.tiny_marian"]

REPO = Path(__file__).resolve().parents[1]


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


# -- MT engines -------------------------------------------------------------------

# Every translate test runs on both engines (tm.mt.ENGINES).
ENGINE_NAMES = ("ct2", "transformers")


@pytest.fixture(scope="session", autouse=True)
def tm_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Converted ct2 models go to a session folder (TM_CACHE), never the user's cache."""
    path = tmp_path_factory.mktemp("tm-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TM_CACHE", str(path))
        yield path


@pytest.fixture(scope="session")
def tiny_converted(tiny_model_dir: Path, tm_cache: Path) -> dict[str, Path]:
    """The tiny model converted for ct2 once per session: int8 (the CPU default), float32."""
    from tm.mt import resolve_model
    from tm.mt_ct2 import convert

    ref = resolve_model(str(tiny_model_dir))
    return {q: convert(ref, q) for q in ("int8", "float32")}


@pytest.fixture(params=ENGINE_NAMES)
def engine_name(request: pytest.FixtureRequest, tiny_converted: dict[str, Path]) -> str:
    """Each MT engine in turn (the ct2 conversions already made)."""
    return str(request.param)
