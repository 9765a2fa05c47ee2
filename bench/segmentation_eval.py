"""How well `tm.segment` finds Indonesian sentence boundaries in real news.

The data is ../shared/data/news-valid.id: one sentence (or headline) per
line, mostly. The evaluation rebuilds articles from it the way they appear
in the wild: 3 to 6 consecutive lines joined by a space make a paragraph (a
random choice with a fixed seed), and a line without sentence-final
punctuation is a headline that stays a paragraph of its own. Paragraphs are
joined by a line break. Every segmenter then sees the same paragraphs.

Figures (pooled over several seeds):

* recall: the share of line boundaries inside a paragraph (where lines were
  joined by a space) that the segmenter finds;
* false splits: the share of one-sentence lines that the segmenter splits;
* lines that hold several sentences (quotes, two short sentences) are listed
  apart: a split inside them is right, and how many of their inner sentence
  boundaries each segmenter finds is reported separately.

Targets (issue 2): recall >= 0.995, false splits in at most 0.5% of lines.

    python bench/segmentation_eval.py [--data PATH] [--seeds 5] [--out PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tm.segment import segment_text, split_sentences  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "news-valid.id"
TRAPS_FILE = REPO / "tests" / "tm" / "test_segment_traps.py"
# The segmenter before issue 15 (the hand list alone), for the traps table.
BEFORE_REF = "5c487e2"
RESULTS = REPO / "bench" / "results" / "segmentation.md"

_FINAL = re.compile(r"[.?!…][\"'”’)\]]*$")
# A broad detector of sentence boundaries inside a line: terminal
# punctuation, closing quotes or brackets, whitespace, then anything but a
# lower-case word. It knows no abbreviations, so it over-detects if anything;
# every line it finds in news-valid.id was read by hand (below).
_INNER = re.compile(r"[.?!…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^a-z\s])")
# Lines (1-based) that the detector flags in news-valid.id, each read by
# hand and found to hold two or more sentences.
REVIEWED_MULTI = frozenset(
    {1, 95, 165, 207, 249, 264, 291, 358, 428, 466, 545, 650, 664, 713, 756, 806, 875}
    | {1007, 1022, 1036, 1053, 1078, 1219, 1289, 1328, 1353, 1358, 1434, 1477, 1551}
    | {1589, 1710, 1736}
)

# The news data writes Jl, Rp, No and Dr without a full stop; many
# publishers write them with one. The second run adds it, to put the
# abbreviation rules (and the other segmenters) to the test on real text.
_DOTTABLE = re.compile(r"\b(Jl|Rp|No|Dr)(?= )")

Segmenter = Callable[[str], list[int]]


@dataclass
class Paragraph:
    """A paragraph built from consecutive lines, with their offsets."""

    text: str
    lines: list[tuple[int, int, int]]  # (line number, start, end)


@dataclass
class Tally:
    """Counts for one segmenter."""

    boundaries: int = 0
    found: int = 0
    single_lines: int = 0
    falsely_split: int = 0
    inner_expected: int = 0
    inner_found: int = 0
    # Misses where the segmenter split one character late: it left the
    # opening quote of a sentence at the end of the sentence before.
    quote_late: int = 0
    false_examples: dict[int, str] = field(default_factory=dict)
    missed_examples: dict[int, str] = field(default_factory=dict)


def build_paragraphs(lines: list[str], seed: int) -> list[Paragraph]:
    """Join runs of 3-6 lines; headlines stay alone."""
    rng = random.Random(seed)
    paragraphs: list[Paragraph] = []
    i = 0
    while i < len(lines):
        if not _FINAL.search(lines[i]):
            paragraphs.append(Paragraph(lines[i], [(i + 1, 0, len(lines[i]))]))
            i += 1
            continue
        want = rng.randint(3, 6)
        parts: list[str] = []
        spans: list[tuple[int, int, int]] = []
        offset = 0
        while i < len(lines) and len(parts) < want and _FINAL.search(lines[i]):
            parts.append(lines[i])
            spans.append((i + 1, offset, offset + len(lines[i])))
            offset += len(lines[i]) + 1
            i += 1
        paragraphs.append(Paragraph(" ".join(parts), spans))
    return paragraphs


def starts_from_sentences(text: str, sentences: list[str]) -> list[int]:
    """Character offsets where each sentence after the first starts."""
    starts, position = [], 0
    for sentence in sentences:
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, position)
        if found < 0:
            raise ValueError(f"segmenter changed the text near {piece[:40]!r}")
        starts.append(found)
        position = found + len(piece)
    return starts[1:]


def ours(text: str) -> list[int]:
    """Sentence starts from tm.segment."""
    result = segment_text(text)
    starts, position = [], len(result.prefix)
    for span in result.spans:
        starts.append(position)
        position += len(span.source) + len(span.trailing)
    return starts[1:]


def sentencex_segmenter() -> Segmenter | None:
    """sentencex with its Indonesian setting (English fallback rules)."""
    try:
        from sentencex import segment
    except ImportError:
        return None
    return lambda text: starts_from_sentences(text, list(segment("id", text)))


def spacy_segmenter() -> Segmenter | None:
    """spaCy's blank Indonesian pipeline with the rule-based sentencizer."""
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    return lambda text: [sent.start_char for sent in nlp(text).sents][1:]


