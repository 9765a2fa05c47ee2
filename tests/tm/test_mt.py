"""The MarianMT engines on the tiny real checkpoint: loading, batching, splitting, errors.

Every behaviour test runs on both engines (ct2 and transformers).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENGINE_NAMES
from tests.fixtures.tiny_marian import INDONESIAN
from tm.errors import ModelError
from tm.mt import (
    DEFAULT_MODEL,
    load_engine,
    load_translator,
    model_info,
    normalize_source,
    requested_model,
    resolve_model,
    split_for_limit,
    token_batches,
)

REPO = Path(__file__).resolve().parents[2]

SENTENCES = [
    "Ia dilarikan ke rumah sakit.",
    "Seorang menteri Suriah bergabung dengan oposisi",
    "Letusan itu adalah yang pertama dalam waktu 115 tahun.",
    "Maskapai nasional Aeroflot juga akan dijual.",
    "Aretha Franklin bertunangan di usia 69 tahun",
    "Warga Papanggo akan dievakuasi ke SMP 129",
]

# A 60-word sentence: well over the tiny model's 64-token limit.
LONG = (
    "Pemerintah mengatakan, bahwa keputusan ini adalah suatu perubahan besar pada cara "
    "pemberian bantuan dana; para wartawan mengatakan hal itu kemarin, dan menteri "
    "keuangan membantah tudingan mereka tentang pajak warteg di ibu kota, sementara "
    "warga Papanggo akan dievakuasi ke SMP 129 karena banjir, dan pelatih tinju "
    "terkenal dari Amerika Serikat meninggal dunia pada usia 90 tahun."
)


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine(request: pytest.FixtureRequest, tiny_model_dir: Path, tiny_converted):
    """The tiny model on each engine (ct2 at its CPU default, int8)."""
    return load_translator(str(tiny_model_dir), engine=request.param, device="cpu", threads=1)


def test_importing_the_mt_modules_does_not_import_torch() -> None:
    code = (
        "import sys, tm.mt, tm.pipeline, tm.commands.translate, tm.commands.model;"
        "print(sorted(m for m in ('torch', 'transformers', 'sacremoses') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_golden_output_of_the_fixed_seed_model(tiny_model_dir: Path) -> None:
    """A transformers or torch upgrade that changes decoding must fail here."""
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir)
    model = MarianMTModel.from_pretrained(tiny_model_dir)
    batch = tokenizer(["Ia dilarikan ke rumah sakit."], return_tensors="pt")
    assert batch["input_ids"].tolist() == [[51, 5, 14, 36, 15, 6, 42, 72, 43, 18, 67, 5, 146, 3, 0]]
    generated = model.generate(**batch).tolist()
    assert generated == [[345, 108, 17, 38, *[224] * 15, 0]]
    engine = load_engine(str(tiny_model_dir), device="cpu", threads=1)
    assert engine.translate(["Ia dilarikan ke rumah sakit."]) == [GOLDEN_TEXT]


GOLDEN_TEXT = "ituga0 in in in in in in in in in in in in in in in"


def test_ct2_float32_greedy_equals_transformers_token_for_token(
    tiny_model_dir: Path, tiny_converted
) -> None:
    """The converted model decodes exactly as the checkpoint does (pad, start token, bias)."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir)
    model = MarianMTModel.from_pretrained(tiny_model_dir)
    ct2 = load_translator(
        str(tiny_model_dir), engine="ct2", quantization="float32", beams=1, device="cpu", threads=1
    )
    reference = load_engine(str(tiny_model_dir), device="cpu", threads=1, beams=1)
    encoded = tokenizer(list(INDONESIAN))["input_ids"]
    results = ct2.translator.translate_batch(
        [tokenizer.convert_ids_to_tokens(ids) for ids in encoded],
        beam_size=1,
        max_decoding_length=ct2.settings.content_limits()[1],
    )
    for ids, result in zip(encoded, results, strict=True):
        with torch.inference_mode():
            expected = model.generate(input_ids=torch.tensor([ids]), num_beams=1)[0].tolist()
        # transformers: decoder start <pad>, the tokens, then </s> (forced at the limit).
        assert expected[0] == tokenizer.pad_token_id and expected[-1] == tokenizer.eos_token_id
        assert tokenizer.convert_tokens_to_ids(result.hypotheses[0]) == expected[1:-1]
    assert ct2.translate(list(INDONESIAN)) == reference.translate(list(INDONESIAN))
    assert ct2.translate(["Ia dilarikan ke rumah sakit."]) == [GOLDEN_TEXT]


def test_pad_is_the_last_vocabulary_id(tiny_model_dir: Path) -> None:
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["<pad>"] == max(vocab.values()) == len(vocab) - 1
    assert (vocab["</s>"], vocab["<unk>"]) == (0, 1)


