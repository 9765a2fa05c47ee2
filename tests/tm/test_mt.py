"""The MarianMT engine on the tiny real checkpoint: loading, batching, splitting, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tm.errors import ModelError
from tm.mt import (
    DEFAULT_MODEL,
    load_engine,
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


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path):
    """The tiny model loaded through the real from_pretrained path."""
    return load_engine(str(tiny_model_dir), device="cpu", threads=1)


def test_importing_the_mt_modules_does_not_import_torch() -> None:
    code = (
        "import sys, tm.mt, tm.pipeline, tm.commands.translate, tm.commands.model;"
        "print(sorted(m for m in ('torch', 'transformers', 'sacremoses') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_golden_output_of_the_fixed_seed_model(tiny_model_dir: Path, engine) -> None:
    """A transformers or torch upgrade that changes decoding must fail here."""
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir)
    model = MarianMTModel.from_pretrained(tiny_model_dir)
    batch = tokenizer(["Ia dilarikan ke rumah sakit."], return_tensors="pt")
    assert batch["input_ids"].tolist() == [[51, 5, 14, 36, 15, 6, 42, 72, 43, 18, 67, 5, 146, 3, 0]]
    generated = model.generate(**batch).tolist()
    assert generated == [
        [345, 207, 93, 93, 93, 93, 93, 249, 249, 249, 249, 249, 249, 249, 249, 249, 93, 46, 46, 0]
    ]
    assert engine.translate(["Ia dilarikan ke rumah sakit."]) == [GOLDEN_TEXT]


GOLDEN_TEXT = "Wetetetetet wi wi wi wi wi wi wi wi wiet P P"


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


def test_batches_respect_size_and_token_budget(tiny_model_dir: Path) -> None:
    small = load_engine(str(tiny_model_dir), device="cpu", threads=1, batch_size=2)
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


def test_beams_default_to_the_model_and_can_be_overridden(tiny_model_dir: Path) -> None:
    default = load_engine(str(tiny_model_dir), device="cpu", threads=1)
    greedy = load_engine(str(tiny_model_dir), device="cpu", threads=1, beams=1)
    assert default.settings.beams == 2
    assert greedy.settings.beams == 1
    assert default.settings_key != greedy.settings_key
    assert default.origin == f"mt:{tiny_model_dir.name}"


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