def evaluate(
    segmenter: Segmenter, paragraphs: list[Paragraph], multi: dict[int, set[int]], tally: Tally
) -> None:
    """Add one segmenter's results on ``paragraphs`` to ``tally``.

    ``multi`` maps the numbers of lines that hold several sentences to the
    offsets, inside the line, where their inner sentences start.
    """
    for paragraph in paragraphs:
        predicted = set(segmenter(paragraph.text))
        for index, (number, start, end) in enumerate(paragraph.lines):
            if index:
                tally.boundaries += 1
                if start in predicted:
                    tally.found += 1
                else:
                    if start + 1 in predicted and paragraph.text[start] in "\"'“‘":
                        tally.quote_late += 1
                    if len(tally.missed_examples) < 8:
                        tally.missed_examples[number] = paragraph.text[start : start + 70]
            line = paragraph.text[start:end]
            inside = {p - start for p in predicted if start < p < end}
            if number in multi:
                expected = multi[number]
                tally.inner_expected += len(expected)
                tally.inner_found += len(expected & inside)
                continue
            tally.single_lines += 1
            if inside:
                tally.falsely_split += 1
                if len(tally.false_examples) < 8:
                    cut = min(inside)
                    tally.false_examples[number] = f"{line[:cut]} ‖ {line[cut:]}"[:160]


def speed(lines: list[str]) -> tuple[float, int]:
    """Sentences per second of segment_text on the whole corpus as one text."""
    text = "\n".join(lines)
    rounds, sentences, elapsed = 0, 0, 0.0
    while elapsed < 1.0:
        t0 = time.perf_counter()
        sentences = len(segment_text(text).spans)
        elapsed += time.perf_counter() - t0
        rounds += 1
    return sentences * rounds / elapsed, sentences


def multi_sentence_lines(lines: list[str]) -> dict[int, set[int]]:
    """Lines with several sentences, and where their inner sentences start."""
    return {
        number: {m.end() for m in _INNER.finditer(line)}
        for number, line in enumerate(lines, 1)
        if number in REVIEWED_MULTI or _INNER.search(line)
    }


def add_full_stops(
    lines: list[str], multi: dict[int, set[int]]
) -> tuple[list[str], dict[int, set[int]]]:
    """Write Jl, Rp, No, Dr with a full stop; move the inner starts along."""
    dotted, moved = [], {}
    for number, line in enumerate(lines, 1):
        inserted = [m.end() for m in _DOTTABLE.finditer(line)]
        dotted.append(_DOTTABLE.sub(r"\1.", line))
        if number in multi:
            moved[number] = {o + sum(1 for i in inserted if i < o) for o in multi[number]}
    return dotted, moved


def run(
    lines: list[str], multi: dict[int, set[int]], segmenters: dict[str, Segmenter], seeds: int
) -> dict[str, Tally]:
    """Evaluate every segmenter on the paragraphs of every seed."""
    tallies = {name: Tally() for name in segmenters}
    for seed in range(1, seeds + 1):
        paragraphs = build_paragraphs(lines, seed)
        for name, segmenter in segmenters.items():
            evaluate(segmenter, paragraphs, multi, tallies[name])
    return tallies


