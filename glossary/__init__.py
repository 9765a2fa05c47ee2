"""Place-name glossary: built-in data, recognition in Indonesian, checks in English.

Public API::

    from glossary import Glossary, builtin_glossary, TermEntry, TermHit

    g = builtin_glossary()                   # cached; built-in entries only
    g.find(source) -> list[TermHit]          # place names in an Indonesian text
    g.check(source, target) -> list[TermCheck]   # one verdict per hit
    g.repair(source, draft) -> (new_draft, list[TermRepair])  # MT drafts only
    g.with_entries(user_entries) -> Glossary # built-in plus the user's terms
    g.search(query, type=None) -> list[TermEntry]

File formats live in :mod:`glossary.formats` (``read_glossary``,
``write_glossary``); the user's glossary in the store in :mod:`tm.terms`.
"""

from __future__ import annotations

from glossary.core import Glossary, builtin_entries, builtin_glossary, data_version
from glossary.models import NOT_A_PLACE, TermCheck, TermEntry, TermHit, TermRepair

__all__ = [
    "NOT_A_PLACE",
    "Glossary",
    "TermCheck",
    "TermEntry",
    "TermHit",
    "TermRepair",
    "builtin_entries",
    "builtin_glossary",
    "data_version",
]
