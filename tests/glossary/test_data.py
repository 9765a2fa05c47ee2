"""The built-in data: CLDR entries, curated entries, the seed article.

The load time is measured by bench/glossary_load.py, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from glossary import NOT_A_PLACE, builtin_entries, builtin_glossary, data_version
from glossary.build_data import build
from glossary.match import fold

ROOT = Path(__file__).resolve().parents[2]


def test_cldr_file_is_what_the_generator_writes() -> None:
    """glossary/data/cldr.json is exactly what `python -m glossary.build_data`
    writes: nobody edited the generated file by hand, and the generator still
    reads babel the way it did. Only meaningful with the babel (and so the
    CLDR release) that made the file; any other babel skips, saying so."""
    import json

    stored = json.loads((ROOT / "glossary/data/cldr.json").read_text(encoding="utf-8"))
    babel = pytest.importorskip("babel", reason="babel (the 'data' extra) is not installed")
    made_by = stored["source"].rsplit("via babel ", 1)[-1]
    if babel.__version__ != made_by:
        pytest.skip(
            f"cldr.json was generated with babel {made_by}; babel {babel.__version__} "
            "is installed (install with requirements.lock to run this check)"
        )
    assert stored == build()


def test_every_cldr_entry_has_indonesian_and_english_forms() -> None:
    cldr = [e for e in builtin_entries() if e.id.startswith("cldr")]
    assert len(cldr) > 250
    for entry in cldr:
        assert entry.source_forms and all(f.strip() for f in entry.source_forms), entry.id
        assert entry.target.strip(), entry.id


def test_no_duplicate_ids_or_source_forms() -> None:
    entries = builtin_entries()
    ids = Counter(e.id for e in entries)
    assert [i for i, n in ids.items() if n > 1] == []
    owners: dict[str, str] = {}
    clashes = []
    for entry in entries:
        for form in entry.source_forms:
            key = fold(form)
            if key in owners and owners[key] != entry.id:
                clashes.append((form, owners[key], entry.id))
            owners[key] = entry.id
    assert clashes == []


def test_all_38_provinces_with_capitals() -> None:
    provinces = [e for e in builtin_entries() if e.type == "province"]
    assert len(provinces) == 38
    targets = {e.target for e in provinces}
    assert {"West Java", "North Sumatra", "Highland Papua", "Jakarta"} <= targets


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Jawa Barat", "West Java"),
        ("Jakarta Selatan", "South Jakarta"),
        ("Den Haag", "The Hague"),
        ("Mekah", "Mecca"),
        ("Praha", "Prague"),
        ("Warsawa", "Warsaw"),
        ("Kopenhagen", "Copenhagen"),
        ("Brussel", "Brussels"),
        ("Athena", "Athens"),
        ("Roma", "Rome"),
        ("Lisboa", "Lisbon"),
        ("Eropa", "Europe"),
        ("Asia Tenggara", "Southeast Asia"),
        ("Amerika Latin", "Latin America"),
        ("Jalur Gaza", "Gaza Strip"),
        ("Semenanjung Korea", "Korean Peninsula"),
        ("Selat Malaka", "Strait of Malacca"),
        ("Samudra Hindia", "Indian Ocean"),
        ("Prancis", "France"),
        ("Turki", "Turkey"),
        ("Inggris", "Britain"),
    ],
)
def test_curated_names(source: str, target: str) -> None:
    hits = builtin_glossary().find(f"Kabar dari {source} hari ini.")
    assert [(h.surface, h.entry.target) for h in hits] == [(source, target)]


def test_seed_article_names_get_the_editors_english() -> None:
    seed = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    found = {(h.surface, h.entry.target) for h in builtin_glossary().find(seed)}
    assert found == {
        ("Turki", "Turkey"),
        ("Azerbaijan", "Azerbaijan"),
        ("Armenia", "Armenia"),
        ("Nagorno-Karabakh", "Nagorno-Karabakh"),
        ("Prancis", "France"),
        ("Latvia", "Latvia"),
        ("Moskow", "Moscow"),
        ("Rusia", "Russia"),
        ("Minsk", "Minsk"),
        ("Eropa", "Europe"),
    }
    # the headline's "Medan Perang" is the battlefield, not the city of Medan
    assert "Medan" not in {h.surface for h in builtin_glossary().find(seed)}


def test_blockers_are_never_reported() -> None:
    assert all(h.entry.type != NOT_A_PLACE for h in builtin_glossary().find("di medan perang"))


def test_data_is_versioned() -> None:
    assert data_version() == "cldr-1+extras-1+curated-1"


def test_glossary_never_imports_textual_or_torch() -> None:
    code = (
        "import sys, glossary, glossary.formats, glossary.build_data; "
        "print(sorted(m for m in ('textual', 'torch', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
