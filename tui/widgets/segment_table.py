"""The segment table: number, source, target, status and origin, one row each.

It is a virtual list on Textual's line API: the widget keeps one small tuple
of row heights and offsets for the whole document and draws only the lines on
screen, so a 10,000-segment document opens as fast as a short one. (A
DataTable measures every cell of every row when rows are added, which costs
seconds at that size.) Text wraps inside its column, up to a few lines a row;
the full text of the current segment is in the source view and the editor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tm.display import visible
from tm.models import Segment
from tm.review import match_label
from tui.widgets.styles import status_mark, status_style

MAX_ROW_LINES = 3
NUMBER_WIDTH = 5
STATUS_WIDTH = 12
# Below this many columns the table stacks source and target in one column.
COMPACT_BELOW = 64
GAP = 1


def wrap_words(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` columns (long words are cut); never empty.

    Control characters are shown as symbols (:func:`tm.display.visible`).
    """
    text = visible(text)
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fit(lines: list[str], height: int, width: int) -> list[str]:
    """Exactly ``height`` lines; an ellipsis marks text cut off at the bottom."""
    if len(lines) > height:
        lines = lines[:height]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines + [""] * (height - len(lines))


def _compact_text(source: str, target: str | None, width: int) -> tuple[list[str], int]:
    """Source lines then target lines for the one-column table, and where the target starts.

    Both sides share the row's MAX_ROW_LINES + 1 lines: a long source gives
    way so that at least two lines of the target (or all of a short one) stay
    in view; a cut side ends with an ellipsis.
    """
    budget = MAX_ROW_LINES + 1
    src = wrap_words(source, width)
    tgt = wrap_words("→ " + target, width) if target else []
    keep_target = min(len(tgt), max(budget - len(src), (budget + 1) // 2))
    keep_source = min(len(src), budget - keep_target)
    src = _fit(src, keep_source, width) if len(src) > keep_source else src
    tgt = _fit(tgt, keep_target, width) if len(tgt) > keep_target else tgt
    return src + tgt, len(src)


class SegmentTable(ScrollView, can_focus=True):
    """One row per visible segment; the cursor row is the current segment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "activate", "Edit", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "segment-table--header",
        "segment-table--cursor",
    }

    DEFAULT_CSS = """
    SegmentTable {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    SegmentTable > .segment-table--header {
        text-style: bold;
        background: $panel;
    }
    SegmentTable > .segment-table--cursor {
        background: $block-cursor-blurred-background;
    }
    SegmentTable:focus > .segment-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    class SegmentSelected(Message):
        """The user moved the cursor onto another segment."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Activated(Message):
        """Enter on a row: the user wants to edit this segment."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._segments: Sequence[Segment] = ()
        self._visible: Sequence[int] = ()
        self._row_of: dict[int, int] = {}
        self._heights: list[int] = []
        self._offsets: list[int] = [0]
        self._cursor = 0
        self._laid_out_width = 0
        self._center_pending = False
        self._compact = False
        self._text_width = 10
        self._cache: dict[tuple[int, bool], list[Strip]] = {}
        # The row the user asked for and the screen has not shown yet.
        self._asked: int | None = None

    # -- data in ----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows (visible segments) the table has."""
        return len(self._visible)

    @property
    def cursor_row(self) -> int:
        """The row the cursor is on."""
        return self._cursor

    def show_segments(
        self, segments: Sequence[Segment], visible: Sequence[int], current: int
    ) -> None:
        """Show these segments (``visible`` indexes into ``segments``), cursor on ``current``."""
        self._segments = segments
        self._visible = visible
        self._row_of = {index: row for row, index in enumerate(visible)}
        self._cursor = self._row_of.get(current, 0)
        self._asked = None
        if self.size.width:  # else the first Resize lays it out
            self._layout()
            self.call_after_refresh(self._scroll_to_cursor, True)

    def update_segment(self, index: int, segment: Segment) -> None:
        """Redraw one segment's row; the rows below move only if its height changed."""
        row = self._row_of.get(index)
        if row is None:
            return
        if self._heights and self._segments[index] is not segment:
            # Normally the table shares the session's list; never draw a stale copy.
            self._segments = [*self._segments[:index], segment, *self._segments[index + 1 :]]
        height = self._height(segment) if row < len(self._heights) else None
        if height is not None and height != self._heights[row]:
            # A target appeared (or went): the row grows so that it shows.
            self._heights[row] = height
            self._cache.clear()
            self._set_offsets()
            self._scroll_to_cursor()
            return
        self._cache.pop((row, True), None)
        self._cache.pop((row, False), None)
        self._refresh_row(row)

    def move_to(self, index: int) -> None:
        """Put the cursor on a segment (no SegmentSelected is posted for it)."""
        self._asked = None
        row = self._row_of.get(index)
        if row is not None and row != self._cursor:
            self._set_cursor(row)

    # -- layout -------------------------------------------------------------------------

    def _layout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        self._laid_out_width = self.size.width
        self._cache.clear()
        self._compact = width < COMPACT_BELOW
        fixed = NUMBER_WIDTH + STATUS_WIDTH + GAP * 3
        if self._compact:
            self._text_width = max(width - fixed, 8)
        else:
            self._text_width = max((width - fixed - GAP) // 2, 8)
        heights = [self._height(self._segments[index]) for index in self._visible]
        self._heights = heights
        self._set_offsets(width)

    def _height(self, seg: Segment) -> int:
        w = self._text_width
        if self._compact:
            lines = len(_compact_text(seg.source, seg.target, w)[0])
            return max(lines, 2 if seg.origin else 1)
        source = len(wrap_words(seg.source, w))
        target = len(wrap_words(seg.target, w)) if seg.target else 1
        return min(max(source, target, 2 if seg.origin else 1), MAX_ROW_LINES)

    def _set_offsets(self, width: int | None = None) -> None:
        self._offsets = [0, *accumulate(self._heights)]
        # One line more for the header.
        self.virtual_size = Size(width or self.virtual_size.width, self._offsets[-1] + 1)
        self.refresh()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """Scroll to the cursor asked for before the table could scroll (a reopened document)."""
        if shown and self._center_pending:
            self.call_after_refresh(self._scroll_to_cursor, True)

    def on_resize(self, event: events.Resize) -> None:
        """Wrap again when the width changes."""
        if self.size.width != self._laid_out_width and self._segments:
            self._layout()
            self._scroll_to_cursor(True)

    # -- drawing --------------------------------------------------------------------------

    def _row_lines(self, row: int, cursor: bool) -> list[Strip]:
        key = (row, cursor)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        seg = self._segments[self._visible[row]]
        height = self._heights[row]
        w = self._text_width
        base = self.get_component_rich_style("segment-table--cursor") if cursor else self.rich_style
        dim = base + Style(dim=True)
        status = base + Style.parse(status_style(self.app, seg.status))
        label = visible(match_label(seg))
        number = [str(seg.position + 1)] + [""] * (height - 1)
        states = [f"{status_mark(seg.status)} {seg.status.value}", label] + [""] * height
        if self._compact:
            text, split = _compact_text(seg.source, seg.target, w)
            columns: list[tuple[list[str], int, Style | None]] = [(_fit(text, height, w), w, None)]
        else:
            split = None
            target = wrap_words(seg.target, w) if seg.target else [""]
            columns = [
                (_fit(wrap_words(seg.source, w), height, w), w, base),
                (_fit(target, height, w), w, base),
            ]
        gap = RichSegment(" " * GAP, base)
        strips = []
        for i in range(height):
            parts = [RichSegment(number[i].rjust(NUMBER_WIDTH - 1) + " ", dim), gap]
            for lines, width, style in columns:
                if style is None:  # compact: source lines, then the target in italics
                    style = base if split is None or i < split else base + Style(italic=True)
                parts.append(RichSegment(lines[i].ljust(width), style))
                parts.append(gap)
            state = states[i] if i < 2 else ""
            parts.append(
                RichSegment(state.ljust(STATUS_WIDTH)[:STATUS_WIDTH], status if i == 0 else dim)
            )
            strip = Strip(parts)
            strips.append(strip.extend_cell_length(self.size.width, base).crop(0, self.size.width))
        self._cache[key] = strips
        return strips

    def _header(self) -> Strip:
        style = self.get_component_rich_style("segment-table--header")
        w = self._text_width
        if self._compact:
            titles = ["#".rjust(NUMBER_WIDTH - 1) + " ", "Indonesian → English".ljust(w), "Status"]
        else:
            titles = [
                "#".rjust(NUMBER_WIDTH - 1) + " ",
                "Indonesian".ljust(w),
                "English".ljust(w),
                "Status",
            ]
        text = (" " * GAP).join(titles)
        return Strip([RichSegment(text, style)]).extend_cell_length(self.size.width, style)

    def render_line(self, y: int) -> Strip:
        """One screen line: the header, or a line of some row."""
        if y == 0:
            return self._header()
        line = self.scroll_offset.y + y - 1
        if not self._visible or line >= self._offsets[-1]:
            return Strip.blank(self.size.width, self.rich_style)
        row = bisect_right(self._offsets, line) - 1
        return self._row_lines(row, row == self._cursor)[line - self._offsets[row]]

    def _refresh_row(self, row: int) -> None:
        top = self._offsets[row] - self.scroll_offset.y + 1
        self.refresh_lines(max(top, 0), self._heights[row])

    # -- moving ------------------------------------------------------------------------------

    def _set_cursor(self, row: int) -> None:
        old = self._cursor
        self._cursor = row
        if old < len(self._heights):
            self._refresh_row(old)
        self._scroll_to_cursor()
        self._refresh_row(row)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if not self._visible or self._cursor >= len(self._heights):
            return
        top = self._offsets[self._cursor]
        bottom = top + self._heights[self._cursor]
        # Until the first layout shows the scrollbar, Textual ignores scrolling.
        self._center_pending = center and not self.allow_vertical_scroll
        view = max(self.scrollable_content_region.height - 1, 1)
        y = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(top - view // 2, 0), animate=False, immediate=True)
        elif top < y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > y + view:
            self.scroll_to(y=bottom - view, animate=False, immediate=True)

    def _select(self, row: int) -> None:
        # The cursor moves when the screen answers with move_to(), so that the
        # row, the editor and the panels change in the same frame.
        row = min(max(row, 0), len(self._visible) - 1)
        if row != (self._cursor if self._asked is None else self._asked):
            self._asked = row
            self.post_message(self.SegmentSelected(self._visible[row]))

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down a row."""
        if self._visible:
            self._select((self._cursor if self._asked is None else self._asked) + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor a screenful."""
        if not self._visible:
            return
        view = max(self.scrollable_content_region.height - 1, 1)
        line = self._offsets[self._cursor] + direction * view
        line = min(max(line, 0), self._offsets[-1] - 1)
        self._select(bisect_right(self._offsets, line) - 1)

    def action_edge(self, end: int) -> None:
        """Go to the first or the last row."""
        if self._visible:
            self._select(len(self._visible) - 1 if end else 0)

    def action_activate(self) -> None:
        """Enter: edit the segment under the cursor."""
        self.post_message(self.Activated())

    def on_click(self, event: events.Click) -> None:
        """A click on a row selects it."""
        if event.y < 1 or not self._visible:
            return
        line = self.scroll_offset.y + event.y - 1
        if line < self._offsets[-1]:
            self._select(bisect_right(self._offsets, line) - 1)
