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
from typing import TYPE_CHECKING

from tm.leverage import lookup_many
from tm.models import Match, MatchKind, Origin, Segment, Status
from tm.mt import Translator, Wish, cache_key, glossary_wish, nbest_flag, normalize_source
from tm.store import Store
from tm.terms import load_glossary

if TYPE_CHECKING:
    from glossary import Glossary

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


@dataclass(frozen=True, slots=True)
class MtDraft:
    """One source's MT draft, as both `tm translate` and the review UI store it."""

    source: str
    target: str
    origin: str
    flags: tuple[str, ...]
    parts: int
    cached: bool
    repairs: int


def mt_cache_keys(translator: Translator, normalized: Sequence[str]) -> dict[str, str]:
    """The plain MT cache key of each normalised source for this engine and its settings."""
    namespace, settings_key = translator.cache_namespace, translator.settings_key
    return {text: cache_key(namespace, settings_key, text) for text in normalized}


@dataclass(frozen=True, slots=True)
class _DraftKeys:
    """Per normalised source: what its draft should name, and its cache keys.

    A source naming glossary places wants a draft that names them in English
    (n-best); such a draft is cached under its own key (``keys``), the
    engine's plain first draft under the usual one (``plain``), so the
    ``mt-nbest:`` flag survives the cache.
    """

    wishes: dict[str, Wish | None]
    keys: dict[str, str]
    plain: dict[str, str]


def _draft_keys(
    translator: Translator, glossary: Glossary | None, sources: dict[str, str]
) -> _DraftKeys:
    """``sources`` maps each normalised source to one of its raw forms."""
    namespace, settings_key = translator.cache_namespace, translator.settings_key
    wishes = {
        text: glossary_wish(glossary, raw) if glossary is not None else None
        for text, raw in sources.items()
    }
    plain = mt_cache_keys(translator, list(sources))
    keys = {
        text: cache_key(namespace, settings_key, text, w.key) if w else plain[text]
        for text, w in wishes.items()
    }
    return _DraftKeys(wishes, keys, plain)


def draft_segments(
    store: Store,
    translator: Translator,
    sources: Sequence[str],
    *,
    glossary: Glossary | None = None,
) -> list[MtDraft]:
    """MT drafts for these sources; new outputs are cached at once (see :func:`_drafts`)."""
    drafts, cache = _drafts(store, translator, sources, glossary=glossary)
    if cache.rows:
        with store.atomic():
            cache.write(store)
    return drafts


@dataclass(frozen=True, slots=True)
class _NewCacheRows:
    """MT outputs to cache: written in the same transaction as the drafts that use them."""

    rows: list[tuple[str, str, str, str, str]]
    parts: dict[str, int]

    def write(self, store: Store) -> None:
        if self.rows:
            store.mt_cache_put(self.rows, self.parts)


