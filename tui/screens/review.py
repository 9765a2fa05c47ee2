"""The review screen: segment table, source, editor, side panels, progress.

The screen is the only part of the UI that calls the core. Every decision
(what confirming writes, where "next unconfirmed" is, what a draft is) lives in
:class:`tm.review.ReviewSession`; the screen passes it the editor's text and
shows what it returns. Blocking work (TM lookups, MT, loading the glossary)
runs in thread workers that open their own store connection and post their
results back as messages.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, TextArea

from tm.errors import TmError
from tm.models import Match, MatchKind, Segment
from tm.review import (
    ReviewSession,
    SegmentFilter,
    lookup_matches,
    search_memory,
)
from tm.store import Store
from tui.dialogs.add_term import AddTermDialog
from tui.dialogs.concordance import ConcordanceDialog
from tui.dialogs.filter import FilterDialog
from tui.dialogs.help import HelpScreen
from tui.dialogs.send_back import SendBackDialog
from tui.errors import describe
from tui.keymap import KEYS, help_keys, review_bindings
from tui.messages import GlossaryLoaded, MachineTranslation, MachineTranslationFailed, MatchesFound
from tui.widgets.glossary_panel import GlossaryPanel
from tui.widgets.matches_panel import MatchesPanel
from tui.widgets.qa_panel import QaPanel
from tui.widgets.segment_table import SegmentTable
from tui.widgets.source_view import SourceView
from tui.widgets.status_bar import StatusBar
from tui.widgets.target_editor import TargetEditor

# Seconds of stillness before the position is written (each write is a transaction).
POSITION_SAVE_DELAY = 0.8
# Seconds on a segment before its TM lookup starts.
LOOKUP_DELAY = 0.06
# Seconds after the last keystroke before the editor's text is kept as a draft:
# closing the terminal (SIGHUP) ends the app without unmounting it, and
# a translator's typing must not go with it.
DRAFT_SAVE_DELAY = 2.0
_WORD = re.compile(r"\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*")


class ReviewScreen(Screen[None]):
    """Review one document: confirm, edit, look up."""

    BINDINGS: ClassVar[list[BindingType]] = review_bindings()

    def __init__(
        self,
        session: ReviewSession,
        *,
        db_path: Path,
        glossary: Any = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.db_path = db_path
        self.glossary = glossary
        self._glossary_error: str | None = None
        self._matches: list[Match] = []
        self._position_timer: Timer | None = None
        self._lookup_timer: Timer | None = None
        self._draft_timer: Timer | None = None
        # The glossary term last inserted: (segment id, start, end, which term).
        self._term_insert: tuple[int, tuple[int, int], tuple[int, int], int] | None = None
        self._panel = 0

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="work"):
                yield SegmentTable(id="segments")
                yield SourceView(id="source")
                yield TargetEditor(id="target")
            with VerticalScroll(id="side"):
                yield MatchesPanel(id="matches")
                yield GlossaryPanel(id="glossary")
                yield QaPanel(id="qa")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def table(self) -> SegmentTable:
        """The segment table."""
        return self.query_one(SegmentTable)

    @property
    def editor(self) -> TargetEditor:
        """The target editor."""
        return self.query_one(TargetEditor)

    @property
    def active_bindings(self) -> dict[str, Any]:
        """The bindings in the key map's order, so the footer reads the same whatever has focus.

        Textual lists the focused widget's keys first: with the editor focused,
        Ctrl+U (which TextArea also binds) came before Confirm.
        """
        order = {key.action: n for n, key in enumerate(KEYS)}
        bindings = super().active_bindings
        return dict(
            sorted(bindings.items(), key=lambda kv: order.get(kv[1].binding.action, len(order)))
        )

    def on_mount(self) -> None:
        s = self.session
        self.query_one(SourceView).border_title = "Indonesian"
        self.table.show_segments(s.segments, s.visible, s.index)
        if self.glossary is None:
            self.query_one(GlossaryPanel).show_message("Loading the glossary…")
            self.load_glossary()
        if s.segments:
            self.show_current()
        self.update_status()
        self.editor.focus()

    # -- showing the current segment ----------------------------------------------------

    def show_current(self) -> None:
        """Fill the source view, the editor and the panels for the current segment."""
        seg = self.session.current
        hits = self._glossary_hits(seg.source)
        self.query_one(SourceView).show_source(seg.source, hits)
        self.editor.load_text(seg.target or "")
        self.editor.move_cursor(self.editor.document.end)
        self._title_editor(seg)
        self._show_glossary(hits)
        self.check_quality()
        self._matches = []
        self.query_one(MatchesPanel).show_message("Searching the memory…")
        # Start the lookup once the translator stops on a segment: holding a
        # movement key must not queue a lookup per segment passed, and the
        # lookup thread would compete with the redraw for the interpreter.
        if self._lookup_timer is not None:
            self._lookup_timer.stop()
        prev, nxt = self.session.context()
        self._lookup_timer = self.set_timer(
            LOOKUP_DELAY, partial(self.find_matches, seg.id, seg.source, prev, nxt)
        )

    def _title_editor(self, seg: Segment) -> None:
        self.editor.border_title = f"English · segment {seg.position + 1} · {seg.status.value}"
        # The reviewer's note stays in sight until the segment is approved.
        if seg.review_state == "rejected" and seg.review_note:
            # Text, not markup: the note is the reviewer's typing.
            self.editor.border_subtitle = Text(f"Reviewer: {seg.review_note}")
        elif seg.review_state == "approved" and seg.reviewed_by:
            self.editor.border_subtitle = Text(f"Approved by {seg.reviewed_by}")
        else:
            self.editor.border_subtitle = ""

    def _glossary_hits(self, source: str) -> list[Any]:
        if self.glossary is None:
            return []
        try:
            return list(self.glossary.find(source))
        except Exception as exc:  # a glossary bug must not stop the review
            self._glossary_error = f"Glossary failed: {exc}"
            return []

    def _show_glossary(self, hits: list[Any]) -> None:
        panel = self.query_one(GlossaryPanel)
        if self.glossary is None:
            panel.show_message(self._glossary_error or "Loading the glossary…")
        else:
            panel.show_hits(hits)

    def check_quality(self) -> None:
        """Run the QA checks on the editor's text and show the warnings."""
        panel = self.query_one(QaPanel)
        try:
            from tm.qa import check_segment
        except ImportError:
            panel.show_message("QA checks are not available.")
            return
        try:
            issues = check_segment(self.session.current.source, self.editor.text, self.glossary)
        except Exception as exc:  # QA must never take the editor down with it
            panel.show_message(f"QA failed: {exc}")
            return
        panel.show_issues(issues)

    def update_status(self) -> None:
        """Redraw the progress line."""
        s = self.session
        self.query_one(StatusBar).show_progress(
            s.progress(),
            document=s.document.name,
            store=str(self.db_path),
            filter_label=s.filter.describe(),
        )

    def _update_rows(self, indices: list[int]) -> None:
        for i in indices:
            self.table.update_segment(i, self.session.segments[i])

    # -- moving ---------------------------------------------------------------------------

    def go(self, index: int | None, *, keep: bool = True) -> None:
        """Move to a segment, keeping the editor's text as a draft first."""
        if index is None or not self.session.segments:
            return
        self._stop_draft_timer()
        if keep and index != self.session.index and not self.keep_draft():
            return
        self.session.go_to(index)
        self.table.move_to(index)
        self.show_current()
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    def keep_draft(self) -> bool:
        """Save the editor's text as a draft if it changed; False if the store refused."""
        if not self.session.segments:
            return True
        try:
            seg = self.session.keep_draft(self.editor.text)
        except TmError as exc:
            self.notify(describe(exc), title="Not saved", severity="error")
            return False
        if seg is not None:
            self._update_rows([self.session.index])
            self.update_status()
        return True

    def save_position(self) -> None:
        """Remember the current segment for the next opening."""
        try:
            self.session.save_position()
        except TmError as exc:
            self.notify(describe(exc), severity="error")

    def on_segment_table_segment_selected(self, message: SegmentTable.SegmentSelected) -> None:
        """The user moved in the table."""
        self.go(message.index)

    def on_segment_table_activated(self, message: SegmentTable.Activated) -> None:
        """Enter in the table: edit the segment."""
        self.editor.focus()

    def on_target_editor_confirm_requested(self, message: TargetEditor.ConfirmRequested) -> None:
        """Enter in the editor (how most terminals send Ctrl+Enter): confirm."""
        self.action_confirm()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Re-check the target as it is typed; keep it as a draft after a pause."""
        if event.text_area is self.editor:
            self.check_quality()
            self._stop_draft_timer()
            if self.session.segments:
                self._draft_timer = self.set_timer(
                    DRAFT_SAVE_DELAY, partial(self._save_draft_quietly, self.session.index)
                )

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def _save_draft_quietly(self, index: int) -> None:
        self._draft_timer = None
        if index != self.session.index:
            return
        try:
            seg = self.session.keep_draft(self.editor.text)
        except TmError:
            # The store is busy (a batch, another window): moving on or
            # quitting saves it again, and says so if it still cannot.
            return
        if seg is not None:
            self._update_rows([index])
            self.update_status()

    # -- actions ----------------------------------------------------------------------------

    def action_confirm(self) -> None:
        """Confirm the segment (segment and unit written at once) and go to the next unconfirmed."""
        if not self.session.segments:
            return
        text = self.editor.text
        if not text.strip():
            self.notify(
                "The target is empty: type or insert a translation before confirming.",
                severity="warning",
            )
            return
        try:
            result = self.session.confirm(text)
        except TmError as exc:
            self.notify(describe(exc), title="Not confirmed", severity="error")
            return
        indices = [self.session.index, *(self.session.index_of(r) for r in result.repetitions)]
        self._update_rows(indices)
        self.update_status()
        if result.repetitions:
            n = len(result.repetitions)
            self.notify(
                f"Filled {n} repetition{'s' if n > 1 else ''} with this translation (as drafts)."
            )
        if result.next_index is None:
            self._title_editor(result.segment)
            progress = self.session.progress()
            if progress.confirmed < progress.total:
                # Only the filter's segments are done; the document is not.
                self.notify(
                    f"Every segment the filter shows is confirmed; {progress.confirmed} of "
                    f"{progress.total} in the document are. Ctrl+F, Clear shows the rest.",
                    title="Filter done",
                )
            else:
                self.notify("Every segment is confirmed.", title="Done")
            self.save_position()
            return
        self.go(result.next_index, keep=False)

    def action_next_segment(self) -> None:
        """Next visible segment."""
        self.go(self.session.step(1))

    def action_previous_segment(self) -> None:
        """Previous visible segment."""
        self.go(self.session.step(-1))

    def action_next_needing_work(self) -> None:
        """Next segment that is new, a draft or flagged."""
        index = self.session.next_needing_work()
        if index is None:
            self.notify("No other segment needs work.")
        self.go(index)

    def action_insert_match(self, number: int) -> None:
        """Replace the target with TM match ``number`` (1-3)."""
        if number > len(self._matches):
            self.notify(f"There is no match {number} for this segment.", severity="warning")
            return
        match = self._matches[number - 1]
        self.editor.replace_all(match.target)
        origin = "tm-fuzzy" if match.kind is MatchKind.FUZZY else "tm-exact"
        self.session.note_inserted(origin, match.score, text=match.target)
        self.editor.focus()

    def action_insert_term(self) -> None:
        """Insert a glossary term's English at the cursor; again at once: the next term."""
        seg = self.session.current
        terms = list(dict.fromkeys(h.entry.target for h in self._glossary_hits(seg.source)))
        if not terms:
            self.notify("The glossary has no term in this segment.", severity="warning")
            return
        editor = self.editor
        last = self._term_insert
        if (
            last is not None
            and last[0] == seg.id
            and editor.cursor_location == last[2]
            and editor.get_text_range(last[1], last[2]) == terms[last[3] % len(terms)]
        ):
            index = (last[3] + 1) % len(terms)
            start = last[1]
            result = editor.replace(terms[index], start, last[2])
        else:
            index = 0
            start = editor.cursor_location
            result = editor.insert(terms[0])
        self._term_insert = (seg.id, start, result.end_location, index)
        editor.focus()
        if len(terms) > 1:
            following = terms[(index + 1) % len(terms)]
            self.notify(
                f"{terms[index]} ({index + 1} of {len(terms)}); again for {following}.",
                timeout=3,
                markup=False,
            )

    def action_next_panel(self) -> None:
        """Scroll the side column to its next panel (matches, glossary, QA)."""
        panels = [
            self.query_one(MatchesPanel),
            self.query_one(GlossaryPanel),
            self.query_one(QaPanel),
        ]
        self._panel = (self._panel + 1) % len(panels)
        side = self.query_one("#side", VerticalScroll)
        side.scroll_to_widget(panels[self._panel], top=True, animate=False, immediate=True)

    def action_copy_source(self) -> None:
        """Copy the source into the target (for names, numbers, titles)."""
        self.editor.replace_all(self.session.current.source)
        self.session.note_inserted("human")
        self.editor.focus()

    def action_revert_segment(self) -> None:
        """Put the segment back as it was when this session first showed it."""
        s = self.session
        if not s.segments:
            return
        if not s.is_modified() and self.editor.text == (s.current.target or ""):
            self.notify(
                f"Segment {s.current.position + 1} has no changes from this session to undo.",
                severity="warning",
            )
            return
        try:
            seg = self.session.undo()
        except TmError as exc:
            self.notify(describe(exc), severity="error")
            return
        self._update_rows([self.session.index])
        self.update_status()
        self.editor.load_text(seg.target or "")
        self._title_editor(seg)
        self.check_quality()
        self.notify(f"Segment {seg.position + 1} is back as it was.")

    def action_machine_translate(self) -> None:
        """Ask MT for this segment, in a worker; the editor stays usable."""
        seg = self.session.current
        self.notify(f"Translating segment {seg.position + 1}…", timeout=2)
        self.translate_segment(seg.id, seg.source)

    def action_approve(self) -> None:
        """Approve the segment as the reviewer and go to the next one not approved."""
        s = self.session
        if not s.segments or not self.keep_draft():
            return
        try:
            seg = s.approve()
        except TmError as exc:
            self.notify(str(exc), title="Not approved", severity="warning")
            return
        self._update_rows([s.index])
        self._title_editor(seg)
        self.update_status()
        nxt = next(
            (i for i in s.visible if i > s.index and s.segments[i].status.value != "approved"),
            None,
        )
        if nxt is not None:
            self.go(nxt, keep=False)

    def action_send_back(self) -> None:
        """Ask for a note, then send the segment back to the translator as a draft."""
        s = self.session
        if not s.segments or not self.keep_draft():
            return
        self.app.push_screen(SendBackDialog(s.current.position + 1), self._send_back)

    def _send_back(self, note: str | None) -> None:
        if note is None:
            return
        s = self.session
        try:
            seg = s.send_back(note)
        except TmError as exc:
            self.notify(str(exc), severity="error")
            return
        self._update_rows([s.index])
        self._title_editor(seg)
        self.update_status()
        self.notify(f"Segment {seg.position + 1} sent back to the translator.")

    def action_filter(self) -> None:
        """Open the filter dialog."""
        self.app.push_screen(FilterDialog(self.session.filter), self._apply_filter)

    def _apply_filter(self, segment_filter: SegmentFilter | None) -> None:
        if segment_filter is None or not self.keep_draft():
            return
        previous = self.session.filter
        visible = self.session.set_filter(segment_filter)
        if not visible:
            self.session.set_filter(previous)
            self.notify("No segment matches that filter; it was not applied.", severity="warning")
            return
        s = self.session
        if s.visible_row(s.index) is None:
            s.go_to(visible[0])
            self.show_current()
        self.table.show_segments(s.segments, s.visible, s.index)
        self.update_status()
        self.notify(f"{len(visible)} of {len(s)} segments shown.")

    def action_concordance(self) -> None:
        """Open the concordance search; a chosen target is inserted at the cursor."""
        initial = self.editor.selected_text.strip()
        self.app.push_screen(
            ConcordanceDialog(partial(search_memory, self.db_path), initial), self._insert_text
        )

    def _insert_text(self, text: str | None) -> None:
        if text:
            self.editor.insert_at_cursor(text)
            self.editor.focus()

    def action_add_term(self) -> None:
        """Open the add-term dialog, prefilled from the segment."""
        source = self.session.current.source
        known = {(h.start, h.end) for h in self._glossary_hits(source)}
        guess = ""
        for m in _WORD.finditer(source):
            if m.start() > 0 and not any(s <= m.start() < e for s, e in known):
                guess = m.group()
                break
        self.app.push_screen(
            AddTermDialog(guess, self.editor.selected_text.strip()), self._add_term
        )

    def _add_term(self, entry: Any) -> None:
        if entry is None:
            return
        try:
            from tm.terms import add_term

            add_term(self.session.store, entry)
        except TmError as exc:
            self.notify(describe(exc), severity="error")
            return
        self.notify(f"Added {entry.source} → {entry.target} to the glossary.")
        self.load_glossary()

    def action_refresh(self) -> None:
        """Reload the document from the store and show what another window changed."""
        n = self.refresh_from_store()
        self.notify(f"Reloaded: {n} segment{'s' if n != 1 else ''} changed elsewhere.")

    def refresh_from_store(self) -> int:
        """Re-read the segments; keep the translator's unsaved text. Returns changes."""
        s = self.session
        if not s.segments:
            return 0
        typed = self.editor.text
        before = s.current.target or ""
        try:
            changed = s.refresh()
        except TmError as exc:
            self.notify(describe(exc), severity="error")
            return 0
        if len(changed) == len(s.segments) and len(changed) > 1:
            self.table.show_segments(s.segments, s.visible, s.index)
        else:
            self._update_rows(changed)
        if s.index in changed:
            if typed == before:
                self.show_current()
            else:
                self.notify(
                    f"Segment {s.current.position + 1} was changed in another window; "
                    "your edit is still in the editor.",
                    severity="warning",
                )
        self.update_status()
        return len(changed)

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(help_keys()))

    def action_quit(self) -> None:
        """Keep the draft, remember the position and quit."""
        if self.keep_draft():
            self.save_position()
            self.app.exit()

    def on_unmount(self) -> None:
        # A last chance for the draft when the app closes some other way.
        try:
            self.session.keep_draft(self.editor.text)
            self.session.save_position()
        except Exception:  # the app is closing: nowhere left to show an error
            return

    # -- workers ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup")
    def find_matches(self, segment_id: int, source: str, prev: str | None, nxt: str | None) -> None:
        """Look the segment up in the memory (own connection) and post the matches."""
        try:
            matches = lookup_matches(self.db_path, source, prev, nxt)
        except ImportError:
            self.post_message(MatchesFound(segment_id, [], "TM lookup is not available."))
        except TmError as exc:
            self.post_message(MatchesFound(segment_id, [], describe(exc)))
        except Exception as exc:  # never a traceback: show it in the panel
            self.post_message(MatchesFound(segment_id, [], f"TM lookup failed: {exc}"))
        else:
            self.post_message(MatchesFound(segment_id, matches))

    def on_matches_found(self, message: MatchesFound) -> None:
        """Show matches if they are still for the current segment."""
        if not self.session.segments or message.segment_id != self.session.current.id:
            return
        panel = self.query_one(MatchesPanel)
        if message.error:
            self._matches = []
            panel.show_message(message.error)
            return
        # The segment's own confirmed text is not a suggestion for it.
        own = self.session.current.unit_id
        self._matches = [m for m in message.matches if own is None or m.unit.id != own]
        panel.show_matches(self._matches, self.session.current.source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mt")
    def translate_segment(self, segment_id: int, source: str) -> None:
        """Run MT for one segment off the UI thread and post the draft."""
        try:
            from tm.pipeline import draft_segments
            from tm.terms import load_glossary

            translator, _ = self.app.translator()  # type: ignore[attr-defined]
            # The batch's own path: MT cache, glossary repair, flags, origin.
            with Store(self.db_path) as store:
                glossary = self.glossary if self.glossary is not None else load_glossary(store)
                (draft,) = draft_segments(store, translator, [source], glossary=glossary)
        except TmError as exc:
            self.post_message(MachineTranslationFailed(segment_id, describe(exc)))
        except Exception as exc:  # never a traceback: say what happened
            self.post_message(MachineTranslationFailed(segment_id, f"MT failed: {exc}"))
        else:
            if not draft.target.strip():
                self.post_message(
                    MachineTranslationFailed(segment_id, "MT gave an empty translation.")
                )
                return
            self.post_message(
                MachineTranslation(segment_id, draft.target, draft.origin, draft.flags)
            )

    def on_machine_translation(self, message: MachineTranslation) -> None:
        """Put the MT draft in the editor, or save it if the translator moved on."""
        s = self.session
        index = s.index_of(message.segment_id)
        target, flags = message.target, message.flags
        if index == s.index:
            self.editor.replace_all(target)
            s.note_inserted(message.origin, text=target, flags=flags)
            return
        if s.segments[index].target is None:
            s.note_inserted(message.origin, index=index, text=target, flags=flags)
            try:
                s.keep_draft(target, index)
            except TmError as exc:
                self.notify(describe(exc), severity="error")
                return
            self._update_rows([index])
            self.update_status()

    def on_machine_translation_failed(self, message: MachineTranslationFailed) -> None:
        """Say why MT did not run."""
        self.notify(message.message, title="No MT", severity="error", timeout=8)

    @work(thread=True, exclusive=True, exit_on_error=False, group="glossary")
    def load_glossary(self) -> None:
        """Load built-in and user terms through a connection of this thread."""
        try:
            from tm.terms import load_glossary

            with Store(self.db_path) as store:
                glossary = load_glossary(store)
        except ImportError:
            self.post_message(GlossaryLoaded(None, "The glossary is not available."))
        except Exception as exc:  # never a traceback: show it in the panel
            self.post_message(GlossaryLoaded(None, f"The glossary could not be loaded: {exc}"))
        else:
            self.post_message(GlossaryLoaded(glossary))

    def on_glossary_loaded(self, message: GlossaryLoaded) -> None:
        """Use the glossary for highlights, the panel and QA."""
        self.glossary = message.glossary
        self._glossary_error = message.error
        if not self.session.segments:
            return
        hits = self._glossary_hits(self.session.current.source)
        self.query_one(SourceView).show_source(self.session.current.source, hits)
        self._show_glossary(hits)
        self.check_quality()
