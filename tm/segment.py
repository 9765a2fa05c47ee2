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
  a lower-case letter, or the word before it is an abbreviation. Abbreviations
  come in two kinds: titles, addresses and units (``Bpk.``, ``Jl.``, ``Rp.``)
  never end a sentence; phrase-final ones (``dll.``, ``dkk.``, ``Tbk.``) end
  one when a capitalised word follows. A single capital letter (``B.J.
  Habibie``) is an initial. ``?`` and ``!`` end a sentence unless a
  lower-case word follows; quotes and brackets that close after the stop
  belong to the sentence they close.
* Numbers never hold a candidate boundary (``13.924``, ``10.30``, ``2,3``)
  because a boundary needs whitespace after the stop.

Segments never start or end with whitespace: whitespace before the first
segment is the text's ``prefix`` and whitespace after each segment is its
``trailing``, so ``SegmentedText.join()`` gives back the input exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum

from tm.models import SegmentedText, SourceSpan


def _words(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words of ``text``."""
    return frozenset(text.split())


# Abbreviations that never end a sentence: titles before names, address
# parts and units before numbers. Compared in lower case.
NEVER_FINAL: frozenset[str] = _words(
    """
    bpk bp sdr sdri yth tn ny nn mr mrs ms
    prof dr drs dra drg ir lc hj ust pdt st
    jend letjen mayjen brigjen letkol kapt komjen irjen kombes laksda marsda
    jl jln gg no kel kec kab prov prop ds kp kav lt komp blk
    rp hlm vol tel telp ext pk tgl ttd
    pt cv vs mis ca cf
    yg dgn utk kpd krn sbg spt
    """
)

# Abbreviations that never end a sentence but are also Indonesian words in
# lower case ("kol" is cabbage): they count only with this exact spelling.
NEVER_FINAL_EXACT: frozenset[str] = frozenset({"Kol", "Gen"})

# Abbreviations that often close a phrase and may end a sentence: a boundary
# after them needs a capitalised word next. Compared in lower case.
PHRASE_FINAL: frozenset[str] = _words(
    """
    dll dsb dst dkk tsb sbb ybs tbk etc al
    inc ltd co corp bros jr sr
    rt rw
    jan feb mar apr jun jul agu ags agt aug sep sept okt oct nov des dec
    """
)

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
    if kind is _Kind.NEVER_FINAL:
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
