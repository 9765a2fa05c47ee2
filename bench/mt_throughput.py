"""MarianMT throughput: raw ``model.generate`` against the `tm translate` pipeline.

Builds a MarianMT with the real opus-mt-id-en shape (d_model 512, 6+6
layers, 8 heads, FFN 2048, about 54k vocabulary, 512 positions) and random
weights, with a SentencePiece tokenizer trained on the Indonesian news data.
Its generation config forces every output to exactly ``--new-tokens`` tokens
(min length = max length), so every path does the same work. Then, on the
same real sentences:

- raw: ``model.generate`` on pre-tokenised, length-sorted batches;
- pipeline: ``tm.pipeline.translate_document`` in this process (store,
  memory lookup, normalisation, tokenising, cache, glossary, commits);
- cli: one `tm translate` subprocess at the model's default beam (4),
  including start-up and model loading.

The overhead is pipeline time over raw time, measured alternately in this
one process (best of ``--repeats``). Target: at most 10 %.

    python bench/mt_throughput.py [--sentences 96] [--new-tokens 24] [--repeats 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "news-valid.id"
RESULTS = REPO / "bench" / "results" / "mt.md"
VOCAB_SIZE = 54_000
BATCH_SIZE = 32


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
    import json

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


def time_raw(engine, sentences: list[str]) -> float:
    """Seconds for model.generate alone over pre-made, length-sorted batches."""
    import torch

    from tm.mt import normalize_source, token_batches

    encoded = engine.tokenizer([normalize_source(s) for s in sentences])["input_ids"]
    batches = []
    pad = engine.tokenizer.pad_token_id
    for batch in token_batches(
        [len(e) for e in encoded], batch_size=engine.batch_size, max_tokens=engine.max_batch_tokens
    ):
        width = max(len(encoded[i]) for i in batch)
        ids = torch.tensor([encoded[i] + [pad] * (width - len(encoded[i])) for i in batch])
        batches.append((ids, (ids != pad).long()))
    started = time.perf_counter()
    with torch.inference_mode():
        for ids, mask in batches:
            engine.model.generate(
                input_ids=ids,
                attention_mask=mask,
                num_beams=engine.settings.beams,
                max_length=engine.settings.max_length,
            )
    return time.perf_counter() - started


def time_pipeline(engine, sentences: list[str], workdir: Path) -> float:
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


def run_cli(
    model: Path, sentences: list[str], workdir: Path, threads: int | None
) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `tm translate` subprocess."""
    source = workdir / "cli.txt"
    source.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    env["PYTHONPATH"] = str(REPO)
    if threads:
        env["TM_THREADS"] = str(threads)
    command = [sys.executable, "-m", "tm.cli", "--db", str(workdir / "cli.sqlite"), "translate"]
    command += [str(source), "--model", str(model), "--out", str(workdir / "cli.en.txt")]
    # A wrapper process whose only child is the CLI, so that RUSAGE_CHILDREN
    # is the CLI's own peak and not the model build's.
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    wall, peak_kb = result.stdout.split()
    return float(wall), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=96)
    parser.add_argument("--new-tokens", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--threads", type=int, default=None, help="Default: every core.")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_model(args.build, args.new_tokens)
        return

    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    from tm.mt import default_threads, load_engine

    sentences = load_sentences(args.sentences)
    n = len(sentences)
    out_tokens = n * args.new_tokens
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        model = workdir / "model"
        model.mkdir()
        # Built in a child process, so that its memory does not count below.
        build = [sys.executable, __file__, "--build", str(model), "--new-tokens"]
        subprocess.run([*build, str(args.new_tokens)], check=True)
        for beams in args.beams:
            engine = load_engine(
                str(model), device="cpu", beams=beams, batch_size=BATCH_SIZE, threads=args.threads
            )
            time_raw(engine, sentences[:8])  # warm-up: first-call allocations
            raw, pipe = [], []
            for _ in range(args.repeats):
                raw.append(time_raw(engine, sentences))
                pipe.append(time_pipeline(engine, sentences, workdir))
            rows.append((beams, min(raw), min(pipe)))
        in_process_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cli = None if args.no_cli else run_cli(model, sentences, workdir, args.threads)

    load = os.getloadavg()[0]
    threads = args.threads or default_threads()
    lines = [
        "# MT throughput (bench/mt_throughput.py)",
        "",
        f"Random MarianMT in the opus-mt-id-en shape (74M parameters, vocabulary "
        f"{VOCAB_SIZE:,}), {n} real sentences from news-valid.id, every output forced to "
        f"{args.new_tokens} tokens, batch size {BATCH_SIZE}, CPU, {threads} torch "
        f"threads, best of {args.repeats}. Load average at the end: {load:.1f} (the cores "
        "are shared with other work, so absolute figures are noisy; the ratio is measured "
        "alternately in one process).",
        "",
        "| beams | raw generate sent/s | raw tok/s | pipeline sent/s | pipeline tok/s "
        "| pipeline overhead (target ≤ 10 %) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for beams, raw, pipe in rows:
        overhead = (pipe / raw - 1) * 100
        lines.append(
            f"| {beams} | {n / raw:.1f} | {out_tokens / raw:.0f} | {n / pipe:.1f} "
            f"| {out_tokens / pipe:.0f} | {overhead:+.1f} % "
            f"{'(met)' if overhead <= 10 else '(missed)'} |"
        )
    lines += ["", f"Peak RSS of the benchmark process (both beams): {in_process_rss:.0f} MB."]
    if cli is not None:
        wall, rss = cli
        lines.append(
            f"`tm translate` subprocess at the model's default 4 beams: {wall:.1f} s wall for "
            f"{n} sentences ({n / wall:.1f} sent/s including start-up and model loading), "
            f"peak RSS {rss:.0f} MB."
        )
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
