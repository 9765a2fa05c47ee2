"""The CTranslate2 engine: the MarianMT checkpoint converted once, decoded fast.

The first use of a checkpoint with a quantization converts it with
CTranslate2's own ``TransformersConverter`` into a cache folder
(``TM_CACHE``, else ``$XDG_CACHE_HOME/tm``, else ``~/.cache/tm``; below it
``ct2/<model>-<key>``), keyed by the checkpoint's revision and a fingerprint
of its files, the quantization and the CTranslate2 version. Conversion
writes into a private temporary folder and renames it into place only when
complete, so a killed conversion never leaves a half-written model that a
later run would use; two processes converting at once both succeed and one
copy is kept.

Tokenising stays with the checkpoint's MarianTokenizer (SentencePiece), so
both engines see exactly the same token ids; CTranslate2 gets their token
strings and gives token strings back.

Devices: ``cpu``; ``cuda`` uses every visible GPU (``TM_GPUS=0,2`` picks
some), one model replica each, with batches spread over them; ``auto``
takes the GPUs when there are any. ``TM_THREADS`` sets the CPU threads
(``intra_threads``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tm.errors import ModelError
from tm.mt import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_BATCH_TOKENS,
    DEFAULT_HYPOTHESES,
    MarianTranslator,
    ModelRef,
    check_vocabulary,
    default_threads,
    load_tokenizer,
)

QUANTIZATIONS = ("int8", "int8_float32", "float16", "int8_float16", "float32")
CACHE_ENV = "TM_CACHE"
GPUS_ENV = "TM_GPUS"
# Written last into a converted folder: a folder without it is never used.
MARKER = "tm-conversion.json"
PARTIAL_PREFIX = ".partial-"
# On the CPU, translate_batch decodes each batch in sub-batches of this many
# sentences (sorted by length, so less padding): the beams of a whole batch
# at once cost memory without running faster. A GPU takes the batch whole.
CPU_SUB_BATCH = 12


def cache_root() -> Path:
    """``TM_CACHE``, else ``$XDG_CACHE_HOME/tm``, else ``~/.cache/tm``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "tm"


def default_quantization(device: str) -> str:
    """int8 on CPU (fastest there, a quarter of the memory), float16 on a GPU."""
    return "float16" if device == "cuda" else "int8"


def check_quantization(quantization: str) -> str:
    """The quantization, or ModelError naming the choices."""
    if quantization not in QUANTIZATIONS:
        raise ModelError(
            f"Unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}."
        )
    return quantization


def ct2_version() -> str:
    """The installed CTranslate2 version (ModelError when it is not installed)."""
    try:
        import ctranslate2
    except ImportError as exc:
        raise ModelError(
            "The ct2 engine needs the ctranslate2 package, which is not installed here",
            action="Install it (pip install ctranslate2), or use {engine=transformers}.",
            option="engine",
        ) from exc
    return str(ctranslate2.__version__)


def checkpoint_fingerprint(ref: ModelRef) -> str:
    """Identifies the checkpoint's content without reading all of its weights.

    The Hub revision when there is one; always the config files' bytes and
    the weights' header, size and modification time.
    """
    digest = hashlib.sha256()
    digest.update((ref.revision or "").encode())
    for name in ("config.json", "generation_config.json", "vocab.json"):
        path = ref.path / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    weights = ref.weights
    stat = weights.stat()
    digest.update(f"{weights.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    with weights.open("rb") as fh:
        digest.update(fh.read(1 << 16))
    return digest.hexdigest()


def converted_dir(ref: ModelRef, quantization: str) -> Path:
    """Where the converted model for ``ref`` and ``quantization`` lives (or will)."""
    key = hashlib.sha256(
        "\x1f".join((checkpoint_fingerprint(ref), quantization, ct2_version())).encode()
    ).hexdigest()[:16]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in ref.model_id)
    return cache_root() / "ct2" / f"{safe}-{quantization}-{key}"


def is_converted(folder: Path) -> bool:
    """A complete conversion: the marker is written only after everything else."""
    return (folder / MARKER).is_file() and (folder / "model.bin").is_file()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_partials(parent: Path) -> None:
    """Remove temporary folders left by conversions whose process is gone (kill -9)."""
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if not child.name.startswith(PARTIAL_PREFIX):
            continue
        try:
            pid = int(child.name.rsplit("-", 1)[-1])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(child, ignore_errors=True)


