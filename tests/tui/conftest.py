"""Fixtures for the review UI: a store holding the seed article, and the app on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tm.commands.documents import import_document
from tm.models import Document
from tm.store import Store
from tui.app import ReviewApp, create_app
from tui.screens.review import LOOKUP_DELAY

# A size where every panel shows, and the smallest the issue promises.
SIZE = (120, 36)
SMALL = (80, 24)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot runs on asyncio."""
    return "asyncio"


@pytest.fixture
def seeded(
    store_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Document]:
    """A real store file with the seed article imported; TM_AUTHOR fixed."""
    monkeypatch.setenv("TM_AUTHOR", "tester")
    with Store(store_path) as store:
        document, _ = import_document(store, str(seed_path))
    return store_path, document


@pytest.fixture
def make_app(seeded: tuple[Path, Document]) -> Callable[..., ReviewApp]:
    """Build the app on the seeded store, straight into the seed article."""
    db, document = seeded

    def build(**kwargs: Any) -> ReviewApp:
        return create_app(db, kwargs.pop("document", document.id), **kwargs)

    return build


def notifications(app: ReviewApp) -> list[str]:
    """The messages of the notifications the app has shown."""
    return [n.message for n in app._notifications]


def panel_text(app: ReviewApp, selector: str) -> str:
    """The plain text a Static panel shows."""
    return str(app.screen.query_one(selector).content)


async def settle(pilot: Any) -> None:
    """Let the workers (lookups, glossary, MT) finish and the screen catch up.

    The TM lookup starts LOOKUP_DELAY after the cursor stops, so wait that long
    before waiting for the workers.
    """
    await pilot.pause()
    await pilot.pause(LOOKUP_DELAY + 0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
