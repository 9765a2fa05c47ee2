"""What a translator reached for and missed (issue 11 item 5), driven by Pilot."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, SMALL, settle
from tm.store import Store
from tui.widgets.segment_table import SegmentTable

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("size", [SIZE, SMALL])
@pytest.mark.parametrize("via_picker", [False, True])
async def test_reopening_scrolls_the_table_to_the_current_segment(
    make_app, seeded, size, via_picker
) -> None:
    db, document = seeded
    with Store(db) as store:
        last = len(store.segments(document.id)) - 2
        store.set_last_position(document.id, last)
    app = make_app(document=None) if via_picker else make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if via_picker:
            await pilot.press("enter")
            await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        assert app.screen.session.index == last
        assert table.cursor_row == last
        top = table._offsets[last]
        bottom = top + table._heights[last]
        view = table.scrollable_content_region.height - 1
        y = table.scroll_offset.y
        assert y > 0
        assert y <= top and bottom <= y + view
