"""translate_document on a real store with the tiny real MarianMT."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import ENGINE_NAMES
from tm.models import Document, Status, TranslationUnit
from tm.mt import MtOutput, SimpleTranslator, load_translator
from tm.pipeline import TranslateSettings, translate_document
from tm.segment import segment_text
from tm.store import Store

TEXT = (
    "Ia dilarikan ke rumah sakit. Seorang menteri Suriah bergabung dengan oposisi.\n\n"
    "Letusan itu adalah yang pertama dalam waktu 115 tahun. Ia dilarikan ke rumah sakit.\n\n"
    "Maskapai nasional Aeroflot juga akan dijual. Warga Papanggo akan dievakuasi.\n"
)
SOURCES = [
    "Ia dilarikan ke rumah sakit.",
    "Seorang menteri Suriah bergabung dengan oposisi.",
    "Letusan itu adalah yang pertama dalam waktu 115 tahun.",
    "Ia dilarikan ke rumah sakit.",
    "Maskapai nasional Aeroflot juga akan dijual.",
    "Warga Papanggo akan dievakuasi.",
]
DISTINCT = len(set(SOURCES))


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine(request: pytest.FixtureRequest, tiny_model_dir: Path, tiny_converted):
    """One MT call per distinct source (batch size 1), to count them; each engine."""
    return load_translator(
        str(tiny_model_dir), engine=request.param, device="cpu", threads=1, batch_size=1
    )


def add(store: Store, text: str = TEXT, name: str = "article.txt") -> Document:
    segmented = segment_text(text)
    sha = hashlib.sha256(text.encode()).hexdigest()
    return store.add_document(name, segmented, sha256=sha)


def run(store: Store, doc: Document, translator, **settings) -> object:
    return translate_document(
        store, doc.id, translator, settings=TranslateSettings(batch_size=1, **settings)
    )


def test_every_segment_gets_its_own_draft_in_order(store: Store, engine) -> None:
    doc = add(store)
    assert [s.source for s in store.segments(doc.id)] == SOURCES
    # Without the glossary: the drafts are the engine's own output.
    summary = run(store, doc, engine, use_glossary=False)
    segments = store.segments(doc.id)
    expected = {s: engine.translate([s])[0] for s in set(SOURCES)}
    assert [s.target for s in segments] == [expected[s] for s in SOURCES]
    assert {s.status for s in segments} == {Status.DRAFT}
    assert {s.origin for s in segments} == {engine.origin}
    assert engine.origin.startswith("mt:")
    assert summary.from_mt == len(SOURCES)
    assert summary.left_new == 0
    assert not summary.interrupted


def test_repetitions_are_translated_once(store: Store, engine) -> None:
    doc = add(store)
    summary = run(store, doc, engine)
    assert summary.generate_calls == DISTINCT
    first, _, _, again, _, _ = store.segments(doc.id)
    assert first.target == again.target


def test_second_run_is_served_from_the_mt_cache(store: Store, engine) -> None:
    doc = add(store)
    first = run(store, doc, engine)
    drafts = [s.target for s in store.segments(doc.id)]
    store.delete_document(doc.id)
    doc = add(store)
    second = run(store, doc, engine)
    assert first.generate_calls == DISTINCT
    assert second.generate_calls == 0
    assert second.from_cache == len(SOURCES)
    assert [s.target for s in store.segments(doc.id)] == drafts


def test_the_cache_is_keyed_by_generation_settings(
    store: Store, engine, tiny_model_dir: Path
) -> None:
    run(store, add(store), engine)
    greedy = load_translator(
        str(tiny_model_dir), engine=engine.engine, device="cpu", threads=1, beams=1, batch_size=1
    )
    summary = run(store, add(store, name="again.txt"), greedy)
    assert summary.from_cache == 0
    assert summary.generate_calls == DISTINCT


def test_memory_matches_come_first(store: Store, engine) -> None:
    store.add_unit(TranslationUnit(source=SOURCES[1], target="A Syrian minister defects."))
    store.add_unit(
        TranslationUnit(
            source=SOURCES[2],
            target="The eruption was the first in 115 years.",
            context_prev=SOURCES[1],
            context_next=SOURCES[3],
        )
    )
    doc = add(store)
    summary = run(store, doc, engine)
    segments = store.segments(doc.id)
    assert (segments[1].target, segments[1].origin, segments[1].match_score) == (
        "A Syrian minister defects.",
        "tm-exact",
        100,
    )
    assert (segments[2].origin, segments[2].match_score) == ("tm-exact", 101)
    assert summary.from_tm == 2
    assert summary.from_mt == 4
    assert summary.generate_calls == DISTINCT - 2


def test_no_mt_fills_from_memory_only(store: Store) -> None:
    store.add_unit(TranslationUnit(source=SOURCES[0], target="He was rushed to hospital."))
    doc = add(store)
    summary = translate_document(store, doc.id, None, settings=TranslateSettings(use_mt=False))
    segments = store.segments(doc.id)
    assert [s.status for s in segments] == [
        Status.DRAFT, Status.NEW, Status.NEW, Status.DRAFT, Status.NEW, Status.NEW
    ]  # fmt: skip
    assert segments[0].target == segments[3].target == "He was rushed to hospital."
    assert (summary.from_tm, summary.from_mt, summary.left_new) == (2, 0, 4)


def test_fuzzy_threshold_fills_close_matches(store: Store, engine) -> None:
    store.add_unit(
        TranslationUnit(source="Maskapai nasional Aeroflot juga akan dijual besok.", target="X.")
    )
    doc = add(store)
    without = run(store, doc, engine)
    assert without.from_fuzzy == 0
    store.delete_document(doc.id)
    doc = add(store)
    summary = run(store, doc, engine, fuzzy_threshold=75)
    fifth = store.segments(doc.id)[4]
    assert fifth.origin == "tm-fuzzy"
    assert 75 <= (fifth.match_score or 0) < 100
    assert summary.from_fuzzy == 1


def test_confirmed_and_drafted_segments_are_left_alone(store: Store, engine) -> None:
    doc = add(store)
    segments = store.segments(doc.id)
    store.confirm_segment(segments[1].id, "Confirmed by a person.")
    store.update_segment(segments[5].id, target="Earlier draft.", status=Status.DRAFT, origin="mt")
    summary = run(store, doc, engine)
    after = store.segments(doc.id)
    assert after[1].target == "Confirmed by a person."
    assert after[1].status is Status.TRANSLATED
    assert after[5].target == "Earlier draft."
    assert summary.skipped == 2


def test_stop_after_a_batch_and_resume_without_duplicates(store: Store, engine) -> None:
    doc = add(store)
    answers = iter([False, True])
    first = translate_document(
        store,
        doc.id,
        engine,
        settings=TranslateSettings(batch_size=1),
        should_stop=lambda: next(answers, True),
    )
    assert first.interrupted
    assert first.generate_calls == 1
    assert 0 < sum(s.target is not None for s in store.segments(doc.id)) < len(SOURCES)
    second = run(store, doc, engine)
    assert not second.interrupted
    assert second.generate_calls == DISTINCT - 1
    segments = store.segments(doc.id)
    assert len(segments) == len(SOURCES)
    assert all(s.target for s in segments)
    assert store.conn.execute("SELECT count(*) FROM mt_cache").fetchone()[0] == DISTINCT


def test_progress_reports_every_segment(store: Store, engine) -> None:
    doc = add(store)
    seen: list[tuple[int, int]] = []
    translate_document(
        store,
        doc.id,
        engine,
        settings=TranslateSettings(batch_size=2),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, len(SOURCES))
    assert seen[-1] == (len(SOURCES), len(SOURCES))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_over_long_segments_are_split_and_flagged(store: Store, engine) -> None:
    from tests.tm.test_mt import LONG

    doc = add(store, f"Ia dilarikan ke rumah sakit. {LONG}\n")
    summary = run(store, doc, engine)
    assert summary.split == (1,)
    flagged = store.segments(doc.id)[1]
    assert any(f.startswith("mt-split:") for f in flagged.flags)
    assert flagged.target


class CopyTranslator(SimpleTranslator):
    """A translator that returns its input, so glossary repairs are visible."""

    model_id = "copy"

    def translate(self, sources: Sequence[str]) -> list[str]:
        return list(sources)

    def translate_detailed(self, sources: Sequence[str]) -> list[MtOutput]:
        return [MtOutput(t) for t in self.translate(sources)]


def test_mt_drafts_get_place_names_repaired(store: Store) -> None:
    doc = add(store, "Lavrov tiba di Moskow kemarin.\n")
    summary = translate_document(store, doc.id, CopyTranslator())
    (segment,) = store.segments(doc.id)
    assert segment.target == "Lavrov tiba di Moscow kemarin."
    assert "glossary: Moskow → Moscow" in segment.flags
    assert segment.origin == "mt:copy"
    assert summary.glossary_repairs == 1


class ConfirmingTranslator(CopyTranslator):
    """Copies, while a review window (a second connection) confirms a segment."""

    def __init__(self, path: Path, segment_id: int):
        self.path = path
        self.segment_id = segment_id

    def translate(self, sources: Sequence[str]) -> list[str]:
        with Store(self.path) as other:
            other.confirm_segment(self.segment_id, "Confirmed meanwhile.")
        return list(sources)


def test_a_segment_confirmed_during_mt_is_not_overwritten(store: Store) -> None:
    doc = add(store)
    second = store.segments(doc.id)[1]
    translate_document(store, doc.id, ConfirmingTranslator(store.path, second.id))
    after = store.segments(doc.id)
    assert (after[1].target, after[1].status) == ("Confirmed meanwhile.", Status.TRANSLATED)
    assert after[0].target == SOURCES[0]


class SilentTranslator(CopyTranslator):
    """A model that returns nothing at all."""

    def translate(self, sources: Sequence[str]) -> list[str]:
        return ["" for _ in sources]


def test_empty_mt_output_leaves_the_segment_new_and_uncached(store: Store) -> None:
    doc = add(store)
    summary = translate_document(store, doc.id, SilentTranslator())
    assert {s.status for s in store.segments(doc.id)} == {Status.NEW}
    assert summary.left_new == len(SOURCES)
    assert store.conn.execute("SELECT count(*) FROM mt_cache").fetchone()[0] == 0


def test_reruns_replace_their_flags_instead_of_piling_them_up(store: Store) -> None:
    """Issue 10 rule 6: a rerun's glossary/mt-split flags replace the last run's."""
    doc = add(store, "Lavrov tiba di Moskow kemarin.\n")
    (segment,) = store.segments(doc.id)
    store.update_segment(
        segment.id, target=None, status=Status.NEW, origin=None, flags=["qa: checked by hand"]
    )
    for _ in range(3):
        translate_document(store, doc.id, CopyTranslator())
        (segment,) = store.segments(doc.id)
        # The translator clears the draft; the next run drafts it again.
        store.update_segment(segment.id, target=None, status=Status.NEW, origin=None)
    (segment,) = store.segments(doc.id)
    assert segment.flags == ("qa: checked by hand", "glossary: Moskow → Moscow")


def test_a_match_exactly_at_the_fuzzy_threshold_is_used(store: Store) -> None:
    """Issue 10 rule 7: --fuzzy-threshold N takes a match scoring exactly N."""
    from tm.leverage import lookup

    source = "Maskapai nasional Aeroflot juga akan dijual."
    store.add_unit(
        TranslationUnit(
            source="Maskapai nasional Aeroflot juga akan dijual besok.", target="Sold tomorrow."
        )
    )
    (match,) = lookup(store, source, threshold=50, limit=1)
    score = match.score
    assert 50 < score < 100
    doc = add(store, source + "\n")
    over = translate_document(
        store, doc.id, None, settings=TranslateSettings(use_mt=False, fuzzy_threshold=score + 1)
    )
    assert over.from_fuzzy == 0 and store.segments(doc.id)[0].status is Status.NEW
    at = translate_document(
        store, doc.id, None, settings=TranslateSettings(use_mt=False, fuzzy_threshold=score)
    )
    (segment,) = store.segments(doc.id)
    assert at.from_fuzzy == 1
    assert (segment.target, segment.origin, segment.match_score) == (
        "Sold tomorrow.",
        "tm-fuzzy",
        score,
    )
    assert (segment.draft_target, segment.draft_origin) == ("Sold tomorrow.", "tm-fuzzy")


def test_drafts_record_themselves_for_provenance(store: Store, engine) -> None:
    doc = add(store)
    run(store, doc, engine)
    for seg in store.segments(doc.id):
        assert (seg.draft_target, seg.draft_origin) == (seg.target, engine.origin)


def test_a_split_draft_from_the_cache_keeps_its_flag(store: Store, engine) -> None:
    from tests.tm.test_mt import LONG

    doc = add(store, f"{LONG}\n")
    run(store, doc, engine)
    store.delete_document(doc.id)
    doc = add(store, f"{LONG}\n")
    summary = run(store, doc, engine)
    assert (summary.from_cache, summary.split) == (1, (0,))
    (segment,) = store.segments(doc.id)
    assert any(f.startswith("mt-split:") for f in segment.flags)
class NbestTranslator(CopyTranslator):
    """Copies; when the copy fails the caller's check, offers Moskow → Moscow as hypothesis 3."""

    model_id = "nbest"

    def translate_detailed(self, sources, *, checks=None):
        from tm.mt import MtOutput

        outputs = []
        for source, check in zip(sources, checks or [None] * len(sources), strict=True):
            other = source.replace("Moskow", "Moscow")
            if check is not None and not check(source) and check(other):
                outputs.append(MtOutput(other, 1, 3, source))
            else:
                outputs.append(MtOutput(source))
        return outputs


