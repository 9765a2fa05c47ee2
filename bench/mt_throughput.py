"""MarianMT throughput: transformers against CTranslate2, raw and through `tm translate`'s pipeline.

Builds a MarianMT with the real opus-mt-id-en shape (d_model 512, 6+6
layers, 8 heads, FFN 2048, about 54k vocabulary, 512 positions) and random
weights, with a SentencePiece tokenizer trained on the Indonesian news data.
Its generation config forces every output to exactly ``--new-tokens`` tokens
(min length = max length), so every path does the same decoding work. The
model is converted for CTranslate2 (int8 and float32; conversion time and
size are reported). Then, on the same real sentences, interleaved, each in a
fresh subprocess (so that its peak RSS is its own):

- raw-transformers: ``model.generate`` on pre-tokenised, length-sorted batches;
- raw-ct2-int8: ``Translator.translate_batch`` on the same batches;
- pipeline-transformers / pipeline-ct2-int8 / pipeline-ct2-float32:
  ``tm.pipeline.translate_document`` on a fresh store with the document
  imported (memory lookup, normalisation, tokenising, cache, glossary,
  commits), n-best off so that it does the same decoding work as raw;
- nbest-ct2-int8: the pipeline with n-best on (its default): with random
  weights no draft ever names a place, so every sentence with a glossary
  place name is decoded again for 4 hypotheses: the worst case.

Times exclude start-up and loading (measured around the work, after a
warm-up batch); peak RSS includes them. Medians over ``--repeats``.

    nice -n 19 python bench/mt_throughput.py [--sentences 64] [--big 512] [--repeats 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# ../shared beside the repository (a worktree one level deeper looks one higher).
DATA = next(
    (
        p / "shared" / "data" / "news-valid.id"
        for p in (REPO.parent, REPO.parent.parent)
        if (p / "shared" / "data" / "news-valid.id").is_file()
    ),
    REPO.parent / "shared" / "data" / "news-valid.id",
)
RESULTS = REPO / "bench" / "results" / "mt.md"
VOCAB_SIZE = 54_000
BATCH_SIZE = 32
KINDS = (
    "raw-transformers",
    "raw-ct2-int8",
    "pipeline-transformers",
    "pipeline-ct2-int8",
    "pipeline-ct2-float32",
)
# Alternations of raw and pipeline in one process ("pair-ct2-int8").
PAIR_ROUNDS = 3
# The configurations measured on the big set too.
MAIN_KINDS = ("raw-ct2-int8", "pipeline-transformers", "pipeline-ct2-int8")


def load_sentences(count: int) -> list[str]:
    """Distinct real one-sentence lines of ordinary length, in file order."""
    from tm.segment import split_sentences

    seen: dict[str, None] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if 30 <= len(line) <= 250 and line not in seen and len(split_sentences(line)) == 1:
            seen[line] = None
        if len(seen) == count:
            break
    return list(seen)


def build_model(directory: Path, new_tokens: int) -> Path:
    """Save a random opus-mt-id-en-shaped MarianMT with a real tokenizer."""
    import io

    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    lines = DATA.read_text(encoding="utf-8").splitlines()
    blob = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=blob,
        vocab_size=5000,
        model_type="unigram",
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    (directory / "source.spm").write_bytes(blob.getvalue())
    (directory / "target.spm").write_bytes(blob.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=blob.getvalue())
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(i), len(vocab))
    while len(vocab) < VOCAB_SIZE - 1:  # the real model's vocabulary size
        vocab[f"<extra_{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = MarianTokenizer(
        str(directory / "source.spm"), str(directory / "target.spm"), str(directory / "vocab.json")
    )
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():  # as in OPUS-MT: decoding starts from a zero <pad> embedding
        model.get_input_embeddings().weight[pad].zero_()
    # max_length counts the decoder start token; min = max fixes the length.
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=new_tokens + 1,
        min_length=new_tokens + 1,
        bad_words_ids=[[pad]],
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
    )
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


# -- one measurement (in its own process) ----------------------------------------------


def _batches(engine: Any, sentences: list[str]) -> list[list[list[int]]]:
    from tm.mt import normalize_source, token_batches

    encoded = engine.tokenizer([normalize_source(s) for s in sentences])["input_ids"]
    order = token_batches(
        [len(e) for e in encoded], batch_size=engine.batch_size, max_tokens=engine.max_batch_tokens
    )
    return [[encoded[i] for i in batch] for batch in order]


def raw_transformers(engine: Any, sentences: list[str]) -> float:
    """Seconds for model.generate alone over pre-made, length-sorted batches."""
    import torch

    pad = engine.tokenizer.pad_token_id
    prepared = []
    for batch in _batches(engine, sentences):
        width = max(len(ids) for ids in batch)
        ids = torch.tensor([b + [pad] * (width - len(b)) for b in batch])
        prepared.append((ids, (ids != pad).long()))
    started = time.perf_counter()
    with torch.inference_mode():
        for ids, mask in prepared:
            engine.model.generate(
                input_ids=ids,
                attention_mask=mask,
                num_beams=engine.settings.beams,
                max_length=engine.settings.max_length,
            )
    return time.perf_counter() - started


def raw_ct2(engine: Any, sentences: list[str]) -> float:
    """Seconds for translate_batch alone over the same batches, as token strings."""
    least, most = engine.settings.content_limits()
    prepared = [
        [engine.tokenizer.convert_ids_to_tokens(ids) for ids in batch]
        for batch in _batches(engine, sentences)
    ]
    started = time.perf_counter()
    for batch in prepared:
        engine.translator.translate_batch(
            batch,
            beam_size=engine.settings.beams,
            max_decoding_length=most,
            min_decoding_length=least,
            max_input_length=0,
            max_batch_size=engine.sub_batch,
        )
    return time.perf_counter() - started


def pipeline(engine: Any, sentences: list[str], workdir: Path) -> float:
    """Seconds for translate_document on a fresh store, document already imported."""
    from tm.pipeline import TranslateSettings, translate_document
    from tm.segment import segment_text
    from tm.store import Store

    text = "\n\n".join(sentences) + "\n"
    db = Path(tempfile.mkstemp(suffix=".sqlite", dir=workdir)[1])
    db.unlink()
    with Store(db) as store:
        doc = store.add_document(
            "bench.txt", segment_text(text), sha256=hashlib.sha256(text.encode()).hexdigest()
        )
        started = time.perf_counter()
        summary = translate_document(
            store, doc.id, engine, settings=TranslateSettings(batch_size=engine.batch_size)
        )
        elapsed = time.perf_counter() - started
    assert summary.from_mt == len(sentences), summary
    return elapsed


def measure(kind: str, model: Path, beams: int, count: int, threads: int | None) -> dict[str, Any]:
    """Load the engine for ``kind``, warm it up, time the work; peak RSS of this process."""
    from tm.mt import load_translator

    sentences = load_sentences(count)
    engine_name = "transformers" if kind.endswith("transformers") else "ct2"
    quantization = None if engine_name == "transformers" else kind.rsplit("-", 1)[-1]
    engine = load_translator(
        str(model),
        engine=engine_name,
        device="cpu",
        beams=beams,
        batch_size=BATCH_SIZE,
        threads=threads,
        quantization=quantization,
        hypotheses=4 if kind.startswith("nbest") else 1,
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if kind.startswith("pair"):
            # raw and pipeline alternately in this one process, on the same engine:
            # the overhead measured where load changes from other work cancel out.
            raw_ct2(engine, sentences[:8])
            pipeline(engine, sentences[:8], workdir)
            raws, pipes = [], []
            for _ in range(PAIR_ROUNDS):
                raws.append(raw_ct2(engine, sentences))
                pipes.append(pipeline(engine, sentences, workdir))
            return {
                "kind": kind,
                "beams": beams,
                "sentences": len(sentences),
                "seconds": min(pipes),
                "raw_seconds": min(raws),
                "all": [raws, pipes],
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "nbest_calls": 0,
            }
        if kind.startswith("raw"):
            work = raw_transformers if engine_name == "transformers" else raw_ct2
            work(engine, sentences[:8])  # warm-up: first-call allocations
            seconds = work(engine, sentences)
        else:
            pipeline(engine, sentences[:8], workdir)
            engine.nbest_calls = 0
            seconds = pipeline(engine, sentences, workdir)
    return {
        "kind": kind,
        "beams": beams,
        "sentences": len(sentences),
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "nbest_calls": getattr(engine, "nbest_calls", 0),
    }


# -- the driver ------------------------------------------------------------------------


def run_measure(
    kind: str, model: Path, beams: int, count: int, threads: int | None, env: dict[str, str]
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", kind, "--model", str(model)]
    command += ["--beams", str(beams), "--sentences", str(count)]
    if threads:
        command += ["--threads", str(threads)]
    result = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def convert_timed(model: Path, quantization: str, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and bytes of one conversion, in a child process (start-up excluded).

    An earlier conversion kept in ``--workdir`` is not redone: its time is in its marker.
    """
    code = (
        "import json, sys, time; from tm.mt import resolve_model; "
        "from tm.mt_ct2 import MARKER, convert, folder_size; ref = resolve_model(sys.argv[1]); "
        "t = time.perf_counter(); folder = convert(ref, sys.argv[2]); "
        "took = json.loads((folder / MARKER).read_text())['seconds']; "
        "print(json.dumps([took, folder_size(folder)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(model), quantization],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds, size = json.loads(result.stdout.strip().splitlines()[-1])
    return float(seconds), int(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=64)
    parser.add_argument("--big", type=int, default=512, help="0: skip the big set.")
    parser.add_argument("--new-tokens", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--big-beams", type=int, nargs="+", default=[4])
    parser.add_argument("--kinds", nargs="+", default=[*KINDS, "nbest-ct2-int8"])
    parser.add_argument("--big-kinds", nargs="+", default=list(MAIN_KINDS))
    parser.add_argument(
        "--workdir", type=Path, help="Keep the built and converted model here between runs."
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Where the report goes.")
    parser.add_argument("--threads", type=int, default=None, help="Default: every core.")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_model(args.build, args.new_tokens)
        return
    if args.measure:
        print(
            json.dumps(
                measure(args.measure, args.model, args.beams[0], args.sentences, args.threads)
            )
        )
        return

    from tm.mt import default_threads

    n_small = len(load_sentences(args.sentences))
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
        env["PYTHONPATH"] = str(REPO)
        env["TM_CACHE"] = str(workdir / "cache")
        model = workdir / "model"
        if not (model / "model.safetensors").is_file():
            model.mkdir(parents=True, exist_ok=True)
            build = [sys.executable, __file__, "--build", str(model), "--new-tokens"]
            subprocess.run([*build, str(args.new_tokens)], check=True, env=env)
        weights = (model / "model.safetensors").stat().st_size
        conversions = {q: convert_timed(model, q, env) for q in ("int8", "float32")}
        plan = [
            (k, b, args.sentences)
            for b in args.beams
            for k in args.kinds
            if not (k.startswith("nbest") and b != max(args.beams))
        ]
        for _ in range(args.repeats):  # interleaved: every configuration once per round
            for kind, beams, count in plan:
                results.append(run_measure(kind, model, beams, count, args.threads, env))
                print(json.dumps(results[-1]), file=sys.stderr)
        if args.big:
            for beams in args.big_beams:
                for kind in args.big_kinds:
                    results.append(run_measure(kind, model, beams, args.big, args.threads, env))
                    print(json.dumps(results[-1]), file=sys.stderr)
    report = render(results, conversions, weights, args, n_small, args.threads or default_threads())
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")


def render(
    results: list[dict[str, Any]],
    conversions: dict[str, tuple[float, int]],
    weights: int,
    args: argparse.Namespace,
    n_small: int,
    threads: int,
) -> str:
    groups: dict[tuple[int, int, str], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["sentences"], r["beams"], r["kind"]), []).append(r)

    def median(key: tuple[int, int, str], field: str) -> float:
        return statistics.median(r[field] for r in groups[key])

    lines = [
        "# MT throughput: transformers and CTranslate2 (bench/mt_throughput.py)",
        "",
        f"Random MarianMT in the opus-mt-id-en shape (74M parameters, vocabulary {VOCAB_SIZE:,}; "
        f"safetensors {weights / 2**20:.0f} MB), real sentences from news-valid.id, every output "
        f"forced to {args.new_tokens} tokens, batch size {BATCH_SIZE}, CPU, {threads} threads. "
        f"Each figure is the median of {args.repeats} runs on the {n_small}-sentence set (one run "
        "on the big set), every run in its own process, configurations interleaved. Times exclude "
        "start-up and model loading; peak RSS includes them. Load average at the end: "
        f"{os.getloadavg()[0]:.1f} (the cores are shared with other work; ratios are more "
        "trustworthy than absolute figures).",
        "",
        f"Command: `nice -n 19 python bench/mt_throughput.py {' '.join(sys.argv[1:])}`",
        "",
        "| sentences | beams | configuration | sent/s | tok/s | peak RSS MB | speed-up |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for count, beams, kind in sorted(
        groups, key=lambda k: (k[0], k[1], KINDS.index(k[2]) if k[2] in KINDS else 99)
    ):
        key = (count, beams, kind)
        seconds = median(key, "seconds")
        base = (count, beams, "pipeline-transformers")
        speedup = f"×{median(base, 'seconds') / seconds:.2f}" if base in groups else "-"
        lines.append(
            f"| {count} | {beams} | {kind} | {count / seconds:.1f} "
            f"| {count * args.new_tokens / seconds:.0f} | {median(key, 'rss_mb'):.0f} | {speedup} |"
        )
    lines += ["", "## Targets", ""]
    for count, beams, kind in sorted(groups):
        if kind != "pipeline-ct2-int8":
            continue
        raw = (count, beams, "raw-ct2-int8")
        trf = (count, beams, "pipeline-transformers")
        if raw in groups:
            overhead = (median((count, beams, kind), "seconds") / median(raw, "seconds") - 1) * 100
            verdict = "met" if overhead <= 5 else "missed"
            lines.append(
                f"- {count} sentences, beam {beams}: pipeline ct2 int8 against raw ct2: "
                f"{overhead:+.1f} % (target ≤ 5 %: {verdict})."
            )
        if trf in groups:
            ratio = median((count, beams, kind), "rss_mb") / median(trf, "rss_mb")
            verdict = "met" if ratio <= 0.25 else "missed"
            lines.append(
                f"- {count} sentences, beam {beams}: peak RSS ct2 int8 / transformers: "
                f"{ratio:.2f} (target ≤ 0.25: {verdict})."
            )
    top = max(args.beams)
    for (count, beams, kind), runs in sorted(groups.items()):
        if not kind.startswith("pair"):
            continue
        for r in runs:
            overhead = (r["seconds"] / r["raw_seconds"] - 1) * 100
            raws, pipes = r["all"]
            lines.append(
                f"- {count} sentences, beam {beams}, raw ct2 int8 and the pipeline alternately in "
                f"one process (best of {len(raws)}): raw {min(raws):.1f} s, pipeline "
                f"{min(pipes):.1f} s: {overhead:+.1f} % (target ≤ 5 %: "
                f"{'met' if overhead <= 5 else 'missed'}); every run: raw "
                f"{', '.join(f'{x:.1f}' for x in raws)} s, pipeline "
                f"{', '.join(f'{x:.1f}' for x in pipes)} s."
            )
    nbest = (n_small, top, "nbest-ct2-int8")
    plain = (n_small, top, "pipeline-ct2-int8")
    if nbest in groups and plain in groups:
        cost = (median(nbest, "seconds") / median(plain, "seconds") - 1) * 100
        lines.append(
            f"- n-best for the glossary (beam {top}, worst case: random weights never name a "
            "place): "
            f"{median(nbest, 'nbest_calls'):.0f} extra decoding batch(es), {cost:+.1f} % time."
        )
    lines += ["", "## Conversion (tm.mt_ct2.convert, TransformersConverter)", ""]
    for q, (seconds, size) in conversions.items():
        lines.append(f"- {q}: {seconds:.1f} s, {size / 2**20:.0f} MB on disk.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
