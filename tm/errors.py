"""The one exception family users can meet.

Every failure a user can cause is a :class:`TmError`. It carries its parts
as fields, so that each front end words them for its own users:

- ``what`` went wrong (``Cannot write out.tmx``),
- ``why`` (``No space left on device``), when it is known,
- ``action``: what to do about it,
- ``option``: the setting the error is about, named abstractly (``"beams"``,
  ``"on_conflict"``), or None.

``why`` and ``action`` (and ``what``) name settings as ``{beams}`` or
``{device=cpu}``; the core never spells a CLI flag. :meth:`TmError.message`
fills them with a front end's wording: the CLI's is ``--beams`` and
``--device cpu`` (tm/commands/common.py), the review UI has its own, and
``str(err)`` uses plain words, so it is always one readable paragraph. An
error made from one string (``TmError("...")``) is that paragraph.

The CLI prints the message to stderr and exits with status 2; the UI shows
it as an error notification.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

# The settings errors may name, in plain words (the core's own wording).
SETTINGS: Mapping[str, str] = {
    "all": "the whole-memory option",
    "batch_size": "the batch size",
    "beams": "the number of beams",
    "db": "the store path (TM_DB)",
    "device": "the device",
    "encoding": "the encoding",
    "engine": "the MT engine (TM_ENGINE)",
    "format": "the format",
    "model": "the model setting (TM_MODEL)",
    "no_mt": "memory-only translation (no MT)",
    "on_conflict": "the conflict policy",
    "out": "the output path",
    "quantization": "the quantization",
}
_SETTING = re.compile(r"\{(" + "|".join(SETTINGS) + r")(?:=([^{}]*))?\}")

# How a front end words a setting: (name, value or None) -> text.
Wording = Callable[[str, "str | None"], str]


def plain_wording(name: str, value: str | None) -> str:
    """The core's wording: ``the number of beams``; with a value, ``device cpu``."""
    if value is None:
        return SETTINGS[name]
    noun = {"db": "store path", "out": "output path", "on_conflict": "conflict policy"}
    return f"{noun.get(name, name.replace('_', ' '))} {value}"


def word_settings(text: str, wording: Wording) -> str:
    """``text`` with each ``{name}`` / ``{name=value}`` worded by ``wording``."""
    return _SETTING.sub(lambda m: wording(m.group(1), m.group(2)), text)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


class TmError(Exception):
    """Base class of every error the user may see."""

    exit_code = 2

    def __init__(
        self, what: str, why: str = "", action: str = "", *, option: str | None = None
    ) -> None:
        super().__init__(what)
        self.what = what
        self.why = why
        self.action = action
        self.option = option

    def message(self, wording: Wording = plain_wording, *, action: str | None = None) -> str:
        """One paragraph: what, why, what to do, with settings worded by ``wording``.

        ``action`` replaces the error's own advice (a front end that has a
        better one for its users, as the review UI has for a missing model).
        """
        what = self.what.strip()
        head = f"{what.rstrip('.:')}: {_sentence(self.why)}" if self.why else _sentence(what)
        todo = self.action if action is None else action
        text = f"{head} {_sentence(todo)}" if todo else head
        return word_settings(text, wording)

    def __str__(self) -> str:
        return self.message()


class UsageError(TmError):
    """The command was given a value or a combination of options it cannot use."""


class InputError(TmError):
    """An input file cannot be read: missing, binary, wrongly encoded, empty."""


class StoreError(TmError):
    """The project store cannot be opened or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock for too long."""


class NotFoundError(TmError):
    """A document, unit or term the user named does not exist."""


class ModelError(TmError):
    """The MT model is missing, corrupt or cannot run."""


class TmxError(TmError):
    """A TMX file is malformed, hostile or cannot be written."""


class GlossaryError(TmError):
    """A glossary file or entry is invalid."""


class OutputError(TmError):
    """An output file cannot be written."""


class StoreFullError(StoreError):
    """The disk holding the store is full (or the store reached its size limit)."""


class StoreDamagedError(StoreError):
    """The store file is damaged; `tm check` says what is readable."""


class NotAStoreError(StoreError):
    """The file named as the store is not a tm store (another app's file, a typo)."""