def test_nbest_choice_is_flagged_cached_and_kept_apart(store: Store) -> None:
    text = "Lavrov tiba di Moskow kemarin.\n"
    doc = add(store, text)
    translate_document(store, doc.id, NbestTranslator())
    (segment,) = store.segments(doc.id)
    assert segment.target == "Lavrov tiba di Moscow kemarin."
    assert [f for f in segment.flags if f.startswith("mt-nbest:")] == [
        "mt-nbest: a lower-ranked MT hypothesis was taken; it names Moscow (the first did not)"
    ]
    assert not [f for f in segment.flags if f.startswith("glossary:")], "nothing left to repair"
    # From the cache, the same draft and the same flag.
    store.delete_document(doc.id)
    doc = add(store, text, name="again.txt")
    again = translate_document(store, doc.id, NbestTranslator())
    (cached,) = store.segments(doc.id)
    assert again.from_cache == 1
    assert (cached.target, cached.flags) == (segment.target, segment.flags)
    # Without the glossary, the plain first draft (also cached) and no n-best flag.
    store.delete_document(doc.id)
    doc = add(store, text, name="plain.txt")
    plain = translate_document(
        store, doc.id, NbestTranslator(), settings=TranslateSettings(use_glossary=False)
    )
    (first,) = store.segments(doc.id)
    assert plain.from_cache == 1
    assert first.target == "Lavrov tiba di Moskow kemarin."
    assert not [f for f in first.flags if f.startswith("mt-nbest:")]
