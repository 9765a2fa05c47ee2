"""Learn Indonesian abbreviation candidates from text, Punkt-style, for review.

Punkt (Kiss and Strunk 2006, NLTK's ``PunktTrainer``) finds abbreviations
without a list: word types that are nearly always followed by a full stop,
are short, frequent enough and rarely end a sentence. This script runs it on
Indonesian text that the project may use, prints every candidate with its
evidence, and the hand review of each one (``REVIEW`` below). Accepted
candidates go into ``tm/data/abbreviations.tsv`` with the source ``learned``
(or ``curated+learned`` where the curated list already had them); the
segmenter loads that file.

The corpus, Indonesian text the project may use (for training only; the
data file holds only the reviewed abbreviations):

* news: ``nlp_id/data/dataset_postag.txt`` from the PyPI package ``nlp-id``
  (kumparan's NLP tools, MIT licence): 32,780 sentences of kumparan news
  stories, one token a line with its part of speech; the tokens are joined
  back into running text. Its sentences are cut short after some
  abbreviations (a sentence ends at "No ." or "Moch ."), so rare words that
  end a cut sentence score like abbreviations: the review rejects them;
* documentation, the largest Indonesian running text in Debian:
  ``libreoffice-help-id`` (MPL-2.0), ``gnome-user-docs`` (``help/id``,
  CC-BY-SA-3.0), ``debian-handbook`` (``html/id-ID``, GPL-2+ or
  CC-BY-SA-3.0), ``debian-reference-id`` (GPL-2+), ``kicad-doc-id``
  (GPL-3+).

news-valid (the benchmark data) is deliberately *not* trained on, so the
benchmark stays held out; it holds almost no dotted abbreviations anyway.
No public test split (FLORES, TICO-19) is used.

Get the corpus (nothing installed)::

    mkdir -p /tmp/id-corpus && cd /tmp/id-corpus
    pip download --no-deps nlp-id==0.1.23.0 && unzip -o nlp_id-0.1.23.0-py3-none-any.whl
    apt-get download libreoffice-help-id gnome-user-docs debian-handbook \\
        debian-reference-id kicad-doc-id
    mkdir -p docs && for f in *.deb; do dpkg-deb -x "$f" "docs/${f%%_*}"; done

Then::

    pip install -e '.[data]'      # nltk, a build-time tool only
    python bench/train_abbreviations.py /tmp/id-corpus/nlp_id/data/dataset_postag.txt \\
        /tmp/id-corpus/docs [--out PATH]
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
    # Accepted: real abbreviations, most already on the curated list.
    "rt": ("accept", "Rukun Tetangga (RT. 05), phrase-final; already curated"),
    "jl": ("accept", "Jalan, before a street name; already curated"),
    "no": ("accept", "nomor, before a number; already curated"),
    "st": ("accept", "Saint / Stasiun, before a name; already curated"),
    "ny": ("accept", "Nyonya, a title before a name; already curated"),
    "kec": ("accept", "Kecamatan, before a district name; already curated"),
    "dkk": ("accept", "dan kawan-kawan (et al.), phrase-final; already curated"),
    "cv": ("accept", "Commanditaire Vennootschap, before a company name; already curated"),
    "ltd": ("accept", "Limited, phrase-final; already curated"),
    "tj": ("accept", "Tanjung, inside place names (Tj. Priok); curated for issue 15 too"),
    "moch": ("accept", "Mochammad, a given name shortened before a name (Moch. Iriawan); new"),
    "bd": ("accept", "Bidan (midwife), a title before a name; new"),
    "mis": ("accept", "misalnya (for example), before an example; already curated"),
    "mr": ("accept", "Mister, a title before a name; already curated"),
    # Rejected: words, names and acronyms that the corpus has only at a
    # sentence end (the tagged news corpus cuts sentences short, so rare
    # words that end one look like abbreviations to Punkt).
    "jd": ("reject", "JD.id, a shop's name cut at its dot"),
    "layu": ("reject", "a word (withered)"),
    "enek": ("reject", "a word (nauseous)"),
    "rias": ("reject", "a word (make-up)"),
    "baji": ("reject", "a word (wedge)"),
    "hampa": ("reject", "a word (empty)"),
    "anut": ("reject", "a word (to follow)"),
    "paku": ("reject", "a word (nail)"),
    "taro": ("reject", "a word (taro)"),
    "uban": ("reject", "a word (grey hair)"),
    "pulas": ("reject", "a word (sound asleep)"),
    "haul": ("reject", "a word (a memorial feast)"),
    "zoo": ("reject", "an English word"),
    "act": ("reject", "an English word"),
    "borne": ("reject", "an English word"),
    "irak": ("reject", "a country (Iraq) at a sentence end"),
    "siam": ("reject", "a name at a sentence end"),
    "cik": ("reject", "a name (Soh Wooi Cik) at a sentence end"),
    "ven": ("reject", "a name (Soong Joo Ven) at a sentence end"),
    "liew": ("reject", "a name at a sentence end"),
    "quah": ("reject", "a name at a sentence end"),
    "suho": ("reject", "a name at a sentence end"),
    "siro": ("reject", "a name at a sentence end"),
    "gerd": ("reject", "an acronym (GERD) at a sentence end"),
    "kyb": ("reject", "an acronym at a sentence end"),
    "nme": ("reject", "an acronym (NME) at a sentence end"),
    "pkb": ("reject", "an acronym (PKB, a party) at a sentence end"),
    "ndtv": ("reject", "an acronym (NDTV) at a sentence end"),
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


def tagged_sentences(path: Path) -> Iterator[str]:
    """Sentences of a token-per-line file (token, tab, tag; a blank line ends a
    sentence), with the tokens joined back into running text."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        tokens = [line.split("\t")[0] for line in block.splitlines() if line.strip()]
        if not tokens:
            continue
        text = " ".join(tokens)
        text = re.sub(r" ([.,?!:;)\]%])", r"\1", text)
        text = re.sub(r"([(\[]) ", r"\1", text)
        yield re.sub(r" nya\b", "nya", text)


def corpus_text(paths: list[Path]) -> tuple[str, list[str]]:
    """The training text and a line per source saying what it gave."""
    parts: list[str] = []
    described: list[str] = []
    for path in paths:
        if path.is_dir():
            paras = list(paragraphs(path))
            parts.append("\n".join(paras))
            described.append(f"`{path.name}/` (Debian documentation): {len(paras):,} paragraphs")
        else:
            sentences = list(tagged_sentences(path))
            # The tagged corpus keeps no paragraphs: one running text.
            parts.append(" ".join(sentences))
            described.append(f"`{path.name}` (tagged news sentences): {len(sentences):,} sentences")
    return "\n".join(parts), described


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
    # "rt" and "rt." are both scored; keep the better score of each word.
    best: dict[str, tuple[float, str, int, int]] = {}
    for row in rows:
        if row[1] not in best or row[0] > best[row[1]][0]:
            best[row[1]] = row
    return sorted(best.values(), key=lambda r: (-r[0], r[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "corpus",
        type=Path,
        nargs="+",
        help="folders of extracted Debian packages, or nlp_id's dataset_postag.txt",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    text, described = corpus_text(args.corpus)
    rows = learn(text)
    out = [
        "## Abbreviations learned with Punkt (issue 15)\n",
        f"Corpus ({len(text):,} characters; see `bench/train_abbreviations.py` for the "
        "sources and their licences): " + "; ".join(described) + ". "
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
