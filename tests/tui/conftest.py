"""Fixtures for the review UI: a store holding the seed article, and the app on it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerState

from tm.commands.documents import import_document
from tm.models import Document
from tm.store import Store
from tui.app import ReviewApp, create_app
from tui.widgets.glossary_panel import GlossaryPanel
from tui.widgets.matches_panel import MatchesPanel

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


# Seconds any one wait may take before the test has failed: generous, so that
# a loaded machine makes a test slower, never red.
TIMEOUT = 30.0
# Seconds between polls of what a timer or a thread will change.
POLL = 0.01


async def wait_for(
    pilot: Any,
    predicate: Callable[[], bool],
    *,
    description: str = "",
    seconds: float = TIMEOUT,
) -> None:
    """Pump the app until ``predicate()`` holds; fail saying what never happened."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() >= deadline:
            what = description or getattr(predicate, "__name__", "the condition")
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        await pilot.pause(POLL)


def _busy(app: Any) -> str:
    """What the app is still doing in the background ("" when it is idle)."""
    running = [w.name for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
    if running:
        return f"workers {running}"
    for screen in app.screen_stack:
        # A lookup waits for its timer, then runs, then posts its matches; the
        # panel says "Searching" until the matches are shown.
        for panel in screen.query(MatchesPanel):
            if "Searching the memory" in str(panel.content):
                return "the TM lookup"
        for panel in screen.query(GlossaryPanel):
            if "Loading the glossary" in str(panel.content):
                return "the glossary"
    return ""


async def settle(pilot: Any) -> None:
    """Wait until the workers (lookups, glossary, MT) are done and their results shown.

    It waits on what the screen says, never for a fixed time: the TM lookup
    starts after a timer and runs in a thread, and the panels say
    "Searching…" / "Loading…" until their results arrive.
    """
    await pilot.pause()
    await wait_for(pilot, lambda: not _busy(pilot.app), description="the app to be idle")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
