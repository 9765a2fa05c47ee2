"""The review session: what the review UI does to a document, without the UI.

A :class:`ReviewSession` holds one document's segments in memory, knows which
one is current and which are visible under the filter, and writes every change
through the :class:`~tm.store.Store` at once:

- :meth:`ReviewSession.confirm` writes the segment and its translation unit
  (``store.confirm_segment``) and moves on to the next unconfirmed segment;
- :meth:`ReviewSession.keep_draft` saves an unconfirmed edit as a draft when
  the translator moves away;
- :meth:`ReviewSession.undo` puts a segment back as it was when the session
  first saw it;
- the position is remembered (``store.set_last_position``) so that reopening
  the document comes back to it.

The Textual screen drives this class and only displays what it returns, so all
of the review logic is testable without a terminal. It never imports Textual.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from tm.errors import InputError
from tm.models import Document, Match, Origin, Segment, Status, origin_kind
from tm.provenance import Provenance, provenance, short_origin
from tm.store import Store, word_count
from tm.timeutil import default_author, utc_now

# What the status filter offers: a status name, "todo" for every segment a
# person has not confirmed yet, "rejected" for those a reviewer sent back and
# "unapproved" for translated segments not yet approved.
NEEDS_WORK = "todo"
REJECTED = "rejected"
UNAPPROVED = "unapproved"
FILTER_STATUSES = (NEEDS_WORK, *(s.value for s in Status), REJECTED, UNAPPROVED)


@dataclass(frozen=True, slots=True)
class SegmentFilter:
    """Which segments the table shows: by status and by text in either side."""

    statuses: frozenset[str] = frozenset()
    text: str = ""

    @property
    def active(self) -> bool:
        """True when the filter hides anything at all."""
        return bool(self.statuses or self.text.strip())

    def accepts(self, segment: Segment) -> bool:
        """Whether the segment passes the filter."""
        if self.statuses:
            wanted = (
                segment.status.value in self.statuses
                or (NEEDS_WORK in self.statuses and not segment.status.confirmed)
                or (REJECTED in self.statuses and segment.review_state == REJECTED)
                or (UNAPPROVED in self.statuses and segment.status is Status.TRANSLATED)
            )
            if not wanted:
                return False
        needle = self.text.strip().casefold()
        if needle:
            haystack = segment.source.casefold() + "\n" + (segment.target or "").casefold()
            return needle in haystack
        return True

    def describe(self) -> str:
        """A short label for the footer, e.g. ``todo, "Prancis"``."""
        parts = sorted(self.statuses)
        if self.text.strip():
            parts.append(f'"{self.text.strip()}"')
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the document is: confirmed segments and words out of all."""

    confirmed: int
    total: int
    confirmed_words: int
    total_words: int

    @property
    def share(self) -> float:
        """Confirmed words as a fraction of all words (0.0-1.0)."""
        return self.confirmed_words / self.total_words if self.total_words else 0.0


@dataclass(frozen=True, slots=True)
class ConfirmResult:
    """What a confirmation changed: the segment, its repetitions, where to go next."""

    segment: Segment
    repetitions: tuple[int, ...]
    next_index: int | None


@dataclass(slots=True)
class _Pending:
    """Where the text now in the editor came from, if not typed by hand."""

    origin: str | None = None
    match_score: int | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)
    # The text as inserted: the draft that the final text is compared with.
    text: str | None = None

    @property
    def draft(self) -> tuple[str | None, str | None] | None:
        """The (text, origin) to record as the segment's draft, if any."""
        if self.text is None or not self.origin or origin_kind(self.origin) is Origin.HUMAN:
            return None
        return self.text, self.origin


