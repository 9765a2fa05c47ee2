"""Indonesian sentence segmentation, rule-based and lossless.

No library segments Indonesian well (sentencex and sacremoses fall back to
English rules, spaCy's sentencizer splits after every full stop), so this
module carries its own rules. They look only at a candidate boundary: the
whitespace after ``.``, ``?``, ``!`` or an ellipsis, and every line break.

How a text becomes segments:

* A line break ends a segment and a paragraph: news texts and the seed article
  are line-based, one paragraph per line, and a line without final punctuation
  (a headline) is a segment of its own. A blank line (whitespace holding two
  or more line breaks) also ends a paragraph; ``paragraph`` counts the line
  breaks that end a segment, so both kinds advance it by one.
* A single line break after a line that does not end a sentence, before a
  line that starts with a lower-case letter (or after a title such as
  ``Jl.``), stays inside the segment: it is a soft wrap. A text where at
  least half of the lines without final punctuation (and at least three)
  are followed by such a lower-case line is taken as hard-wrapped: there a
  single line break counts as a space, and only blank lines end paragraphs.
* Within a line, a full stop ends a sentence unless the next word starts with
  a lower-case letter, or the word before it is an abbreviation. The
  abbreviations live in ``tm/data/abbreviations.tsv``, each with its source:
  curated by hand, or learned with Punkt from Indonesian text and reviewed
  (``bench/train_abbreviations.py``). They come in kinds: titles, ranks,
  addresses and units (``Bpk.``, ``Letda.``, ``Gn.``, ``Rp.``, ``gbr.``)
  never end a sentence, nor does one in brackets (``(Purn.)``);
  phrase-final ones (``dll.``, ``dkk.``, ``Tbk.``) end one when a
  capitalised word follows; ``hal.`` (page; also the word "matter") is never
  final before a number. A single capital letter (``B.J. Habibie``) is an
  initial. ``?`` and ``!`` end a sentence unless a lower-case word follows;
  quotes and brackets that close after the stop belong to the sentence they
  close.
* Numbers never hold a candidate boundary (``13.924``, ``10.30``, ``2,3``)
  because a boundary needs whitespace after the stop.

Segments never start or end with whitespace: whitespace before the first
segment is the text's ``prefix`` and whitespace after each segment is its
``trailing``, so ``SegmentedText.join()`` gives back the input exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from tm.models import SegmentedText, SourceSpan

ABBREVIATIONS_FILE = Path(__file__).parent / "data" / "abbreviations.tsv"

# The kinds of abbreviation in the data file.
_KINDS = ("never-final", "phrase-final", "before-number")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One row of ``tm/data/abbreviations.tsv``.

    ``source`` says where it comes from: ``curated`` (written by hand),
    ``learned`` (found by Punkt on Indonesian text and reviewed by hand, see
    ``bench/train_abbreviations.py``) or ``curated+learned``.
    """

    text: str
    kind: str
    exact: bool
    source: str
    note: str


