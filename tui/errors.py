"""How the review UI words the core's errors.

The core's errors carry what went wrong, why and what to do, with settings
named abstractly (:mod:`tm.errors`). The UI words the settings for a
translator in the review screen, and gives its own advice where the core's
is for the command line: with no usable model, the fix here is to reopen the
review with another model.
"""

from __future__ import annotations

from tm.errors import SETTINGS, ModelError, TmError

# How the review UI names the settings errors refer to.
UI_OPTIONS: dict[str, str] = {
    "db": "the store path (`tm review --db PATH`, or TM_DB)",
    "model": "`tm review --model DIR` (or TM_MODEL)",
}
MODEL_ACTION = (
    "To draft with MT here, reopen with `tm review --model DIR` (or set TM_MODEL); "
    "`tm model info` says more."
)


def ui_wording(name: str, value: str | None) -> str:
    """A setting as the review UI names it; the plain words where the UI has none."""
    label = UI_OPTIONS.get(name, SETTINGS[name])
    return f"{label} {value}" if value else label


def describe(exc: TmError) -> str:
    """The paragraph a notification shows for ``exc``.

    A model error is short (a toast at 80x24): what went wrong, and how to
    get MT in the review.
    """
    if isinstance(exc, ModelError):
        return TmError(exc.what, action=MODEL_ACTION).message(ui_wording)
    return exc.message(ui_wording)
