"""The review application: a thin App, its stylesheet, and the one factory.

:func:`create_app` builds the app for the CLI (`tm review [DOC]`) and for the
tests alike. The App holds the store (main thread only), the MT engine (loaded
once, on first use, in a worker) and chooses the first screen; everything
else is in the screens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from tm.display import visible
from tm.errors import ModelError, TmError
from tm.models import Document
from tm.review import ReviewSession
from tm.store import Store
from tui.errors import describe
from tui.screens.picker import PickerScreen
from tui.screens.review import ReviewScreen

TranslatorFactory = Callable[[], Any]


def load_mt(model: str | None = None) -> Any:
    """The MT engine: ``model`` (a Hub id or a folder), else ``TM_MODEL`` or the default.

    Raises :class:`tm.errors.ModelError` when the model is missing or broken.
    """
    try:
        import tm.mt as mt
    except ImportError as exc:
        raise ModelError(
            "Machine translation is not installed in this copy of tm (tm.mt is missing). "
            "Use TM matches or type the translation."
        ) from exc
    loader = getattr(mt, "load_translator", None) or mt.load_engine
    return loader(model)


class ReviewApp(App[None]):
    """`tm review`: the picker, then the review screen."""

    CSS_PATH = "app.tcss"
    TITLE = "tm review"
    # The command palette would take Ctrl+P, which moves to the previous segment.
    ENABLE_COMMAND_PALETTE = False
    # Textual declares this an instance attribute, so it cannot be a ClassVar.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (100, ""),
        (160, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        document: Document | None = None,
        *,
        translator_factory: TranslatorFactory | None = None,
        author: str | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.document = document
        self.author = author
        self._translator_factory = translator_factory or load_mt
        self._translator: Any = None
        self._translator_origin = "mt"
        self._translator_lock = threading.Lock()
        if theme:
            self.theme = theme

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, the screens' too: plain text, control characters as symbols.

        Messages carry document names, paths, terms and store errors: never
        markup (a ``[/]`` in them is text), never raw escape sequences.
        """
        super().notify(
            visible(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_mount(self) -> None:
        if self.document is not None:
            self.open_document(self.document.id)
        else:
            self.push_screen(PickerScreen(self.store.list_documents(), str(self.store.path)))

    def open_document(self, ref: int | str) -> None:
        """Open a document on the review screen (errors become notifications)."""
        try:
            session = ReviewSession.open(self.store, ref, author=self.author)
        except TmError as exc:
            self.notify(describe(exc), severity="error")
            return
        if not session.segments:
            self.notify(f"{session.document.name} has no segments to review.", severity="warning")
            return
        self.push_screen(ReviewScreen(session, db_path=self.store.path))

    def on_picker_screen_document_chosen(self, message: PickerScreen.DocumentChosen) -> None:
        """The picker chose a document."""
        self.open_document(message.document_id)

    def translator(self) -> tuple[Any, str]:
        """The MT engine and the origin its drafts get; loaded once, thread-safe.

        Called from worker threads; the lock also keeps two segments from
        running through one model at the same time.
        """
        with self._translator_lock:
            if self._translator is None:
                self._translator = self._translator_factory()
                model = getattr(self._translator, "model_id", None) or getattr(
                    self._translator, "name", None
                )
                self._translator_origin = f"mt:{model}" if model else "mt"
            return self._translator, self._translator_origin

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit through the screen, so that the draft and the position are kept."""
        leave = getattr(self.screen, "action_quit", None)
        if callable(leave):
            leave()
        else:
            self.exit()

    def on_app_focus(self) -> None:
        """Coming back to the window shows what other windows changed meanwhile."""
        refresh = getattr(self.screen, "refresh_from_store", None)
        if callable(refresh):
            refresh()


def create_app(
    db_path: str | os.PathLike[str],
    document: str | int | None = None,
    *,
    translator_factory: TranslatorFactory | None = None,
    author: str | None = None,
    theme: str | None = None,
) -> ReviewApp:
    """Build the review app on a store: the picker, or straight into ``document``.

    Raises :class:`tm.errors.TmError` (before any screen appears) when the
    store cannot be opened or the document does not exist.
    """
    store = Store(Path(db_path))
    try:
        doc = store.get_document(document) if document is not None else None
    except TmError:
        store.close()
        raise
    return ReviewApp(store, doc, translator_factory=translator_factory, author=author, theme=theme)