def _drafts(
    store: Store,
    translator: Translator,
    sources: Sequence[str],
    *,
    glossary: Glossary | None = None,
) -> tuple[list[MtDraft], _NewCacheRows]:
    """MT drafts for these sources: the one drafting path of `tm translate` and the UI.

    Each distinct normalised source is looked up in the MT cache (keyed by
    the engine's cache namespace and generation settings) and otherwise
    translated once, in one call to ``translator.translate_detailed``; new
    non-empty outputs come back as cache rows for the caller to write (with
    the drafts, in one transaction). A source naming glossary places asks the
    engine for the best hypothesis that names them in English (n-best),
    flagged ``mt-nbest:`` when it was not the first. Each draft then has its
    place names repaired from ``glossary`` (when given), and carries its
    flags: one per repair, and ``mt-split:`` when the source was translated
    in parts. The origin is the engine's ``mt:<model>@<revision>+<engine>``.
    Segments are not written: the caller stores the drafts (as drafts, with
    ``draft=(target, origin)`` for provenance).
    """
    normalized = [normalize_source(s) for s in sources]
    raw: dict[str, str] = {}
    for source, text in zip(sources, normalized, strict=True):
        raw.setdefault(text, source)
    found = _draft_keys(translator, glossary, raw)
    wishes, keys, plain = found.wishes, found.keys, found.plain
    entries = store.mt_cache_entries([*keys.values(), *plain.values()])
    hits = {key: target for key, (target, _) in entries.items()}
    outputs: dict[str, tuple[str, int, bool]] = {
        text: (*entries[key], True) for text, key in keys.items() if key in entries
    }
    # A cached wished-for draft that differs from the cached first draft was
    # a lower-ranked hypothesis.
    nbest = {
        text
        for text in outputs
        if keys[text] != plain[text] and hits.get(plain[text], outputs[text][0]) != outputs[text][0]
    }
    todo = [t for t in raw if t not in outputs]
    if todo:
        fresh = translator.translate_detailed(
            todo, checks=[w.check if (w := wishes[t]) else None for t in todo]
        )
        firsts: dict[str, str] = {}
        for text, out in zip(todo, fresh, strict=True):
            outputs[text] = (out.target, out.parts, False)
            if out.first is not None:
                firsts[text] = out.first
                nbest.add(text)
        origin, settings_key = translator.origin, translator.settings_key
        rows = [
            (keys[t], t, outputs[t][0], origin, settings_key) for t in todo if outputs[t][0].strip()
        ]
        rows.extend((plain[t], t, first, origin, settings_key) for t, first in firsts.items())
        new = _NewCacheRows(rows, {keys[t]: outputs[t][1] for t in todo if outputs[t][1] > 1})
    else:
        new = _NewCacheRows([], {})
    drafts = []
    for source, text in zip(sources, normalized, strict=True):
        target, parts, cached = outputs[text]
        flags: list[str] = []
        repairs = 0
        if parts > 1:
            flags.append(f"mt-split: translated in {parts} parts (too long)")
        wish = wishes[text]
        if text in nbest and wish is not None:
            flags.append(nbest_flag(wish))
        if glossary is not None and target.strip():
            target, fixed = glossary.repair(source, target)
            flags.extend(r.describe() for r in fixed)
            repairs = len(fixed)
        drafts.append(
            MtDraft(source, target, translator.origin, tuple(flags), parts, cached, repairs)
        )
    return drafts, new


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
                seg.id,
                target=target,
                status=Status.DRAFT,
                origin=str(tm_origin),
                match_score=score,
                draft=(target, str(tm_origin)),
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
        groups: dict[str, list[Segment]] = {}
        for seg in remaining:
            groups.setdefault(normalize_source(seg.source), []).append(seg)

        def store_drafts(texts: Sequence[str]) -> None:
            nonlocal done
            segs = [s for t in texts for s in groups[t]]
            drafts, cache = _drafts(store, translator, [s.source for s in segs], glossary=glossary)
            # The cache and the drafts commit together: a kill leaves neither.
            with store.atomic():
                cache.write(store)
                still_open = _still_open(store, segs)
                for seg, draft in zip(segs, drafts, strict=True):
                    done += 1
                    # An empty output is no draft: the segment stays new, uncached.
                    if seg.id not in still_open or not draft.target.strip():
                        continue
                    if draft.parts > 1:
                        counts.split.append(seg.position)
                    counts.repairs += draft.repairs
                    store.update_segment(
                        seg.id,
                        target=draft.target,
                        status=Status.DRAFT,
                        origin=draft.origin,
                        flags=_merged_flags(seg.flags, draft.flags),
                        draft=(draft.target, draft.origin),
                    )
                    if draft.cached:
                        counts.cache += 1
                    else:
                        counts.mt += 1
            report()

        # 2. The MT cache: every cached source at once, without the model.
        keys = _draft_keys(
            translator, glossary, {text: segs[0].source for text, segs in groups.items()}
        ).keys
        hits = store.mt_cache_get(list(keys.values()))
        cached = [text for text, key in keys.items() if key in hits]
        if cached:
            store_drafts(cached)
        # 3. MT for the rest, longest first, one commit per batch.
        todo = sorted((t for t in groups if keys[t] not in hits), key=len, reverse=True)
        size = max(settings.batch_size, 1)
        for start in range(0, len(todo), size):
            if should_stop is not None and should_stop():
                interrupted = True
                break
            store_drafts(todo[start : start + size])

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