def test_batched_outputs_go_back_to_their_sources(engine) -> None:
    alone = [engine.translate([s])[0] for s in SENTENCES]
    assert len(set(alone)) == len(SENTENCES), "the fixture must tell inputs apart"
    calls = engine.generate_calls
    together = engine.translate(SENTENCES)
    assert engine.generate_calls == calls + 1
    assert together == alone
    assert engine.translate(list(reversed(SENTENCES))) == list(reversed(alone))


def test_translation_is_deterministic(engine) -> None:
    assert engine.translate(SENTENCES) == engine.translate(SENTENCES)


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_batches_respect_size_and_token_budget(
    tiny_model_dir: Path, tiny_converted, name: str
) -> None:
    small = load_translator(str(tiny_model_dir), engine=name, device="cpu", threads=1, batch_size=2)
    small.translate(SENTENCES)
    assert small.generate_calls == 3


@pytest.mark.parametrize(
    ("lengths", "batch_size", "max_tokens", "expected"),
    [
        ([5, 9, 7], 8, 100, [[1, 2, 0]]),
        ([5, 9, 7], 2, 100, [[1, 2], [0]]),
        ([10, 10, 10, 10], 8, 25, [[0, 1], [2, 3]]),
        ([30, 2, 2, 2], 8, 30, [[0], [1, 2, 3]]),
        ([], 8, 10, []),
    ],
)
def test_token_batches(lengths, batch_size, max_tokens, expected) -> None:
    assert token_batches(lengths, batch_size=batch_size, max_tokens=max_tokens) == expected


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("satu dua tiga", 5, ["satu dua tiga"]),
        ("satu dua, tiga empat; lima enam", 4, ["satu dua, tiga empat;", "lima enam"]),
        ("satu dua tiga dan empat lima enam", 4, ["satu dua tiga", "dan empat lima enam"]),
        ("a b c d e f g", 3, ["a b c", "d e f", "g"]),
        ("aaaaaaaa", 0, ["a", "a", "a", "a", "a", "a", "a", "a"]),
    ],
)
def test_split_for_limit(text: str, limit: int, expected: list[str]) -> None:
    count = _words if limit else (lambda t: len(t) - 1)
    assert split_for_limit(text, count, limit) == expected


def test_over_long_segment_is_split_never_truncated(engine) -> None:
    normalized = normalize_source(LONG)
    assert engine.count_tokens(normalized) > engine.max_positions
    parts = split_for_limit(normalized, engine.count_tokens, engine.max_positions)
    assert len(parts) > 1
    assert all(engine.count_tokens(p) <= engine.max_positions for p in parts)
    assert " ".join(parts).split() == normalized.split()
    (output,) = engine.translate_detailed([LONG])
    assert output.parts == len(parts)
    assert output.target == " ".join(engine.translate(parts))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("„Kami“ – kata dia…", '"Kami" - kata dia...'),
        ("Harga  naik 3,5 %  tahun ini", "Harga naik 3,5% tahun ini"),
        ("Dia bilang: «tidak»", 'Dia bilang: "tidak"'),
        ("   ", ""),
    ],
)
def test_sources_are_moses_normalized(text: str, expected: str) -> None:
    assert normalize_source(text) == expected


@pytest.mark.parametrize(
    ("name", "suffix"), [("ct2", "+ct2-int8"), ("transformers", "+transformers")]
)
def test_beams_default_to_the_model_and_can_be_overridden(
    tiny_model_dir: Path, tiny_converted, name: str, suffix: str
) -> None:
    default = load_translator(str(tiny_model_dir), engine=name, device="cpu", threads=1)
    greedy = load_translator(str(tiny_model_dir), engine=name, device="cpu", threads=1, beams=1)
    assert default.settings.beams == 2
    assert greedy.settings.beams == 1
    assert default.settings_key != greedy.settings_key
    assert default.origin == f"mt:{tiny_model_dir.name}{suffix}"


def test_model_info_reads_the_checkpoint_without_loading_it(tiny_model_dir: Path) -> None:
    info = model_info(str(tiny_model_dir))
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    assert info.architecture == "MarianMTModel"
    assert info.vocab_size == len(vocab)
    assert info.max_positions == 64
    assert info.beams == 2
    assert info.revision is None
    assert 30_000 < (info.parameters or 0) < 40_000
    assert info.size_bytes > (tiny_model_dir / "model.safetensors").stat().st_size


# -- errors -------------------------------------------------------------------------


