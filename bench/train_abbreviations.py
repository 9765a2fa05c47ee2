"""Learn Indonesian abbreviation candidates from text, Punkt-style, for review.

Punkt (Kiss and Strunk 2006, NLTK's ``PunktTrainer``) finds abbreviations
without a list: word types that are nearly always followed by a full stop,
are short, frequent enough and rarely end a sentence. This script runs it on
Indonesian text that the project may use, prints every candidate with its
evidence, and the hand review of each one (``REVIEW`` below). Accepted
candidates go into ``tm/data/abbreviations.tsv`` with the source ``learned``
(or ``curated+learned`` where the curated list already had them); the
segmenter loads that file.

The corpus: no public-domain or permissively licensed Indonesian *news*
corpus is packaged on PyPI or in Debian (checked: ``apt-cache search
indonesian``, the PyPI package list). The largest Indonesian running text in
Debian is documentation, used here for training only (nothing of it is
shipped; the data file holds only the reviewed abbreviations):

* ``libreoffice-help-id`` (LibreOffice help, MPL-2.0),
* ``gnome-user-docs`` (GNOME help, ``usr/share/help/id``, CC-BY-SA-3.0),
* ``debian-handbook`` (the Debian Administrator's Handbook, ``html/id-ID``,
  GPL-2+ or CC-BY-SA-3.0),
* ``debian-reference-id`` (Debian Reference, GPL-2+),
* ``kicad-doc-id`` (KiCad documentation, GPL-3+).

news-valid (the benchmark data) is deliberately *not* trained on, so the
benchmark stays held out; it holds almost no dotted abbreviations anyway.
No public test split (FLORES, TICO-19) is used.

Get the corpus (Debian's packages, nothing installed)::

    mkdir -p /tmp/id-corpus && cd /tmp/id-corpus
    apt-get download libreoffice-help-id gnome-user-docs debian-handbook \\
        debian-reference-id kicad-doc-id
    for f in *.deb; do mkdir -p "${f%%_*}"; dpkg-deb -x "$f" "${f%%_*}"; done

Then::

    pip install -e '.[data]'      # nltk, a build-time tool only
    python bench/train_abbreviations.py /tmp/id-corpus [--out PATH]
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "abbreviations_learned.md"

# Function words that mark a paragraph as Indonesian (the documentation is
# partly untranslated English).
_INDONESIAN = frozenset(
    [
        "yang",
        "dan",
        "di",
        "untuk",
        "dengan",
        "ini",
        "dari",
        "dalam",
        "pada",
        "atau",
        "tidak",
        "akan",
        "dapat",
        "adalah",
        "anda",
    ]
)
_ENGLISH = frozenset(
    ["the", "and", "of", "to", "is", "for", "with", "this", "that", "you", "are", "be"]
)

# Punkt's own default threshold for an abbreviation (PunktTrainer.ABBREV);
# candidates down to MIN_SCORE are listed for the reviewer too.
PUNKT_THRESHOLD = 0.3
MIN_SCORE = 0.1

# The hand review of every candidate at or above PUNKT_THRESHOLD, and of the
# lower-scored ones worth a word. accept: goes into the data file.
REVIEW: dict[str, tuple[str, str]] = {
    "mis": ("accept", "misalnya (for example), before an example; already curated"),
    "vs": ("accept", "versus; already curated"),
    "mr": ("accept", "Mister, a title before a name; already curated"),
    "corp": ("accept", "Corporation, phrase-final; already curated"),
    "etc": ("accept", "et cetera, phrase-final; already curated"),
    "fax": ("reject", "a word (faks, fax), sentence-final in the corpus"),
    "es": ("reject", "seen once; not an Indonesian abbreviation"),
    "vb": ("reject", "seen once (Visual Basic); a name, not an abbreviation"),
    "ecc": ("reject", "Italian eccetera in an example; not Indonesian"),
    "tre": ("reject", "a command name"),
    "lukis": ("reject", "a word (to paint): a menu name at a sentence end"),
    "apm": ("reject", "an acronym at a sentence end"),
    "bss": ("reject", "an acronym at a sentence end"),
    "nbd": ("reject", "an acronym at a sentence end"),
    "xkb": ("reject", "an acronym at a sentence end"),
    "mayr": ("reject", "a surname"),
    "race": ("reject", "an English word"),
    "andal": ("reject", "a word (reliable)"),
}


def paragraphs(root: Path) -> Iterator[str]:
    """Indonesian paragraphs of the HTML and Mallard help pages under ``root``."""
    from lxml import etree
    from lxml import html as lxml_html

    for path in sorted(root.rglob("*")):
        if path.suffix == ".html":
            try:
                tree = lxml_html.parse(str(path)).getroot()
            except (etree.ParserError, ValueError):
                continue
            if tree is None:
                continue
            texts = [el.text_content() for el in tree.iter("p", "li", "td", "dd")]
        elif path.suffix == ".page" and "/id/" in path.as_posix():
            try:
                tree = etree.parse(str(path)).getroot()
            except etree.XMLSyntaxError:
                continue
            texts = ["".join(el.itertext()) for el in tree.iter("{*}p")]
        else:
            continue
        for raw in texts:
            text = " ".join(raw.split())
            words = re.findall(r"[a-z]+", text.lower())
            indonesian = sum(w in _INDONESIAN for w in words)
            english = sum(w in _ENGLISH for w in words)
            if len(text) >= 40 and indonesian >= 2 and indonesian > 2 * english:
                yield text


def learn(text: str) -> list[tuple[float, str, int, int]]:
    """Punkt's word candidates: (score, word, count with a stop, count without)."""
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer()
    trainer.train(text, finalize=False)
    fdist = trainer._type_fdist
    rows = []
    # The same scoring PunktTrainer.finalize_training applies (log-likelihood
    # times length, count and internal-period factors, less a penalty for
    # occurrences without a stop), read out with the score kept.
    for typ, score, _is_add in trainer._reclassify_abbrev_types(fdist):
        base = typ.removesuffix(".")
        # Only words: versions (3.x), file names (.xml), codes (b.1.1) and
        # dotted abbreviations (e.g.: the segmenter's dotted rule) are not.
        if score >= MIN_SCORE and base.isalpha() and base.isascii():
            rows.append((score, base, fdist[base + "."], fdist[base]))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path, help="folder of the extracted Debian packages")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    paras = list(paragraphs(args.corpus))
    text = "\n".join(paras)
    rows = learn(text)
    out = [
        "## Abbreviations learned with Punkt (issue 15)\n",
        f"Corpus: Indonesian paragraphs of Debian's documentation packages under "
        f"`{args.corpus.name}` ({len(paras):,} paragraphs, {len(text):,} characters; "
        "see `bench/train_abbreviations.py` for the packages and their licences). "
        f"Punkt threshold {PUNKT_THRESHOLD}; candidates down to {MIN_SCORE} listed.\n",
        "| score | type | with a stop | without | review | why |",
        "|---|---|---|---|---|---|",
    ]
    for score, typ, dotted, bare in rows:
        verdict, why = REVIEW.get(
            typ, ("below threshold" if score < PUNKT_THRESHOLD else "UNREVIEWED", "")
        )
        if score < PUNKT_THRESHOLD and typ not in REVIEW:
            continue
        out.append(f"| {score:.3f} | `{typ}.` | {dotted} | {bare} | {verdict} | {why} |")
    below = sum(1 for r in rows if r[0] < PUNKT_THRESHOLD and r[1] not in REVIEW)
    out.append(f"\n{below} more candidates scored between {MIN_SCORE} and {PUNKT_THRESHOLD}.")
    report = "\n".join(out) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