def _load_module(
    name: str, path: Path | None = None, source: str | None = None
) -> types.ModuleType:
    """A module from a file, or from source text."""
    if source is not None:
        module = types.ModuleType(name)
        exec(compile(source, name, "exec"), module.__dict__)
        return module
    assert path is not None
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def traps_table() -> list[str]:
    """The hand-written trap sentences (issue 15), before and after, per category."""
    traps = _load_module("segment_traps", TRAPS_FILE).TRAPS
    splitters: dict[str, Callable[[str], list[str]]] = {}
    try:
        old = subprocess.run(
            ["git", "show", f"{BEFORE_REF}:tm/segment.py"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        splitters[f"before (hand list, {BEFORE_REF})"] = _load_module(
            "segment_before", source=old
        ).split_sentences
    except (OSError, subprocess.CalledProcessError):
        pass
    splitters["after (curated + learned list)"] = split_sentences
    categories = sorted({c for c, _, _ in traps})
    out = [
        f"### Trap sentences ({len(traps)}, hand-written, `tests/tm/test_segment_traps.py`)\n",
        "| segmenter | " + " | ".join(categories) + " | all |",
        "|---|" + "---|" * (len(categories) + 1),
    ]
    failures: dict[str, list[str]] = {}
    for name, split in splitters.items():
        right = {c: 0 for c in categories}
        for category, text, expected in traps:
            if split(text) == expected:
                right[category] += 1
            else:
                failures.setdefault(name, []).append(text)
        totals = {c: sum(1 for t in traps if t[0] == c) for c in categories}
        cells = [f"{right[c]}/{totals[c]}" for c in categories]
        out.append(f"| {name} | " + " | ".join(cells) + f" | {sum(right.values())}/{len(traps)} |")
    for name, texts in failures.items():
        out.append(f"\nWrong with {name}: " + "; ".join(f"`{t}`" for t in texts[:40]))
    return out


def table(tallies: dict[str, Tally]) -> list[str]:
    """A markdown table of the figures, targets beside ours."""
    out = [
        "| segmenter | recall of line boundaries | target | one-sentence lines falsely split "
        "| target | inner boundaries of multi-sentence lines found |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in tallies.items():
        recall = t.found / t.boundaries
        false_rate = t.falsely_split / t.single_lines
        target = name == "tm.segment"
        out.append(
            f"| {name} | {recall:.4f} ({t.found}/{t.boundaries}) | "
            f"{'>= 0.995' if target else ''} | {false_rate:.2%} "
            f"({t.falsely_split}/{t.single_lines}) | {'<= 0.5%' if target else ''} | "
            f"{t.inner_found}/{t.inner_expected} |"
        )
    late = [f"{name}: {t.quote_late}" for name, t in tallies.items() if t.quote_late]
    if late:
        out.append(
            "\nMisses that are a split one character late, leaving a sentence's opening "
            f"quote at the end of the sentence before: {'; '.join(late)}."
        )
    return out


def examples(tallies: dict[str, Tally]) -> list[str]:
    """A few missed boundaries and false splits of each segmenter."""
    out: list[str] = []
    for name, t in tallies.items():
        if t.missed_examples or t.false_examples:
            out.append(f"\n#### {name} (line numbers in news-valid.id)\n")
            out.extend(
                f"- missed boundary before line {n}: `{s}`" for n, s in t.missed_examples.items()
            )
            out.extend(f"- false split in line {n}: `{s}`" for n, s in t.false_examples.items())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    lines = args.data.read_text(encoding="utf-8").splitlines()
    headlines = sum(1 for line in lines if not _FINAL.search(line))
    multi = multi_sentence_lines(lines)
    unreviewed = sorted(set(multi) - REVIEWED_MULTI)

    segmenters: dict[str, Segmenter] = {"tm.segment": ours}
    for name, factory in (
        ("sentencex (id)", sentencex_segmenter),
        ("spaCy blank('id') + sentencizer", spacy_segmenter),
    ):
        built = factory()
        if built is not None:
            segmenters[name] = built
    plain = run(lines, multi, segmenters, args.seeds)
    dotted_lines, dotted_multi = add_full_stops(lines, multi)
    dotted_count = sum(len(_DOTTABLE.findall(line)) for line in lines)
    dotted = run(dotted_lines, dotted_multi, segmenters, args.seeds)

    # The whole document at once must give the same boundaries as paragraph
    # by paragraph: line breaks end paragraphs.
    paragraphs = build_paragraphs(lines, 1)
    whole = "\n".join(p.text for p in paragraphs)
    per_paragraph = sum(len(segment_text(p.text).spans) for p in paragraphs)
    consistent = len(segment_text(whole).spans) == per_paragraph
    rate, sentences = speed(lines)

    out = ["## Sentence segmentation on real Indonesian news\n"]
    out.append(
        f"Data: `news-valid.id`, {len(lines)} lines, {headlines} headlines "
        f"({headlines / len(lines):.1%}) kept as their own paragraphs, other lines joined "
        f"3-6 per paragraph by a space, {args.seeds} seeds pooled "
        "(`python bench/segmentation_eval.py`). "
        f"Lines holding several sentences: {len(multi)} ({len(multi) / len(lines):.1%}), "
        "each read by hand and counted apart (a split inside them is right).\n"
    )
    out.extend(table(plain))
    out.append(
        f"\n### The same data with Jl. Rp. No. Dr. written with a full stop "
        f"({dotted_count} abbreviations)\n"
    )
    out.extend(table(dotted))
    out.append("")
    out.append(
        f"Speed of `segment_text`: {rate:,.0f} sentences/s "
        f"({sentences} sentences: the corpus as one text, one core)."
    )
    out.append(
        "Whole document at once gives the same segments as paragraph by paragraph: "
        f"{'yes' if consistent else 'NO'}."
    )
    if unreviewed:
        out.append(f"Lines flagged as multi-sentence but not reviewed by hand: {unreviewed}.")
    out.append("")
    out.extend(traps_table())
    out.append("\n### Examples of errors\n\nPlain data:")
    out.extend(examples(plain))
    out.append("\nWith full stops after abbreviations:")
    out.extend(examples(dotted))
    report = "\n".join(out) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