def load_abbreviations(path: Path = ABBREVIATIONS_FILE) -> tuple[Abbreviation, ...]:
    """The abbreviations of the data file, in file order."""
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("abbreviation\t"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[1] not in _KINDS or fields[2] not in ("any", "exact"):
            raise ValueError(f"{path}:{number}: not an abbreviation row: {line!r}")
        text, kind, case, source, note = fields
        rows.append(Abbreviation(text, kind, case == "exact", source, note))
    return tuple(rows)


def _table(kind: str, exact: bool) -> frozenset[str]:
    return frozenset(
        a.text if exact else a.text.lower()
        for a in ABBREVIATIONS
        if a.kind == kind and a.exact == exact
    )


ABBREVIATIONS: tuple[Abbreviation, ...] = load_abbreviations()

# Abbreviations that never end a sentence: titles and ranks before names,
# address parts and units before numbers. Compared in lower case.
NEVER_FINAL: frozenset[str] = _table("never-final", exact=False)
# Never final, but also Indonesian words in lower case ("kol" is cabbage):
# they count only with this exact spelling.
NEVER_FINAL_EXACT: frozenset[str] = _table("never-final", exact=True)
# Abbreviations that often close a phrase and may end a sentence: a boundary
# after them needs a capitalised word next. Compared in lower case.
PHRASE_FINAL: frozenset[str] = _table("phrase-final", exact=False)
# Abbreviations that are also words ("hal", a matter; "hal.", page): never
# final before a number, an ordinary word otherwise.
BEFORE_NUMBER: frozenset[str] = _table("before-number", exact=False)

_TERMINALS = ".?!…"
_OPENERS = "\"'“‘«‹([{"
_CLOSERS = "\"'”’»›)]}"
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

# A candidate boundary: whitespace after terminal punctuation (and any quotes
# or brackets that close after it), or any whitespace holding a line break.
_CANDIDATE = re.compile(
    rf"[{re.escape(_TERMINALS)}][{re.escape(_CLOSERS)}]*(\s+)"
    # The look-behind starts a match only at the start of a whitespace run:
    # without it a long run of spaces costs quadratic time.
    r"|(?<!\s)(\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]\s*)"
)
# The last word before a candidate, taken apart.
_LAST_WORD = re.compile(
    rf"(?P<token>.*?)(?P<term>[{re.escape(_TERMINALS)}]*)"
    rf"(?P<close>[{re.escape(_CLOSERS)}]*)$",
    re.DOTALL,
)
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")
# Dotted abbreviations: S.H, M.Si, a.n, s.d, Ph.D, K.H.
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,3}")
# List markers at the start of a segment: "1.", "a.", "IV.".
_ENUMERATOR = re.compile(r"\d{1,3}|[A-Za-z]|[IVXivx]{1,5}")
# A single line break before a non-blank line, and what follows it.
_SINGLE_BREAK = re.compile(r"(?<![^\S\r\n])[^\S\r\n]*(?:\r\n|\n|\r)[^\S\r\n]*(?=(?P<next>\S{1,4}))")


class _Kind(Enum):
    """What the word before a full stop is."""

    WORD = 1
    # Titles, addresses, units, initials and list markers: never a sentence end.
    NEVER_FINAL = 2
    # dll., dkk., Tbk.: a sentence end only before a capitalised word.
    PHRASE_FINAL = 3
    # hal.: never a sentence end before a number, a word otherwise.
    BEFORE_NUMBER = 4


def _first_significant(following: str) -> str:
    """The first character after the openers that start ``following``."""
    for char in following:
        if char not in _OPENERS:
            return char
    return ""


def _kind(token: str, at_start: bool) -> _Kind:
    """Classify the word before a single full stop."""
    whole = token.lstrip(_OPENERS).rstrip(_CLOSERS)
    if at_start and _ENUMERATOR.fullmatch(whole):
        return _Kind.NEVER_FINAL
    # In "RT/RW." or "05/RW." the abbreviation is the part after the slash.
    word = whole.rsplit("/", 1)[-1]
    lower = word.lower()
    if lower in PHRASE_FINAL or lower.replace(".", "") in PHRASE_FINAL:
        return _Kind.PHRASE_FINAL
    if (
        lower in NEVER_FINAL
        or word in NEVER_FINAL_EXACT
        or _INITIALS.fullmatch(word)
        or _DOTTED.fullmatch(word)
    ):
        return _Kind.NEVER_FINAL
    if lower in BEFORE_NUMBER:
        return _Kind.BEFORE_NUMBER
    return _Kind.WORD


def is_hard_wrapped(text: str) -> bool:
    """Whether ``text`` wraps its paragraphs over several lines.

    Line-based texts (news, the seed article) end a line without final
    punctuation only at a headline, before a capitalised line. Hard-wrapped
    texts end most lines mid-sentence, and in Indonesian the next line then
    mostly starts with a lower-case word.
    """
    open_ends = soft = 0
    for match in _SINGLE_BREAK.finditer(text):
        end = text[match.start() - 1] if match.start() else " "
        if end.isspace() or end in _TERMINALS or end in _CLOSERS:
            continue
        open_ends += 1
        soft += _first_significant(match["next"]).islower()
    # One or two soft wraps in a line-based text (a broken line) must not
    # merge its headlines with the sentences after them.
    return soft >= 3 and 2 * soft >= open_ends