def convert(
    ref: ModelRef,
    quantization: str,
    *,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> Path:
    """The converted folder of ``ref`` at ``quantization``; converts it if needed."""
    check_quantization(quantization)
    final = converted_dir(ref, quantization)
    if is_converted(final) and not force:
        return final
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"Cannot create the model cache folder {parent}: {exc.strerror or exc}. Set "
            f"{CACHE_ENV} to a writable folder."
        ) from exc
    _remove_stale_partials(parent)
    partial = parent / f"{PARTIAL_PREFIX}{final.name}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    if progress is not None:
        progress(
            f"Converting {ref.model_id} for CTranslate2 ({quantization}); this happens once, "
            f"into {final} ..."
        )
    started = time.perf_counter()
    try:
        _run_converter(ref, partial, quantization)
        seconds = time.perf_counter() - started
        marker = {
            "model": ref.model_id,
            "source": str(ref.path),
            "revision": ref.revision,
            "quantization": quantization,
            "ctranslate2": ct2_version(),
            "seconds": round(seconds, 2),
        }
        (partial / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        if final.exists() and (force or not is_converted(final)):
            # An old or incomplete copy (no marker) is moved aside, never used.
            aside = parent / f"{PARTIAL_PREFIX}old-{final.name}-{os.getpid()}"
            os.rename(final, aside)
            shutil.rmtree(aside, ignore_errors=True)
        try:
            os.rename(partial, final)
        except OSError:
            if not is_converted(final):
                raise
            # Another process finished the same conversion first: keep its copy.
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(
            f"Converting {ref.model_id} for CTranslate2 failed",
            _first_line(exc),
            "Use {engine=transformers} meanwhile, and check the checkpoint with `tm model info`.",
            option="engine",
        ) from exc
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    if progress is not None:
        progress(f"Converted {ref.model_id} in {time.perf_counter() - started:.1f} s.")
    return final


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".")


def _run_converter(ref: ModelRef, output: Path, quantization: str) -> None:
    """CTranslate2's TransformersConverter, quietly (it loads the model with torch)."""
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # untyped upstream
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped upstream
    converter = TransformersConverter(str(ref.path))
    converter.convert(str(output), quantization=quantization, force=True)


