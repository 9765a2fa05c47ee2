"""`tm translate` and `tm model` end to end, in real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from tests.fixtures.tiny_marian import INDONESIAN
from tests.tm.test_cli_documents import assert_clean_error, run_tm
from tm.store import Store

REPO = Path(__file__).resolve().parents[2]

ARTICLE = (
    "Ia dilarikan ke rumah sakit. Seorang menteri Suriah bergabung dengan oposisi.\n\n"
    "Letusan itu adalah yang pertama dalam waktu 115 tahun.\n"
    "Maskapai nasional Aeroflot juga akan dijual.\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def model_env(model: Path, tmp_path: Path, engine: str = "ct2") -> dict[str, str]:
    # An empty Hugging Face cache and no network: nothing leaks in from the machine.
    return {
        "TM_MODEL": str(model),
        "TM_ENGINE": engine,
        # The session's converted models (tests/conftest.py), never the user's cache.
        "TM_CACHE": os.environ["TM_CACHE"],
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_OFFLINE": "1",
        # The tiny model is fastest on one thread, and tests share the cores.
        "TM_THREADS": "1",
    }


ORIGIN_SUFFIX = {"ct2": "+ct2-int8", "transformers": "+transformers"}


DRAFTED = "SELECT count(*) FROM segments WHERE target IS NOT NULL"


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_translate_writes_text_tmx_and_drafts(
    tmp_path: Path, article: Path, tiny_model_dir: Path, engine_name: str
) -> None:
    env = model_env(tiny_model_dir, tmp_path, engine_name)
    origin = f"mt:{tiny_model_dir.name}{ORIGIN_SUFFIX[engine_name]}"
    result = run_tm(
        "translate", str(article), "--out", "out.txt", "--tmx", "out.tmx", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert "4 from MT" in err
    assert result.stdout == b""
    drafts = rows(tmp_path / "tm.sqlite", "SELECT status, origin, target FROM segments")
    assert len(drafts) == 4
    assert {(s, o) for s, o, _ in drafts} == {("draft", origin)}
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert text.count("\n") == ARTICLE.count("\n")
    assert [t for _, _, t in drafts][2] in text
    tree = etree.parse(str(tmp_path / "out.tmx"))
    tus = tree.findall(".//tu")
    assert len(tus) == 4
    assert tus[0].findtext("prop[@type='x-origin']") == origin
    assert tus[0].findtext("prop[@type='x-status']") == "draft"

    again = run_tm("translate", str(article), cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert "imported before" in again.stderr.decode()
    assert "0 from MT" in again.stderr.decode()
    assert len(rows(tmp_path / "tm.sqlite", "SELECT id FROM segments")) == 4


def test_stdin_to_stdout_keeps_stdout_clean(
    tmp_path: Path, article: Path, tiny_model_dir: Path, engine_name: str
) -> None:
    env = model_env(tiny_model_dir, tmp_path, engine_name)
    result = run_tm("translate", "-", cwd=tmp_path, env=env, stdin=article.read_bytes())
    assert result.returncode == 0, result.stderr
    exported = run_tm(
        "export", "1", "--format", "txt", "--out", "-", "--allow-unconfirmed", cwd=tmp_path
    )
    assert result.stdout == exported.stdout
    assert result.stdout.decode().count("\n") == ARTICLE.count("\n")
    assert b"from MT" not in result.stdout
    assert b"from MT" in result.stderr


def test_no_mt_needs_no_model(tmp_path: Path, article: Path) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        from tm.models import TranslationUnit

        store.add_unit(TranslationUnit(source="Ia dilarikan ke rumah sakit.", target="He left."))
    env = {"TM_MODEL": str(tmp_path / "no-such-model"), "HF_HUB_OFFLINE": "1"}
    result = run_tm("translate", str(article), "--no-mt", "--out", "-", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("He left. Seorang menteri Suriah")
    statuses = rows(tmp_path / "tm.sqlite", "SELECT status FROM segments ORDER BY position")
    assert [s for (s,) in statuses] == ["draft", "new", "new", "new"]
    assert "--no-mt" in result.stderr.decode()


def test_missing_model_fails_before_any_work(tmp_path: Path, article: Path) -> None:
    env = {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    result = run_tm("translate", str(article), cwd=tmp_path, env=env)
    assert_clean_error(result, "Helsinki-NLP/opus-mt-id-en", "tm model download", "--model")
    assert not (tmp_path / "tm.sqlite").exists()


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        ("config-garbage", "damaged"),
        ("not-marian", "not MarianMT"),
        ("truncated-weights", "truncated"),
        ("empty-dir", "no config.json"),
    ],
)
def test_broken_model_is_one_paragraph_exit_2(
    tmp_path: Path, article: Path, tiny_model_dir: Path, damage: str, needle: str
) -> None:
    from tests.tm.test_mt import _broken_copy

    if damage == "empty-dir":
        model = tmp_path / "empty"
        model.mkdir()
    else:
        model = _broken_copy(tiny_model_dir, tmp_path, damage)
    result = run_tm("translate", str(article), "--model", str(model), cwd=tmp_path)
    assert_clean_error(result, needle)
    assert not (tmp_path / "tm.sqlite").exists()


@pytest.mark.parametrize(
    ("engine", "needle"),
    [("transformers", "Cannot load the MarianMT model"), ("ct2", "for CTranslate2 failed")],
)
def test_unloadable_weights_are_a_clean_error(
    tmp_path: Path, article: Path, tiny_model_dir: Path, engine: str, needle: str
) -> None:
    from tests.tm.test_mt import _broken_copy

    model = _broken_copy(tiny_model_dir, tmp_path, "none")
    # A well-formed safetensors file whose tensors do not fit the config.
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["d_model"] = 48
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    env = {**model_env(model, tmp_path, engine), "TM_CACHE": str(tmp_path / "cache")}
    result = run_tm("translate", str(article), cwd=tmp_path, env=env)
    if engine == "ct2":  # the conversion's progress line comes first
        first, _, rest = result.stderr.partition(b"\n")
        assert first.startswith(b"Converting model for CTranslate2 (int8)")
        result.stderr = rest
    assert_clean_error(result, needle)
    assert not list((tmp_path / "cache").glob("ct2/*")), "nothing half-converted is left"


def big_article(path: Path, sentences: int) -> Path:
    # One distinct sentence per paragraph: one segment and one MT call each.
    lines = [f"Berita {i}: {INDONESIAN[i % len(INDONESIAN)]}" for i in range(sentences)]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_tm(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    full_env.update(env)
    return subprocess.Popen(
        [sys.executable, "-m", "tm.cli", *args],
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_drafts(db: Path, proc: subprocess.Popen[bytes], at_least: int) -> int:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        if db.exists():
            try:
                (count,) = rows(db, DRAFTED)[0]
            except sqlite3.OperationalError:  # the schema is still being made
                count = 0
            if count >= at_least:
                return int(count)
        time.sleep(0.05)
    raise AssertionError("no drafts appeared in time")


def assert_complete_without_duplicates(db: Path, sentences: int) -> None:
    assert rows(db, "SELECT count(*) FROM documents") == [(1,)]
    assert rows(db, "SELECT count(*), count(DISTINCT position) FROM segments") == [
        (sentences, sentences)
    ]
    assert rows(db, "SELECT count(*) FROM segments WHERE target IS NULL") == [(0,)]
    assert rows(db, "SELECT count(*) FROM mt_cache") == [(sentences,)]


def test_kill_9_mid_run_then_rerun_finishes_without_duplicates(
    tmp_path: Path, tiny_model_dir: Path, engine_name: str
) -> None:
    sentences = 150
    source = big_article(tmp_path / "big.txt", sentences)
    env = model_env(tiny_model_dir, tmp_path, engine_name)
    args = ["translate", str(source), "--batch-size", "1", "--beams", "1"]
    proc = start_tm(args, tmp_path, env)
    try:
        done = wait_for_drafts(tmp_path / "tm.sqlite", proc, 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    (after_kill,) = rows(tmp_path / "tm.sqlite", DRAFTED)[0]
    assert done <= after_kill < sentences

    rerun = run_tm(*args, cwd=tmp_path, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert "imported before" in rerun.stderr.decode()
    assert f"{sentences - after_kill} from MT" in rerun.stderr.decode()
    assert_complete_without_duplicates(tmp_path / "tm.sqlite", sentences)


def test_ctrl_c_stops_after_the_batch_and_says_how_far_it_got(
    tmp_path: Path, tiny_model_dir: Path, engine_name: str
) -> None:
    sentences = 150
    source = big_article(tmp_path / "big.txt", sentences)
    env = model_env(tiny_model_dir, tmp_path, engine_name)
    args = ["translate", str(source), "--batch-size", "1", "--beams", "1"]
    proc = start_tm(args, tmp_path, env)
    try:
        wait_for_drafts(tmp_path / "tm.sqlite", proc, 10)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    text = err.decode()
    assert "Traceback" not in text
    assert "Stopped early" in text
    assert "run the same command again" in text

    rerun = run_tm(*args, cwd=tmp_path, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert_complete_without_duplicates(tmp_path / "tm.sqlite", sentences)


def test_model_info_describes_the_checkpoint(tmp_path: Path, tiny_model_dir: Path) -> None:
    result = run_tm(
        "model", "info", "--model", str(tiny_model_dir), "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["architecture"] == "MarianMTModel"
    assert info["max_positions"] == 64
    assert info["path"] == str(tiny_model_dir.resolve())
    table = run_tm("model", "info", cwd=tmp_path, env={"TM_MODEL": str(tiny_model_dir)})
    assert table.returncode == 0, table.stderr
    assert b"max positions: 64" in table.stdout


def test_model_download_without_the_hub_is_a_clean_error(tmp_path: Path) -> None:
    env = {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    result = run_tm("model", "download", cwd=tmp_path, env=env)
    assert_clean_error(result, "Cannot download Helsinki-NLP/opus-mt-id-en", "--model DIR")


def test_two_runs_at_once_share_one_document_and_never_corrupt_it(
    tmp_path: Path, tiny_model_dir: Path, engine_name: str
) -> None:
    sentences = 60
    source = big_article(tmp_path / "big.txt", sentences)
    env = model_env(tiny_model_dir, tmp_path, engine_name)
    args = ["translate", str(source), "--batch-size", "4", "--beams", "1"]
    procs = [start_tm(args, tmp_path, env) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
    assert_complete_without_duplicates(tmp_path / "tm.sqlite", sentences)
    assert rows(tmp_path / "tm.sqlite", "PRAGMA integrity_check") == [("ok",)]


def test_first_ct2_use_converts_with_a_message_then_reuses_it(
    tmp_path: Path, article: Path, tiny_model_dir: Path
) -> None:
    env = {**model_env(tiny_model_dir, tmp_path), "TM_CACHE": str(tmp_path / "cache")}
    env.pop("TM_ENGINE")  # the default engine is ct2
    first = run_tm("translate", str(article), "--out", "-", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    err = first.stderr.decode()
    assert "Converting tiny-marian-id-en for CTranslate2 (int8)" in err
    assert "Converted tiny-marian-id-en in" in err
    origins = rows(tmp_path / "tm.sqlite", "SELECT DISTINCT origin FROM segments")
    assert origins == [(f"mt:{tiny_model_dir.name}+ct2-int8",)]
    (converted,) = (tmp_path / "cache" / "ct2").iterdir()
    assert (converted / "tm-conversion.json").is_file()

    other = tmp_path / "other.txt"
    other.write_text("Warga Papanggo akan dievakuasi ke SMP 129\n", encoding="utf-8")
    second = run_tm("translate", str(other), "--out", "-", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "Converting" not in second.stderr.decode()


def test_model_convert_and_info_show_the_converted_model(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    env = {"TM_CACHE": str(tmp_path / "cache"), "TM_MODEL": str(tiny_model_dir)}

    def info() -> dict:
        result = run_tm(
            "model", "info", "--quantization", "float32", "--format", "json", cwd=tmp_path, env=env
        )
        assert result.returncode == 0, result.stderr
        return dict(json.loads(result.stdout))

    before = info()
    assert (before["engine"], before["quantization"], before["converted"]) == (
        "ct2",
        "float32",
        False,
    )
    converted = run_tm("model", "convert", "--quantization", "float32", cwd=tmp_path, env=env)
    assert converted.returncode == 0, converted.stderr
    assert "is ready for the ct2 engine" in converted.stderr.decode()
    after = info()
    assert after["converted"] is True
    assert after["converted_path"] == before["converted_path"]
    assert Path(after["converted_path"], "model.bin").is_file()
    assert after["converted_size_bytes"] > 0


def test_an_unknown_engine_is_a_clean_error(
    tmp_path: Path, article: Path, tiny_model_dir: Path
) -> None:
    env = {**model_env(tiny_model_dir, tmp_path), "TM_ENGINE": "marian"}
    result = run_tm("translate", str(article), cwd=tmp_path, env=env)
    assert_clean_error(result, "TM_ENGINE='marian'", "ct2, transformers")
    assert not (tmp_path / "tm.sqlite").exists()
