"""Regenerate ``glossary/data/cldr.json`` from CLDR through babel.

Country, territory, region and language names are never typed by hand: this
script reads them from babel's ``Locale('id')`` and ``Locale('en')``. What CLDR
lacks (Indonesian variants, English short forms, adjectives and demonyms) is
curated in ``country_extras.tsv`` and applied when the glossary loads.

Run: ``python -m glossary.build_data`` (writes the file and prints a summary).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
OUTPUT = DATA_DIR / "cldr.json"
DATA_VERSION = 1

# Codes that are not places a news text names: pseudo-locales, "unknown",
# "world", the United Nations (an organisation). 019 "Amerika" is left out
# because Indonesian news use "Amerika" for the United States; the US entry
# carries it. 057 is a CLDR-internal grouping nobody writes.
EXCLUDED = {"001", "019", "057", "QO", "UN", "XA", "XB", "ZZ"}

# UN M.49 regions kept: they are how Indonesian news name parts of the world.
REGION_TYPES = {"EU": "union", "EZ": "region"}

# Languages whose Indonesian name doubles as a country or people name: "bahasa
# Inggris" must read as the English language, not as Britain.
LANGUAGES = [
    "ar",
    "de",
    "el",
    "en",
    "es",
    "fa",
    "fr",
    "he",
    "hi",
    "id",
    "it",
    "ja",
    "jv",
    "ko",
    "la",
    "ms",
    "nl",
    "pt",
    "ru",
    "su",
    "th",
    "tr",
    "vi",
    "zh",
]

_PAREN = re.compile(r"\s*\(([^)]*)\)")


def _split_name(name: str, *, conjunction: str, strip: tuple[str, ...] = ()) -> list[str]:
    """Main form first, then variants: "Myanmar (Burma)" → Myanmar, "Myanmar (Burma)";
    "Trinidad & Tobago" → "Trinidad and Tobago", "Trinidad & Tobago"."""
    forms: list[str] = []
    for suffix in strip:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    base = _PAREN.sub("", name).strip()
    forms.append(base)
    if base != name:
        forms.append(name)
    if "&" in base:
        forms.insert(0, base.replace("&", conjunction))
    if base.startswith("St. "):
        forms.append("Saint " + base[4:])
    seen: list[str] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return seen


def _territory_entries() -> list[dict[str, Any]]:
    from babel import Locale

    indonesian, english = Locale("id").territories, Locale("en").territories
    entries = []
    for code in sorted(indonesian):
        if code in EXCLUDED or code not in english:
            continue
        source = _split_name(indonesian[code], conjunction="dan", strip=(" DAK Tiongkok",))
        target = _split_name(english[code], conjunction="and", strip=(" SAR China",))
        kind = REGION_TYPES.get(code, "region" if code.isdigit() else "country")
        entries.append(
            {
                "id": f"cldr:{code}",
                "type": kind,
                "source_forms": source,
                "target": target[0],
                "target_variants": target[1:],
            }
        )
    return entries


def _language_entries() -> list[dict[str, Any]]:
    from babel import Locale

    indonesian, english = Locale("id").languages, Locale("en").languages
    return [
        {
            "id": f"cldr-lang:{code}",
            "type": "language",
            "source_forms": [f"bahasa {indonesian[code]}", f"berbahasa {indonesian[code]}"],
            "target": english[code],
            "target_variants": [],
        }
        for code in LANGUAGES
    ]


def build() -> dict[str, Any]:
    """The content of ``cldr.json`` as a dict."""
    import babel

    return {
        "version": DATA_VERSION,
        "source": f"CLDR {babel.core.get_cldr_version()} via babel {babel.__version__}",
        "entries": _territory_entries() + _language_entries(),
    }


def main() -> None:
    """Write ``cldr.json`` and print how many entries it holds."""
    data = build()
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(data['entries'])} entries from {data['source']}")


if __name__ == "__main__":
    main()
