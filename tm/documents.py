"""Importing a text as a document: the one path for `tm import` and `tm translate`.

A file is read, segmented and fingerprinted (SHA-256 of its text); a document
with identical content is reused, else a new one is added. The look-up and
the insert run in one write transaction (``BEGIN IMMEDIATE``), so two imports
of the same file at once, from two processes, make one document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tm.errors import InputError
from tm.models import Document, SegmentedText
from tm.store import Store

STDIN_NAME = "stdin"


@dataclass(frozen=True, slots=True)
class LoadedText:
    """A file read and segmented, with the fingerprint that identifies its content."""

    text: str
    segmented: SegmentedText
    sha256: str


def load_text(file: str, encoding: str | None = None) -> LoadedText:
    """Read and segment a file (``-`` is stdin).

    Raises :class:`~tm.errors.InputError` for a file with no text at all.
    """
    from tm.segment import segment_text
    from tm.textio import read_text

    text = read_text(file, encoding)
    segmented = segment_text(text)
    if not segmented.spans:
        raise InputError(
            f"{file} holds no text to translate (only whitespace). Check that you gave "
            "the right file."
        )
    return LoadedText(text, segmented, hashlib.sha256(text.encode("utf-8")).hexdigest())


@dataclass(frozen=True, slots=True)
class Imported:
    """The document a file became, and whether this import created it."""

    document: Document
    created: bool


def import_loaded(store: Store, file: str, loaded: LoadedText) -> Imported:
    """Reuse the document with this content, or add it, in one transaction."""
    with store.atomic():
        existing = store.find_document_by_sha(loaded.sha256)
        if existing is not None:
            return Imported(existing, False)
        name = STDIN_NAME if file == "-" else Path(file).name
        path = None if file == "-" else str(Path(file).resolve())
        document = store.add_document(name, loaded.segmented, path=path, sha256=loaded.sha256)
    return Imported(document, True)


def import_document(store: Store, file: str, encoding: str | None = None) -> tuple[Document, bool]:
    """Import a text file as a document, reusing one with identical content.

    Returns the document and whether it was newly created.
    """
    imported = import_loaded(store, file, load_text(file, encoding))
    return imported.document, imported.created