def folder_size(folder: Path) -> int:
    """Bytes in a folder's files."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- devices ------------------------------------------------------------------------


def gpu_indices() -> list[int]:
    """GPUs to use: ``TM_GPUS`` (comma-separated indices), else every visible one."""
    import ctranslate2

    count = int(ctranslate2.get_cuda_device_count())
    wanted = os.environ.get(GPUS_ENV, "").strip()
    if not wanted:
        return list(range(count))
    try:
        indices = [int(part) for part in wanted.split(",") if part.strip()]
    except ValueError:
        indices = []
    bad = [i for i in indices if not 0 <= i < count]
    if not indices or bad:
        raise ModelError(
            f"{GPUS_ENV}={wanted!r} does not name usable GPUs: this machine has {count} "
            f"(indices 0 to {count - 1}). Give comma-separated indices, such as 0,1."
        )
    return indices


def pick_ct2_device(device: str) -> tuple[str, list[int]]:
    """(``cpu`` or ``cuda``, device indices) for ``auto``, ``cpu`` or ``cuda``."""
    ct2_version()
    if device == "cpu":
        return "cpu", [0]
    import ctranslate2

    if int(ctranslate2.get_cuda_device_count()) > 0:
        return "cuda", gpu_indices()
    if device == "cuda":
        raise ModelError(
            "{device=cuda} was asked for, but CTranslate2 sees no CUDA GPU on this machine "
            "(or the driver is missing)",
            action="Use {device=cpu} or {device=auto}.",
            option="device",
        )
    return "cpu", [0]


# -- the engine ---------------------------------------------------------------------


@dataclass
class _Loaded:
    folder: Path
    device: str
    indices: tuple[int, ...]
    threads: int
    translator: Any


_LOADED: dict[tuple[str, str, tuple[int, ...], int], _Loaded] = {}


def _load(folder: Path, device: str, indices: list[int], threads: int) -> _Loaded:
    key = (str(folder), device, tuple(indices), threads)
    if key in _LOADED:
        return _LOADED[key]
    import ctranslate2

    try:
        translator = ctranslate2.Translator(
            str(folder),
            device=device,
            device_index=indices,
            compute_type="default",
            inter_threads=1,
            intra_threads=threads if device == "cpu" else 0,
        )
    except Exception as exc:
        raise ModelError(
            f"Cannot load the converted model {folder}",
            _first_line(exc),
            "Convert it again with `tm model convert`, or use {engine=transformers}.",
            option="engine",
        ) from exc
    loaded = _Loaded(folder, device, tuple(indices), threads, translator)
    _LOADED[key] = loaded
    return loaded


class Ct2Engine(MarianTranslator):
    """MarianMT through CTranslate2 ``translate_batch`` (the ``ct2`` engine)."""

    engine = "ct2"

    def __init__(
        self,
        ref: ModelRef,
        tokenizer: Any,
        loaded: _Loaded,
        *,
        quantization: str,
        **options: Any,
    ):
        super().__init__(
            ref,
            tokenizer,
            engine_label=f"ct2-{quantization}",
            engine_version=ct2_version(),
            **options,
        )
        self._loaded = loaded
        self.quantization = quantization
        self.folder = loaded.folder
        self.device = loaded.device
        self.device_indices = loaded.indices
        self.threads = loaded.threads

    @property
    def translator(self) -> Any:
        """The ``ctranslate2.Translator`` (for benchmarks and diagnostics)."""
        return self._loaded.translator

    def _options(self, beams: int, hypotheses: int) -> dict[str, Any]:
        least, most = self.settings.content_limits()
        return {
            "beam_size": max(beams, hypotheses),
            "num_hypotheses": hypotheses,
            "max_decoding_length": most,
            "min_decoding_length": least,
            # Inputs are already within the model's limit (over-long ones are split).
            "max_input_length": 0,
            "max_batch_size": self.sub_batch,
        }

    @property
    def sub_batch(self) -> int:
        """translate_batch's ``max_batch_size``: 0 (whole batches) on a GPU."""
        return CPU_SUB_BATCH if self.device == "cpu" else 0

    def _texts(self, results: Sequence[Any], hypotheses: int) -> list[list[str]]:
        convert = self.tokenizer.convert_tokens_to_ids
        rows = [convert(list(h)) for r in results for h in r.hypotheses[:hypotheses]]
        texts = [t.strip() for t in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]
        return [texts[i : i + hypotheses] for i in range(0, len(texts), hypotheses)]

    def decode_ids(
        self, batch: Sequence[Sequence[int]], *, beams: int, hypotheses: int
    ) -> list[list[str]]:
        """``translate_batch`` on one batch; ``hypotheses`` decoded texts per input."""
        return self.decode_batches([batch], beams=beams, hypotheses=hypotheses)[0]

    def decode_batches(
        self, batches: Sequence[Sequence[Sequence[int]]], *, beams: int, hypotheses: int
    ) -> list[list[list[str]]]:
        """All batches; with several GPUs they are submitted at once, one per replica."""
        to_tokens = self.tokenizer.convert_ids_to_tokens
        options = self._options(beams, hypotheses)
        tokens = [[to_tokens(list(ids)) for ids in batch] for batch in batches]
        translator = self._loaded.translator
        if len(self.device_indices) > 1 and len(batches) > 1:
            pending = [translator.translate_batch(b, asynchronous=True, **options) for b in tokens]
            results = [[p.result() for p in batch] for batch in pending]
        else:
            results = [translator.translate_batch(b, **options) for b in tokens]
        return [self._texts(r, hypotheses) for r in results]


def load_ct2(
    ref: ModelRef,
    *,
    device: str = "auto",
    quantization: str | None = None,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
    beams: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
    min_new_tokens: int | None = None,
    max_new_tokens: int | None = None,
    hypotheses: int = DEFAULT_HYPOTHESES,
) -> Ct2Engine:
    """Convert (once) and load ``ref`` with CTranslate2."""
    where, indices = pick_ct2_device(device)
    chosen = check_quantization(quantization or default_quantization(where))
    tokenizer = load_tokenizer(ref)
    check_vocabulary(ref, tokenizer)
    folder = convert(ref, chosen, progress=progress)
    loaded = _load(folder, where, indices, threads or default_threads())
    return Ct2Engine(
        ref,
        tokenizer,
        loaded,
        quantization=chosen,
        beams=beams,
        batch_size=batch_size,
        max_batch_tokens=max_batch_tokens,
        min_new_tokens=min_new_tokens,
        max_new_tokens=max_new_tokens,
        hypotheses=hypotheses,
    )