def _broken_copy(tiny_model_dir: Path, tmp_path: Path, damage: str) -> Path:
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    if damage == "config-garbage":
        (model / "config.json").write_text("{not json", encoding="utf-8")
    elif damage == "not-marian":
        config = json.loads((model / "config.json").read_text(encoding="utf-8"))
        config["model_type"] = "bert"
        (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    elif damage == "no-config":
        (model / "config.json").unlink()
    elif damage == "no-tokenizer":
        (model / "source.spm").unlink()
    elif damage == "truncated-weights":
        data = (model / "model.safetensors").read_bytes()
        (model / "model.safetensors").write_bytes(data[: len(data) // 2])
    elif damage == "garbage-header":
        (model / "model.safetensors").write_bytes(b"\xff" * 64)
    return model


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        ("config-garbage", "damaged"),
        ("not-marian", "not MarianMT"),
        ("no-config", "no config.json"),
        ("no-tokenizer", "source.spm"),
        ("truncated-weights", "truncated"),
        ("garbage-header", "truncated"),
    ],
)
def test_a_broken_checkpoint_is_a_model_error(
    tiny_model_dir: Path, tmp_path: Path, damage: str, needle: str
) -> None:
    model = _broken_copy(tiny_model_dir, tmp_path, damage)
    with pytest.raises(ModelError, match=needle):
        resolve_model(str(model))


def test_a_missing_directory_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"))


@pytest.mark.parametrize("model", ["tm-tests/not-a-cached-model", None])
def test_a_hub_id_not_in_the_cache_names_both_ways_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: str | None
) -> None:
    monkeypatch.setenv("TM_MODEL", model or "tm-tests/another-uncached-model")
    with pytest.raises(ModelError) as caught:
        resolve_model(model)
    # The core names the setting; the CLI spells it as a flag (tests/tm/test_errors.py).
    from tm.commands.common import error_message

    message = error_message(caught.value)
    assert (model or "tm-tests/another-uncached-model") in message
    assert "tm model download" in message
    assert "--model" in message and "--no-mt" in message
    assert "\n" not in message