def _merged_flags(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Flags after a new draft: the drafting flags (glossary, split) are the new one's."""
    from tm.pipeline import FLAG_PREFIXES

    return [*(f for f in old if not f.startswith(FLAG_PREFIXES)), *new]


def match_label(segment: Segment) -> str:
    """The origin column: ``MT``, ``TM 100%``, ``fuzzy 82%``, ``aligned``, ``human``.

    A target the translator changed from a draft shows the draft's kind and
    the post-editing distance: ``MT→ed 35%``, ``fuzzy→ed 12%``.
    """
    kind = origin_kind(segment.origin)
    if kind is Origin.HUMAN and segment.origin_before:
        before = short_origin(segment.origin_before) or "draft"
        distance = segment.edit_distance
        return f"{before}→ed {distance}%" if distance is not None else f"{before}→ed"
    if kind is None:
        return ""
    if kind.value == "mt":
        return "MT"
    if kind.value == "tm-exact":
        score = segment.match_score or 100
        return "TM 101%" if score > 100 else f"TM {score}%"
    if kind.value == "tm-fuzzy":
        return f"fuzzy {segment.match_score}%" if segment.match_score else "fuzzy"
    return kind.value


class ReviewSession:
    """One translator's pass over one document.

    ``segments`` is the whole document in order; ``visible`` holds the indices
    (into ``segments``) that the filter lets through; ``index`` is the current
    segment's index into ``segments``.
    """

    def __init__(self, store: Store, document: Document, *, author: str | None = None):
        self.store = store
        self.document = document
        self.author = author or default_author()
        self.segments: list[Segment] = store.segments(document.id)
        self._by_id = {s.id: i for i, s in enumerate(self.segments)}
        # The state of each segment when this session first loaded it, for undo.
        self._original: dict[int, Segment] = {}
        self._opened_at = utc_now()
        self.filter = SegmentFilter()
        self.visible: list[int] = list(range(len(self.segments)))
        self.index = min(max(document.last_position, 0), max(len(self.segments) - 1, 0))
        self._pending: dict[int, _Pending] = {}
        self._saved_position = document.last_position
        self._words = [word_count(s.source) for s in self.segments]

    @classmethod
    def open(cls, store: Store, ref: str | int, *, author: str | None = None) -> ReviewSession:
        """Open a document by id, name or path (raises NotFoundError)."""
        return cls(store, store.get_document(ref), author=author)

    # -- reading ----------------------------------------------------------------

    @property
    def current(self) -> Segment:
        """The current segment."""
        return self.segments[self.index]

    def __len__(self) -> int:
        return len(self.segments)

    def context(self, index: int | None = None) -> tuple[str | None, str | None]:
        """The previous and next source segments, for in-context matches."""
        i = self.index if index is None else index
        prev = self.segments[i - 1].source if i > 0 else None
        nxt = self.segments[i + 1].source if i + 1 < len(self.segments) else None
        return prev, nxt

    def index_of(self, segment_id: int) -> int:
        """The index of a segment by its id."""
        return self._by_id[segment_id]

    def progress(self) -> Progress:
        """Confirmed segments and words, out of all, in the loaded state."""
        confirmed = confirmed_words = 0
        for seg, words in zip(self.segments, self._words, strict=True):
            if seg.status.confirmed:
                confirmed += 1
                confirmed_words += words
        return Progress(confirmed, len(self.segments), confirmed_words, sum(self._words))

    # -- moving -----------------------------------------------------------------

    def go_to(self, index: int) -> Segment:
        """Make ``index`` current (see :meth:`save_position` to remember it)."""
        if not self.segments:
            raise IndexError("the document has no segments")
        self.index = min(max(index, 0), len(self.segments) - 1)
        return self.current

    def save_position(self) -> None:
        """Remember the current segment, so that reopening the document returns to it.

        The UI calls this after a pause in movement and when leaving, not on
        every keystroke: each call is a write transaction, which would wait
        behind another window's or a batch's lock.
        """
        if self.segments and self._saved_position != self.index:
            self.store.set_last_position(self.document.id, self.index)
            self._saved_position = self.index

    def step(self, delta: int) -> int | None:
        """The visible index ``delta`` rows away from the current one, if any."""
        if not self.visible:
            return None
        row = self.visible_row(self.index)
        if row is None:
            # The current segment is filtered out: step from where it would be.
            row = sum(1 for i in self.visible if i < self.index) - (1 if delta > 0 else 0)
        target = row + delta
        if 0 <= target < len(self.visible):
            return self.visible[target]
        return None

    def visible_row(self, index: int) -> int | None:
        """The row of ``index`` in the filtered view, or None when hidden."""
        from bisect import bisect_left

        row = bisect_left(self.visible, index)
        if row < len(self.visible) and self.visible[row] == index:
            return row
        return None

    def next_unconfirmed(self, after: int | None = None) -> int | None:
        """The next visible segment a person has not confirmed, wrapping around."""
        start = self.index if after is None else after
        order = [i for i in self.visible if i > start] + [i for i in self.visible if i <= start]
        for i in order:
            if i != start and not self.segments[i].status.confirmed:
                return i
        return None

    def next_needing_work(self, after: int | None = None) -> int | None:
        """The next visible segment that is new, a draft, or has QA flags."""
        start = self.index if after is None else after
        order = [i for i in self.visible if i > start] + [i for i in self.visible if i <= start]
        for i in order:
            seg = self.segments[i]
            if i != start and (not seg.status.confirmed or seg.flags):
                return i
        return None

    # -- filtering ----------------------------------------------------------------

    def set_filter(self, segment_filter: SegmentFilter) -> list[int]:
        """Apply a filter; returns the visible indices."""
        self.filter = segment_filter
        self.visible = [i for i, s in enumerate(self.segments) if segment_filter.accepts(s)]
        return self.visible

    # -- editing ------------------------------------------------------------------

    def note_inserted(
        self,
        origin: str | None,
        match_score: int | None = None,
        *,
        index: int | None = None,
        text: str | None = None,
        flags: tuple[str, ...] = (),
    ) -> None:
        """Record where the text just put in the editor came from (match, MT, source).

        ``text`` is the inserted text: it becomes the segment's draft, which
        the confirmed text is compared with (tm.provenance). The next
        :meth:`keep_draft` or :meth:`confirm` of that segment stores this
        origin (and ``flags``, for an MT draft) instead of the old ones.
        """
        seg = self.segments[self.index if index is None else index]
        self._pending[seg.id] = _Pending(origin, match_score, tuple(flags), text)

    def _remember(self, segment: Segment) -> None:
        self._original.setdefault(segment.id, segment)

    def _reload(self, segment_ids: Iterable[int]) -> list[int]:
        """Re-read segments from the store; returns their indices."""
        changed = []
        for sid in segment_ids:
            i = self._by_id.get(sid)
            if i is None:
                continue
            self.segments[i] = self.store.get_segment(sid)
            changed.append(i)
        return changed

    def keep_draft(self, text: str, index: int | None = None) -> Segment | None:
        """Save an unconfirmed edit as a draft; returns the new segment or None.

        Nothing is written when the text is what the store already holds. An
        edit of a confirmed segment that is not confirmed again becomes a
        draft, so that nothing unreviewed passes as confirmed.
        """
        i = self.index if index is None else index
        seg = self.segments[i]
        if (seg.target or "") == text:
            # The translator changed nothing. Writing would only put back what
            # this session last saw over what another window saved since.
            self._pending.pop(seg.id, None)
            return None
        stored = self.store.get_segment(seg.id)
        if (stored.target or "") == text:
            self.segments[i] = stored
            self._pending.pop(seg.id, None)
            return None
        self._remember(seg)
        pending = self._pending.pop(seg.id, None)
        draft = pending.draft if pending is not None else None
        draft_text, draft_origin = draft or (stored.draft_target, stored.draft_origin)
        flags = _merged_flags(stored.flags, pending.flags) if pending is not None else None
        score = pending.match_score if pending is not None else stored.match_score
        prov = None
        if not text.strip():
            status, origin, score = Status.NEW, None, None
        else:
            status = Status.DRAFT
            prov = provenance(draft_text, draft_origin, text)
            if prov.accepted_unchanged:
                origin, prov = draft_origin, None
            elif prov.origin_before:
                # An edited draft is the translator's text; the table says what it was.
                origin, score = prov.origin, None
            else:
                prov = None
                origin = (pending.origin if pending is not None else None) or (
                    stored.origin or "human"
                )
        self.store.update_segment(
            seg.id,
            target=text if text.strip() else None,
            status=status,
            origin=origin,
            match_score=score,
            flags=flags,
            author=self.author,
            draft=draft,
            provenance=prov,
        )
        self._reload([seg.id])
        return self.segments[i]

    def confirm(self, text: str, *, status: Status = Status.TRANSLATED) -> ConfirmResult:
        """Confirm the current segment with ``text`` and find the next unconfirmed one.

        The segment and its translation unit are written in one transaction;
        unconfirmed repetitions of the same source get the target as drafts.
        """
        seg = self.current
        self._remember(seg)
        pending = self._pending.pop(seg.id, None)
        with self.store.atomic():
            if pending is not None and pending.origin:
                # Record the inserted draft (MT, a TM match): the confirmation
                # compares the text with it (tm.provenance).
                self.store.update_segment(
                    seg.id,
                    target=text,
                    status=seg.status,
                    origin=pending.origin,
                    match_score=pending.match_score,
                    flags=_merged_flags(seg.flags, pending.flags),
                    author=self.author,
                    draft=pending.draft,
                )
            repetitions = self.store.confirm_segment(
                seg.id, text, status=status, author=self.author
            )
        for rid in repetitions:
            i = self._by_id.get(rid)
            if i is not None:
                self._remember(self.segments[i])
        self._reload([seg.id, *repetitions])
        return ConfirmResult(self.segments[self.index], tuple(repetitions), self.next_unconfirmed())

    # -- reviewing ---------------------------------------------------------------

    def approve(self, index: int | None = None) -> Segment:
        """The reviewer approves a confirmed segment (status ``approved``, name and date).

        Raises :class:`~tm.errors.InputError` for a segment nobody has confirmed.
        """
        i = self.index if index is None else index
        seg = self.store.get_segment(self.segments[i].id)
        if not seg.status.confirmed:
            raise InputError(
                f"Segment {seg.position + 1} is not confirmed yet: only a translator's "
                "confirmed text can be approved."
            )
        self._remember(self.segments[i])
        self.store.approve_segments([seg.id], reviewer=self.author)
        self._reload([seg.id])
        return self.segments[i]

    def send_back(self, note: str, index: int | None = None) -> Segment:
        """The reviewer sends a segment back to the translator as a draft, with a note."""
        i = self.index if index is None else index
        seg = self.segments[i]
        self._remember(seg)
        self.store.send_back(seg.id, reviewer=self.author, note=note)
        self._reload([seg.id])
        return self.segments[i]

    def undo(self, index: int | None = None) -> Segment:
        """Put a segment back as it was when this session first loaded it.

        A memory unit that a confirmation in this session created, and that
        nothing else uses, is withdrawn with it; any other unit stays, since
        the memory is shared and another document may already use it.
        """
        i = self.index if index is None else index
        seg = self.segments[i]
        self._pending.pop(seg.id, None)
        original = self._original.pop(seg.id, None)
        if original is None:
            return seg
        self.store.update_segment(
            seg.id,
            target=original.target,
            status=original.status,
            origin=original.origin,
            match_score=original.match_score,
            flags=original.flags,
            author=original.updated_by,
            draft=(original.draft_target, original.draft_origin),
            provenance=Provenance(
                original.origin or "",
                original.origin_before,
                original.edit_distance,
                original.accepted_unchanged,
            ),
        )
        if seg.unit_id is not None and seg.unit_id != original.unit_id:
            self.store.withdraw_confirmation(seg.id, seg.unit_id, since=self._opened_at)
        self._reload([seg.id])
        return self.segments[i]

    def is_modified(self, index: int | None = None) -> bool:
        """Whether this session changed the segment (so undo has something to do)."""
        i = self.index if index is None else index
        return self.segments[i].id in self._original

    def refresh(self) -> list[int]:
        """Re-read every segment (another window may have changed some).

        Returns the indices whose content changed.
        """
        fresh = self.store.segments(self.document.id)
        # In place: the UI's table holds this very list, and a new list would
        # leave it drawing the old segments from then on.
        if [s.id for s in fresh] != [s.id for s in self.segments]:
            self.segments[:] = fresh
            self._by_id = {s.id: i for i, s in enumerate(fresh)}
            self._words = [word_count(s.source) for s in fresh]
            self.index = min(self.index, max(len(fresh) - 1, 0))
            self.set_filter(self.filter)
            return list(range(len(fresh)))
        changed = [i for i, (a, b) in enumerate(zip(self.segments, fresh, strict=True)) if a != b]
        for i in changed:
            self.segments[i] = fresh[i]
        return changed

    # -- helpers for the panels -----------------------------------------------------

    def with_target(self, index: int, target: str | None) -> Segment:
        """A copy of the segment showing ``target`` (for QA on the editor's text)."""
        return replace(self.segments[index], target=target)


# -- for worker threads: each call opens its own connection ------------------------


def lookup_matches(
    db_path: str | os.PathLike[str],
    source: str,
    context_prev: str | None,
    context_next: str | None,
    *,
    threshold: int = 50,
    limit: int = 3,
) -> list[Match]:
    """The best memory matches for a source, read through a new connection.

    Made for worker threads: a SQLite connection must stay in the thread that
    opened it, so this opens (and closes) its own :class:`Store`.
    """
    from tm.leverage import lookup

    with Store(db_path) as store:
        return lookup(store, source, context_prev, context_next, threshold=threshold, limit=limit)


def search_memory(db_path: str | os.PathLike[str], text: str, *, limit: int = 20) -> list[Any]:
    """Concordance: memory units whose source or target holds the phrase.

    Source hits come first, then target hits; each is a
    :class:`tm.leverage.ConcordanceHit`. Opens its own connection.
    """
    from tm.leverage import concordance

    with Store(db_path) as store:
        hits = concordance(store, text, limit=limit)
        seen = {h.unit.id for h in hits}
        hits += [
            h for h in concordance(store, text, target=True, limit=limit) if h.unit.id not in seen
        ]
    return hits[:limit]


def word_diff(current: str, other: str) -> list[tuple[str, str]]:
    """How a match's source differs from the current source, word by word.

    Returns ``(op, text)`` pieces that spell ``other`` with the whitespace
    between words kept: ``op`` is ``"equal"`` for words both share, and
    ``"changed"`` for words of ``other`` that the current source lacks or has
    differently. A lone ``("missing", words)`` piece marks where the current
    source has words that ``other`` lacks.
    """
    from difflib import SequenceMatcher

    a = current.split()
    tokens = re.findall(r"\S+|\s+", other)
    words = [t for t in tokens if not t.isspace()]
    # Map each word of ``other`` to its token position, to keep the spacing.
    positions = [i for i, t in enumerate(tokens) if not t.isspace()]
    pieces: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, a, words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            pieces.append(("missing", " ".join(a[i1:i2])))
            continue
        start = positions[j1]
        end = positions[j2 - 1] + 1
        text = "".join(tokens[start:end])
        if j2 < len(words):
            text += "".join(tokens[end : positions[j2]])
        pieces.append(("equal" if tag == "equal" else "changed", text))
        if tag == "replace" and i2 - i1 > j2 - j1:
            pieces.append(("missing", " ".join(a[i1 + (j2 - j1) : i2])))
    return pieces


def approve_document(store: Store, document: Document, *, reviewer: str) -> list[int]:
    """Approve every translated segment of a document; returns the ids approved.

    Refused (:class:`~tm.errors.InputError`, nothing written) while any
    segment is unconfirmed: a reviewer signs off a whole translation. The
    check and the approval run in one transaction.
    """
    from tm.delivery import unconfirmed

    with store.atomic():
        segments = store.segments(document.id)
        left = unconfirmed(segments)
        if left.total:
            raise InputError(
                f"Not approved: in {document.name}, {left.describe()}. Confirm them first "
                f"(`tm review {document.name}`); approval covers a whole translation."
            )
        todo = [s.id for s in segments if s.status is Status.TRANSLATED]
        return store.approve_segments(todo, reviewer=reviewer)
