"""Translate a stored document: memory first, then the MT cache, then MT.

For every segment that has no target and is not confirmed:

1. an exact or in-context memory match becomes a ``tm-exact`` draft (and,
   when asked, a fuzzy match at or above a threshold a ``tm-fuzzy`` draft);
2. a draft cached in the store for the same normalised source, model and
   generation settings is reused without calling the model;
3. the rest goes through the translator, each distinct source once, in
   batches sorted by length;
4. MT drafts have place names repaired from the glossary, and the repairs
   are recorded as segment flags.

Drafts are committed batch by batch, so a killed run loses at most the batch
in flight and a rerun picks up where it stopped (it only looks at segments
that still have no target).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tm.leverage import lookup_many
from tm.models import Match, MatchKind, Origin, Segment, Status
from tm.mt import Translator, Wish, cache_key, glossary_wish, nbest_flag, normalize_source
from tm.store import Store
from tm.terms import load_glossary

# Flags this module writes; a rerun replaces them instead of piling up.
FLAG_PREFIXES = ("glossary:", "mt-split:", "mt-nbest:")
DEFAULT_BATCH = 32


@dataclass(frozen=True, slots=True)
class TranslateSettings:
    """How a document is translated."""

    use_mt: bool = True
    # Fill segments with fuzzy memory matches at or above this score instead
    # of MT; None keeps to exact and in-context matches.
    fuzzy_threshold: int | None = None
    # Distinct sources per MT batch, which is also the unit of commit.
    batch_size: int = DEFAULT_BATCH
    use_glossary: bool = True


@dataclass(frozen=True, slots=True)
class TranslateSummary:
    """What a run did, for the closing report."""

    document_id: int
    segments: int
    skipped: int
    from_tm: int
    from_fuzzy: int
    from_mt: int
    from_cache: int
    left_new: int
    split: tuple[int, ...]
    glossary_repairs: int
    generate_calls: int
    seconds: float
    interrupted: bool
    mt_origin: str | None

    @property
    def filled(self) -> int:
        """Segments that got a draft in this run."""
        return self.from_tm + self.from_fuzzy + self.from_mt + self.from_cache


@dataclass
class _Counts:
    tm: int = 0
    fuzzy: int = 0
    mt: int = 0
    cache: int = 0
    repairs: int = 0
    split: list[int] = field(default_factory=list)


ProgressCallback = Callable[[int, int], None]


def _memory_matches(
    store: Store, segments: list[Segment], pending: list[Segment], threshold: int
) -> list[Match | None]:
    """The best memory match (or None) for each pending segment."""
    by_position = {s.position: s for s in segments}

    def neighbour(seg: Segment, step: int) -> str | None:
        other = by_position.get(seg.position + step)
        return other.source if other else None

    items = [(s.source, neighbour(s, -1), neighbour(s, 1)) for s in pending]
    found = lookup_many(store, items, threshold=threshold, limit=1)
    return [best[0] if best else None for best in found]


def _still_open(store: Store, segments: Sequence[Segment]) -> set[int]:
    """Ids of these segments that still have no target and are not confirmed.

    Read inside the write transaction: a review window may have confirmed a
    segment while the model was busy, and its work must never be overwritten.
    """
    ids = [s.id for s in segments]
    open_ids: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        open_ids.update(
            row[0]
            for row in store.conn.execute(
                f"SELECT id FROM segments WHERE id IN ({marks}) AND target IS NULL"
                " AND status IN ('new', 'draft')",
                chunk,
            )
        )
    return open_ids


def _merged_flags(old: Sequence[str], new: Sequence[str]) -> list[str]:
    kept = [f for f in old if not f.startswith(FLAG_PREFIXES)]
    return [*kept, *new]


def translate_document(
    store: Store,
    document_id: int,
    translator: Translator | None,
    *,
    settings: TranslateSettings | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TranslateSummary:
    """Fill the document's untranslated segments with drafts; see the module doc.

    ``translator`` may be None only when ``settings.use_mt`` is false.
    ``progress(done, total)`` is called after each committed step, counting
    the segments this run looks at. ``should_stop()`` is asked between
    batches; when it returns true the run ends after the batch in flight and
    the summary says ``interrupted``.
    """
    settings = settings or TranslateSettings()
    started = time.perf_counter()
    use_mt = settings.use_mt and translator is not None
    segments = store.segments(document_id)
    pending = [s for s in segments if s.target is None and not s.status.confirmed]
    total = len(pending)
    counts = _Counts()
    done = 0
    calls_before = translator.generate_calls if translator is not None else 0

    def report() -> None:
        if progress is not None:
            progress(done, total)

    report()
    # 1. The translation memory.
    threshold = settings.fuzzy_threshold if settings.fuzzy_threshold is not None else 100
    matches = _memory_matches(store, segments, pending, threshold)
    remaining: list[Segment] = []
    with store.atomic():
        still_open = _still_open(store, pending)
        for seg, match in zip(pending, matches, strict=True):
            if seg.id not in still_open:
                done += 1
                continue
            if match is None:
                remaining.append(seg)
                continue
            exact = match.kind in (MatchKind.EXACT, MatchKind.IN_CONTEXT)
            target, score = match.target, match.score
            if not exact and (settings.fuzzy_threshold is None or score < settings.fuzzy_threshold):
                remaining.append(seg)
                continue
            tm_origin = Origin.TM_EXACT if exact else Origin.TM_FUZZY
            store.update_segment(
                seg.id, target=target, status=Status.DRAFT, origin=str(tm_origin), match_score=score
            )
            if exact:
                counts.tm += 1
            else:
                counts.fuzzy += 1
            done += 1
    report()

    interrupted = False
    if use_mt and remaining:
        assert translator is not None
        glossary = load_glossary(store) if settings.use_glossary else None
        origin = translator.origin
        namespace = translator.cache_namespace
        settings_key = translator.settings_key
        groups: dict[str, list[Segment]] = {}
        for seg in remaining:
            groups.setdefault(normalize_source(seg.source), []).append(seg)
        # n-best: sources naming glossary places want a draft that names them
        # in English; such a draft is cached under its own key, the plain
        # first draft under the usual one (so the flag survives the cache).
        wishes: dict[str, Wish | None] = {
            text: glossary_wish(glossary, segs[0].source) if glossary is not None else None
            for text, segs in groups.items()
        }
        plain = {text: cache_key(namespace, settings_key, text) for text in groups}
        keys = {
            text: cache_key(namespace, settings_key, text, w.key) if w else plain[text]
            for text, w in wishes.items()
        }
        nbest: set[str] = set()

        def store_drafts(results: dict[str, tuple[str, int]], *, cached: bool) -> None:
            nonlocal done
            # An empty output is no draft: the segment stays new, uncached.
            empty = [text for text, (target, _) in results.items() if not target.strip()]
            done += sum(len(groups[text]) for text in empty)
            results = {text: out for text, out in results.items() if text not in empty}
            with store.atomic():
                if not cached:
                    store.mt_cache_put(
                        (keys[text], text, target, origin, settings_key)
                        for text, (target, _) in results.items()
                    )
                    store.mt_cache_put(
                        (plain[text], text, firsts[text], origin, settings_key)
                        for text in results
                        if text in firsts
                    )
                still_open = _still_open(store, [s for t in results for s in groups[t]])
                for text, (target, parts) in results.items():
                    for seg in groups[text]:
                        if seg.id not in still_open:
                            done += 1
                            continue
                        draft, flags = target, []
                        if parts > 1:
                            flags.append(f"mt-split: translated in {parts} parts (too long)")
                            counts.split.append(seg.position)
                        wish = wishes[text]
                        if text in nbest and wish is not None:
                            flags.append(nbest_flag(wish))
                        if glossary is not None and draft:
                            draft, repairs = glossary.repair(seg.source, draft)
                            flags.extend(r.describe() for r in repairs)
                            counts.repairs += len(repairs)
                        store.update_segment(
                            seg.id,
                            target=draft,
                            status=Status.DRAFT,
                            origin=origin,
                            flags=_merged_flags(seg.flags, flags),
                        )
                        done += 1
                        if cached:
                            counts.cache += 1
                        else:
                            counts.mt += 1
            report()

        # 2. The MT cache. Split segments are not cached as such, so a cached
        # draft counts as one part.
        hits = store.mt_cache_get([*keys.values(), *plain.values()])
        cached = {text: (hits[key], 1) for text, key in keys.items() if key in hits}
        nbest.update(
            text
            for text in cached
            if keys[text] != plain[text]
            and hits.get(plain[text], cached[text][0]) != cached[text][0]
        )
        firsts: dict[str, str] = {}
        if cached:
            store_drafts(cached, cached=True)
        # 3. MT for the rest, longest first, one commit per batch.
        todo = sorted((t for t in groups if t not in cached), key=len, reverse=True)
        size = max(settings.batch_size, 1)
        for start in range(0, len(todo), size):
            if should_stop is not None and should_stop():
                interrupted = True
                break
            batch = todo[start : start + size]
            found = translator.translate_detailed(
                batch, checks=[w.check if (w := wishes[t]) else None for t in batch]
            )
            for text, out in zip(batch, found, strict=True):
                if out.first is not None:
                    firsts[text] = out.first
                    nbest.add(text)
            outputs = [(o.target, o.parts) for o in found]
            store_drafts(dict(zip(batch, outputs, strict=True)), cached=False)

    left_new = sum(
        1 for s in store.segments(document_id) if s.target is None and not s.status.confirmed
    )
    return TranslateSummary(
        document_id=document_id,
        segments=len(segments),
        skipped=len(segments) - total,
        from_tm=counts.tm,
        from_fuzzy=counts.fuzzy,
        from_mt=counts.mt,
        from_cache=counts.cache,
        left_new=left_new,
        split=tuple(sorted(counts.split)),
        glossary_repairs=counts.repairs,
        generate_calls=(translator.generate_calls if translator is not None else 0) - calls_before,
        seconds=time.perf_counter() - started,
        interrupted=interrupted,
        mt_origin=translator.origin if use_mt and translator is not None else None,
    )
