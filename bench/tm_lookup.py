"""Benchmark: TM lookup at 10k / 100k / 1M units, recall against brute force.

Memories are built from the real news sentences (news-valid.id):
- *planted* units: for 60% of the query sentences, 1-3 variants with 1..30%
  of their words substituted, deleted or inserted (true matches at ~70-99%);
- *background* units: chunks of 3-8 words spliced from random sentences, with
  20% of the words replaced by corpus words, some given Indonesian affixes
  (me-, di-, ber-, -kan, -nya…) and every number redrawn, so that the
  vocabulary grows with the memory as a real one does.

Queries are the original sentences. Recall is measured for every unit that
the scorer (tm.match.compare) puts at >= 70 against a brute force: rapidfuzz
over every unit (C-speed prefilter at 55), then the exact scorer.

Usage: python bench/tm_lookup.py [--sizes 10000,100000,1000000] [--queries 200]
Built stores are cached under bench/out/.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tm import leverage
from tm.match import compare, quick_words
from tm.models import TranslationUnit
from tm.rows import INSERT_UNIT, unit_row
from tm.store import Store

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news-valid"
OUT = Path(__file__).resolve().parent / "out"
PREFIXES = ["me", "mem", "men", "di", "ber", "ter", "pe", "pen", "ke", "se"]
SUFFIXES = ["kan", "an", "nya", "i", "lah"]
VERSION = 4


def load() -> tuple[list[str], list[str]]:
    ids = (DATA.with_suffix(".id")).read_text(encoding="utf-8").splitlines()
    ens = (DATA.with_suffix(".en")).read_text(encoding="utf-8").splitlines()
    return ids, ens


def vary(word: str, rng: random.Random) -> str:
    if word[:1].isdigit():
        return str(rng.randrange(1, 100_000))
    r = rng.random()
    if r < 0.3 and word.isalpha():
        return rng.choice(PREFIXES) + word.lower()
    if r < 0.6 and word.isalpha():
        return word + rng.choice(SUFFIXES)
    return word


def perturb(words: list[str], edits: int, vocab: list[str], rng: random.Random) -> list[str]:
    out = list(words)
    for _ in range(edits):
        op = rng.random()
        if op < 0.5 and out:
            out[rng.randrange(len(out))] = rng.choice(vocab)
        elif op < 0.75 and len(out) > 2:
            del out[rng.randrange(len(out))]
        else:
            out.insert(rng.randrange(len(out) + 1), rng.choice(vocab))
    return out


def build_plan(size: int, n_queries: int) -> tuple[list[tuple[str, str]], list[str]]:
    """(source, target) rows for a memory of `size`, and the query sentences."""
    ids, ens = load()
    rng = random.Random(42)
    sentences = [s.split() for s in ids]
    vocab = [w for s in sentences for w in s]
    order = list(range(len(ids)))
    rng.shuffle(order)
    queries = [ids[i] for i in order[:n_queries]]
    rows: list[tuple[str, str]] = []
    for qi, i in enumerate(order[:n_queries]):
        if qi % 10 >= 6:
            continue  # 40% of queries have no planted match
        words = sentences[i]
        for _ in range(rng.randint(1, 3)):
            edits = rng.randint(1, max(1, int(len(words) * 0.3)))
            rows.append((" ".join(perturb(words, edits, vocab, rng)), ens[i]))
    while len(rows) < size:
        length = len(rng.choice(sentences))
        words: list[str] = []
        while len(words) < length:
            s = rng.choice(sentences)
            start = rng.randrange(len(s))
            words.extend(s[start : start + rng.randint(3, 8)])
        words = [
            vary(rng.choice(vocab), rng)
            if rng.random() < 0.2
            else vary(w, rng)
            if w[:1].isdigit()
            else w
            for w in words[:length]
        ]
        rows.append((" ".join(words), rng.choice(ens)))
    rng.shuffle(rows)
    return rows[:size], queries


def build_store(size: int, n_queries: int) -> tuple[Path, list[str], float]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"tm_{size}_q{n_queries}_v{VERSION}.sqlite"
    rows, queries = build_plan(size, n_queries)
    if path.exists():
        return path, queries, float("nan")
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    store = Store(tmp)
    start = time.perf_counter()
    with leverage.bulk_index(store) as conn:
        conn.executemany(
            INSERT_UNIT,
            (unit_row(TranslationUnit(s, t, created_at="20260101T000000Z")) for s, t in rows),
        )
    elapsed = time.perf_counter() - start
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    os.replace(tmp, path)
    return path, queries, elapsed


def brute_force(
    query: str, sources: list[str], encoded: list[str], table: dict[str, str], threshold: int
) -> set[int]:
    """Indexes of units scoring >= threshold, found by scanning every unit."""
    q = encode(quick_words(query), table)
    found = set()
    for _, _, idx in process.extract_iter(
        q, encoded, scorer=Levenshtein.normalized_similarity, score_cutoff=0.55
    ):
        if sources[idx] != query and compare(query, sources[idx]).score >= threshold:
            found.add(idx)
    return found


def encode(words: list[str], table: dict[str, str]) -> str:
    return "".join(table.setdefault(w, chr(0x4E00 + len(table))) for w in words)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run(size: int, n_queries: int, brute_queries: int) -> dict[str, float]:
    path, queries, build_s = build_store(size, n_queries)
    store = Store(path)
    # Always rebuilt (and timed): the cached file may hold an older layout.
    start = time.perf_counter()
    leverage.rebuild_snapshot(store)
    snapshot_s = time.perf_counter() - start
    ids_sources = store.conn.execute("SELECT id, source, target FROM units ORDER BY id").fetchall()
    unit_ids = [r[0] for r in ids_sources]
    sources = [r[1] for r in ids_sources]
    targets = {r[0]: r[2] for r in ids_sources}
    result: dict[str, float] = {
        "units": size,
        "build_s": build_s,
        "snapshot_s": snapshot_s,
        "db_mb": path.stat().st_size / 1e6,
    }
    for threshold in (70, 50):
        times = []
        for q in queries:
            start = time.perf_counter()
            leverage.lookup(store, q, threshold=threshold, limit=3)
            times.append((time.perf_counter() - start) * 1000)
        result[f"p50_t{threshold}"] = pct(times, 50)
        result[f"p95_t{threshold}"] = pct(times, 95)
    table: dict[str, str] = {}
    start = time.perf_counter()
    encoded = [encode(quick_words(s), table) for s in sources]
    encode_s = time.perf_counter() - start
    truth = found = top1_total = top1_same = 0
    brute_times = []
    index_times = []
    for q in queries[:brute_queries]:
        start = time.perf_counter()
        expected_idx = brute_force(q, sources, encoded, table, 70)
        expected = {unit_ids[i] for i in expected_idx}
        pair_of = {unit_ids[i]: (sources[i], targets[unit_ids[i]]) for i in expected_idx}
        brute_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        got_matches = leverage.lookup(store, q, threshold=70, limit=10_000)
        got = {m.unit.id for m in got_matches}
        index_times.append(time.perf_counter() - start)
        # The production call (limit=3, early stop) must still put the true
        # best match first.
        if expected:
            best = max(compare(q, sources[i]).score for i in expected_idx)
            top = [m for m in leverage.lookup(store, q, threshold=70, limit=3) if m.score < 100]
            top1_total += 1
            top1_same += bool(top) and top[0].score == best
        # Identical (source, target) pairs are one match for lookup: count
        # a planted duplicate as found when its twin is.
        got_pairs = {(m.unit.source, m.unit.target) for m in got_matches}
        truth += len(expected)
        found += len(expected & got) + sum(1 for u in expected - got if pair_of[u] in got_pairs)
    result["top1"] = top1_same / top1_total if top1_total else 1.0
    result["true_matches"] = truth
    result["recall"] = found / truth if truth else 1.0
    result["brute_ms"] = statistics.mean(brute_times) * 1000
    result["brute_encode_s"] = encode_s
    result["index_ms"] = statistics.mean(index_times) * 1000
    store.close()
    return result


def analyze_doc(size: int, n_queries: int, segments: int = 5000) -> tuple[float, dict[str, int]]:
    path, _, _ = build_store(size, n_queries)
    ids, _ = load()
    rng = random.Random(7)
    vocab = [w for s in ids for w in s.split()]
    doc = []
    for i in range(segments):
        words = ids[i % len(ids)].split()
        doc.append(
            " ".join(perturb(words, rng.randint(0, 3), vocab, rng)) if i >= len(ids) else ids[i]
        )
    store = Store(path)
    start = time.perf_counter()
    report = leverage.analyze(store, doc)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, {str(b.band): b.segments for b in report.bands}


def trigger_cost(size: int = 200_000) -> dict[str, float]:
    """Units/s inserting `size` units: per-row FTS triggers, bulk_index, no index."""
    rows, _ = build_plan(size, 100)
    params = [unit_row(TranslationUnit(s, t, created_at="20260101T000000Z")) for s, t in rows]
    OUT.mkdir(parents=True, exist_ok=True)
    rates: dict[str, float] = {}
    for mode in ("triggers", "bulk_index", "no index"):
        path = OUT / "trigger_cost.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        store = Store(path)
        if mode == "no index":
            for name in ("units_fts_insert", "units_fts_delete", "units_fts_update"):
                store.conn.execute(f"DROP TRIGGER {name}")
        block = leverage.bulk_index(store) if mode == "bulk_index" else store.atomic()
        start = time.perf_counter()
        with block as conn:
            conn.executemany(INSERT_UNIT, params)
        rates[mode] = size / (time.perf_counter() - start)
        if mode == "bulk_index":
            start = time.perf_counter()
            leverage.rebuild_snapshot(store)
            rates["snapshot (units/s)"] = size / (time.perf_counter() - start)
        store.close()
    return rates


def stemming_study(n_queries: int = 400) -> dict[str, float]:
    """Does a Sastrawi-stemmed pass rank real matches better?

    Every sampled sentence of news-valid.id is a query against all the other
    sentences. A candidate is more useful when its English translation is
    closer to the query's English reference (word-level similarity of the
    .en lines). For each query we compare the top-1 candidate chosen by the
    plain word score against the one chosen by the stemmed score (ties broken
    by the plain score, as OmegaT orders them), and the rank correlation of
    each score with target similarity over every pair.
    """
    from functools import cache

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from tm.match import analyze_text

    ids, ens = load()
    stemmer = StemmerFactory().create_stemmer()
    stem = cache(stemmer.stem)
    plain = [analyze_text(s).words for s in ids]
    stemmed = [tuple(stem(w) if w.isalpha() else w for w in ws) for ws in plain]
    english = [tuple(quick_words(e)) for e in ens]
    rng = random.Random(3)
    queries = rng.sample(range(len(ids)), min(n_queries, len(ids)))

    def sim(a: tuple[str, ...], b: tuple[str, ...]) -> float:
        return Levenshtein.normalized_similarity(a, b)

    wins = losses = ties = 0
    plain_top = stemmed_top = 0.0
    xs_plain: list[float] = []
    xs_stem: list[float] = []
    ys: list[float] = []
    for q in queries:
        others = [j for j in range(len(ids)) if j != q]
        p_scores = [sim(plain[q], plain[j]) for j in others]
        s_scores = [sim(stemmed[q], stemmed[j]) for j in others]
        t_scores = [sim(english[q], english[j]) for j in others]
        best_p = max(range(len(others)), key=lambda k: p_scores[k])
        best_s = max(range(len(others)), key=lambda k: (s_scores[k], p_scores[k]))
        plain_top += t_scores[best_p]
        stemmed_top += t_scores[best_s]
        if t_scores[best_s] > t_scores[best_p]:
            wins += 1
        elif t_scores[best_s] < t_scores[best_p]:
            losses += 1
        else:
            ties += 1
        xs_plain.extend(p_scores)
        xs_stem.extend(s_scores)
        ys.extend(t_scores)
    return {
        "queries": len(queries),
        "stemmed_better": wins,
        "stemmed_worse": losses,
        "same": ties,
        "top1_target_sim_plain": plain_top / len(queries),
        "top1_target_sim_stemmed": stemmed_top / len(queries),
        "spearman_plain": _spearman(xs_plain, ys),
        "spearman_stemmed": _spearman(xs_stem, ys),
    }


def _spearman(xs: list[float], ys: list[float]) -> float:
    import numpy as np

    def ranks(values: list[float]) -> np.ndarray:
        arr = np.asarray(values)
        order = arr.argsort(kind="stable")
        r = np.empty(len(arr))
        r[order] = np.arange(len(arr))
        return r

    return float(np.corrcoef(ranks(xs), ranks(ys))[0, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute-queries", type=int, default=100)
    parser.add_argument("--analyze", action="store_true", help="also time tm analyze at 1M")
    parser.add_argument("--stemming", action="store_true", help="only the stemmer study")
    parser.add_argument("--triggers", action="store_true", help="only the insert-cost study")
    args = parser.parse_args()
    if args.triggers:
        for mode, rate in trigger_cost().items():
            print(f"{mode}: {rate:,.0f} units/s")
        return
    if args.stemming:
        for key, value in stemming_study().items():
            print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
        return
    header = (
        "| units | insert+FTS s | snapshot s | DB MB | p50/p95 ms (t=70) | p50/p95 ms (t=50) | "
        "true >=70 | recall | top-1 ok | brute ms/query | index ms/query | ratio |"
    )
    print(header)
    print("|" + "---|" * 12)
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size, args.queries, args.brute_queries)
        print(
            f"| {size:,} | {r['build_s']:.1f} | {r['snapshot_s']:.1f} | {r['db_mb']:.0f} | "
            f"{r['p50_t70']:.1f} / {r['p95_t70']:.1f} | {r['p50_t50']:.1f} / {r['p95_t50']:.1f} | "
            f"{r['true_matches']:.0f} | {r['recall']:.4f} | {r['top1']:.3f} | "
            f"{r['brute_ms']:.0f} | "
            f"{r['index_ms']:.1f} | {r['brute_ms'] / r['index_ms']:.0f}x |",
            flush=True,
        )
    if args.analyze:
        size = max(int(s) for s in args.sizes.split(","))
        elapsed, bands = analyze_doc(size, args.queries)
        print(f"\nanalyze 5,000 segments against {size:,} units: {elapsed:.1f} s; bands {bands}")


if __name__ == "__main__":
    main()
