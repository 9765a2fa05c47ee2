"""Timestamps and authors as the memory records them."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def utc_now() -> str:
    """Now in UTC, in the TMX form ``YYYYMMDDThhmmssZ`` (sorts as text)."""
    return datetime.now(UTC).strftime(TMX_DATE_FORMAT)


def default_author() -> str:
    """Who is working: ``TM_AUTHOR``, else the login name."""
    author = os.environ.get("TM_AUTHOR")
    if author:
        return author
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # No passwd entry (containers); a stable placeholder beats a crash.
        return "translator"