def _is_boundary(text: str, start: int, end: int, segment_start: int, wrapped: bool) -> bool:
    """Decide whether the whitespace ``text[start:end]`` separates segments."""
    breaks = len(_LINE_BREAK.findall(text, start, end))
    if breaks >= 2:
        return True
    if wrapped:
        breaks = 0
    window = text[max(segment_start, start - 80) : start].split()
    last = window[-1] if window else ""
    parts = _LAST_WORD.fullmatch(last)
    assert parts is not None  # every part of the pattern may be empty
    nxt = _first_significant(text[end : end + 8])
    lower_next = nxt.islower()
    term, close = parts["term"], parts["close"]
    if not term:
        # Only a line break can end a line without final punctuation; it
        # does unless the next line carries on in lower case (a soft wrap).
        return breaks == 1 and not lower_next
    if term == "." and not close and parts["token"]:
        kind = _kind(parts["token"], at_start=start - len(last) == segment_start)
    elif (
        term == "."
        and close
        and not close.strip(")]")
        and parts["token"][:1] in "(["
        and _kind(parts["token"], at_start=False) is _Kind.NEVER_FINAL
    ):
        # A bracketed abbreviation inside a name: "Letjen. TNI (Purn.) Sutiyoso".
        kind = _Kind.NEVER_FINAL
    else:
        # ?, !, an ellipsis, a stop after a space, or a quote or bracket that
        # closes after the stop: no abbreviation is involved.
        kind = _Kind.WORD
    if breaks == 1:
        # A stop at the end of a line ends the sentence unless a wrapped
        # title ("Jl.\nSudirman") or phrase ("dll.\nyang") goes on.
        if kind is _Kind.NEVER_FINAL:
            return False
        return not (kind is _Kind.PHRASE_FINAL and lower_next)
    if lower_next or nxt in ",;:.?!…":
        return False
    if kind is _Kind.NEVER_FINAL or (kind is _Kind.BEFORE_NUMBER and nxt.isdigit()):
        return False
    if kind is _Kind.PHRASE_FINAL:
        return nxt.isupper()
    return True


def iter_boundaries(text: str, wrapped: bool | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each whitespace run that separates segments.

    Leading and trailing whitespace of the whole text is not yielded.
    ``wrapped`` says whether single line breaks are soft; by default
    :func:`is_hard_wrapped` decides.
    """
    if wrapped is None:
        wrapped = is_hard_wrapped(text)
    stripped_start = len(text) - len(text.lstrip())
    stripped_end = len(text.rstrip())
    segment_start = stripped_start
    for match in _CANDIDATE.finditer(text, stripped_start, stripped_end):
        group = 1 if match.group(1) is not None else 2
        start, end = match.span(group)
        if _is_boundary(text, start, end, segment_start, wrapped):
            yield start, end
            segment_start = end


def segment_text(text: str) -> SegmentedText:
    """Split an Indonesian text into sentences, losslessly.

    Returns the whitespace before the first sentence as ``prefix`` and one
    :class:`SourceSpan` per sentence, with the whitespace that follows it as
    ``trailing``. ``paragraph`` starts at 0 and grows by one after every
    segment whose trailing whitespace holds a line break (in a hard-wrapped
    text: a blank line). A text of only whitespace gives no spans.
    """
    stripped_start = len(text) - len(text.lstrip())
    prefix = text[:stripped_start]
    if stripped_start == len(text):
        return SegmentedText(prefix=prefix, spans=())
    spans: list[SourceSpan] = []
    paragraph = 0
    position = stripped_start
    stripped_end = len(text.rstrip())
    wrapped = is_hard_wrapped(text)
    breaks_per_paragraph = 2 if wrapped else 1
    for start, end in iter_boundaries(text, wrapped):
        trailing = text[start:end]
        spans.append(SourceSpan(text[position:start], trailing, paragraph))
        if len(_LINE_BREAK.findall(trailing)) >= breaks_per_paragraph:
            paragraph += 1
        position = end
    spans.append(SourceSpan(text[position:stripped_end], text[stripped_end:], paragraph))
    return SegmentedText(prefix=prefix, spans=tuple(spans))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` without their surrounding whitespace."""
    return [span.source for span in segment_text(text).spans]