def test_the_default_model_is_opus_mt_id_en(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TM_MODEL", raising=False)
    assert requested_model(None) == DEFAULT_MODEL == "Helsinki-NLP/opus-mt-id-en"
    assert requested_model("x/y") == "x/y"


def test_tm_model_env_picks_the_model(tiny_model_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("TM_MODEL", str(tiny_model_dir))
    assert resolve_model(None).path == tiny_model_dir.resolve()


# -- n-best ---------------------------------------------------------------------------


def test_nbest_takes_the_best_ranked_hypothesis_that_passes(engine) -> None:
    source = SENTENCES[1]
    (plain,) = engine.translate([source])
    ids = engine.tokenizer([normalize_source(source)])["input_ids"]
    (ranked,) = engine.decode_ids(ids, beams=4, hypotheses=4)
    expected_rank, expected = next((r, t) for r, t in enumerate(ranked, 1) if t != plain)
    calls = engine.nbest_calls
    (out,) = engine.translate_detailed([source], checks=[lambda t: t != plain])
    assert (out.target, out.hypothesis, out.first) == (expected, expected_rank, plain)
    assert engine.nbest_calls == calls + 1
    # A first draft that passes is kept without decoding again.
    (kept,) = engine.translate_detailed([source], checks=[lambda t: True])
    assert (kept.target, kept.hypothesis, kept.first) == (plain, 0, None)
    assert engine.nbest_calls == calls + 1
    # When no hypothesis passes, the first draft stays (the glossary repairs it later).
    (none,) = engine.translate_detailed([source], checks=[lambda t: False])
    assert (none.target, none.hypothesis) == (plain, 0)


def test_nbest_checks_only_the_sources_that_have_one(engine) -> None:
    plain = engine.translate(SENTENCES[:3])
    outs = engine.translate_detailed(SENTENCES[:3], checks=[None, lambda t: t != plain[1], None])
    assert [o.target for o in outs][0::2] == plain[0::2]
    assert [o.hypothesis > 0 for o in outs] == [False, True, False]


# -- engines, conversion, devices ----------------------------------------------------------


def test_the_default_engine_is_ct2_and_tm_engine_overrides_it(monkeypatch) -> None:
    from tm.mt import default_engine

    monkeypatch.delenv("TM_ENGINE", raising=False)
    assert default_engine() == "ct2"
    monkeypatch.setenv("TM_ENGINE", "transformers")
    assert default_engine() == "transformers"
    monkeypatch.setenv("TM_ENGINE", "marian")
    with pytest.raises(ModelError, match="ct2, transformers"):
        default_engine()


def test_cache_namespace_names_engine_version_and_quantization(
    tiny_model_dir: Path, tiny_converted
) -> None:
    import ctranslate2
    import transformers

    namespaces = {
        load_translator(
            str(tiny_model_dir), engine=name, quantization=q, device="cpu", threads=1
        ).cache_namespace
        for name, q in (("ct2", "int8"), ("ct2", "float32"), ("transformers", None))
    }
    assert namespaces == {
        f"tiny-marian-id-en#{resolve_model(str(tiny_model_dir)).fingerprint}#{label}"
        for label in (
            f"ct2-int8@{ctranslate2.__version__}",
            f"ct2-float32@{ctranslate2.__version__}",
            f"transformers@{transformers.__version__}",
        )
    }


def test_conversion_is_keyed_by_quantization_and_checkpoint(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch, tiny_converted
) -> None:
    import os

    from tm.mt_ct2 import convert, converted_dir, is_converted

    assert tiny_converted["int8"] != tiny_converted["float32"]
    ref = resolve_model(str(tiny_model_dir))
    said: list[str] = []
    assert convert(ref, "int8", progress=said.append) == tiny_converted["int8"]
    assert said == [], "a converted model is reused, not converted again"
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, copy)
    before = converted_dir(resolve_model(str(copy)), "int8")
    weights = copy / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    after = converted_dir(resolve_model(str(copy)), "int8")
    assert before != after, "changed weights must not reuse the old conversion"
    assert not is_converted(after)


def test_a_killed_conversion_is_never_used(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """A half-written folder (no marker) is converted again; a dead process's temp is removed."""
    from tm.mt_ct2 import MARKER, PARTIAL_PREFIX, convert, converted_dir

    monkeypatch.setenv("TM_CACHE", str(tmp_path / "cache"))
    ref = resolve_model(str(tiny_model_dir))
    final = converted_dir(ref, "float32")
    final.parent.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = final.parent / f"{PARTIAL_PREFIX}{final.name}-{int(dead.stdout)}"
    stale.mkdir()
    (stale / "model.bin").write_bytes(b"killed mid-way")
    said: list[str] = []
    folder = convert(ref, "float32", progress=said.append)
    assert folder == final
    assert (folder / MARKER).is_file()
    assert not stale.exists()
    assert said and "Converting" in said[0]
    ct2 = load_translator(
        str(tiny_model_dir), engine="ct2", quantization="float32", device="cpu", threads=1
    )
    assert ct2.folder == final
    assert ct2.translate(["Ia dilarikan ke rumah sakit."])[0]


def test_a_folder_without_the_marker_is_not_a_converted_model(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from tm.mt_ct2 import converted_dir, is_converted

    monkeypatch.setenv("TM_CACHE", str(tmp_path / "cache"))
    final = converted_dir(resolve_model(str(tiny_model_dir)), "int8")
    final.mkdir(parents=True)
    (final / "model.bin").write_bytes(b"half written")
    assert not is_converted(final)
    engine = load_translator(str(tiny_model_dir), engine="ct2", device="cpu", threads=1)
    assert is_converted(final)
    assert engine.translate(["Ia dilarikan ke rumah sakit."])[0]


def test_tm_threads_sets_ct2_intra_threads(
    tiny_model_dir: Path, tiny_converted, monkeypatch
) -> None:
    monkeypatch.setenv("TM_THREADS", "1")
    assert load_translator(str(tiny_model_dir), engine="ct2", device="cpu").threads == 1
    assert load_translator(str(tiny_model_dir), engine="ct2", device="cpu", threads=2).threads == 2


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_cuda_without_a_gpu_is_a_model_error(
    tiny_model_dir: Path, tiny_converted, name: str
) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ModelError, match="--device cpu or --device auto"):
        load_translator(str(tiny_model_dir), engine=name, device="cuda")


def test_quantization_is_for_ct2_only(tiny_model_dir: Path) -> None:
    with pytest.raises(ModelError, match="ct2 engine only"):
        load_translator(str(tiny_model_dir), engine="transformers", quantization="int8")
    with pytest.raises(ModelError, match="int8, int8_float32"):
        load_translator(str(tiny_model_dir), engine="ct2", quantization="int4")


def test_nbest_with_a_wide_beam_asks_for_the_hypotheses_in_the_same_search(
    engine, tiny_model_dir: Path
) -> None:
    wide = load_translator(
        str(tiny_model_dir), engine=engine.engine, beams=4, device="cpu", threads=1
    )
    source = SENTENCES[1]
    ids = wide.tokenizer([normalize_source(source)])["input_ids"]
    (ranked,) = wide.decode_ids(ids, beams=4, hypotheses=4)
    rank, expected = next((r, t) for r, t in enumerate(ranked[1:], 2) if t != ranked[0])
    calls, redecoded = wide.generate_calls, wide.nbest_calls
    (out,) = wide.translate_detailed([source], checks=[lambda t: t != ranked[0]])
    assert (out.target, out.hypothesis, out.first) == (expected, rank, ranked[0])
    assert (wide.generate_calls, wide.nbest_calls) == (calls + 1, redecoded)
