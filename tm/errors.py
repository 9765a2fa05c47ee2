"""The one exception family users can meet.

Every failure a user can cause is a :class:`TmError`. Its message is one
readable paragraph: what went wrong and what to do. The CLI prints it to
stderr and exits with status 2; the UI shows it as an error notification.
"""

from __future__ import annotations


class TmError(Exception):
    """Base class of every error the user may see."""

    exit_code = 2


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
