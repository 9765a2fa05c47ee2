"""Finding and checking a MarianMT checkpoint without loading it (no torch here).

A ``--model`` directory is used as it is; a Hub id is looked up in the local
Hugging Face cache only, never on the network. Every file a load needs is
checked first (the safetensors header included), so a missing or damaged
model is a clear :class:`~tm.errors.ModelError` before any work is done.
"""

from __future__ import annotations

import json
import math
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tm.errors import ModelError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-id-en"
MODEL_ENV = "TM_MODEL"
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A resolved, checked checkpoint directory (nothing loaded yet)."""

    model_id: str
    path: Path
    revision: str | None
    config: dict[str, Any] = field(repr=False)

    @property
    def origin(self) -> str:
        """The origin stored on drafts: ``mt:<id>``, plus ``@<revision>`` when known."""
        return f"mt:{self.model_id}" + (f"@{self.revision[:12]}" if self.revision else "")

    @property
    def weights(self) -> Path:
        """The weights file."""
        return next(self.path / n for n in WEIGHT_FILES if (self.path / n).is_file())

    @property
    def fingerprint(self) -> str:
        """Identifies these exact weights: the revision, else file size and mtime."""
        if self.revision:
            return self.revision
        stat = self.weights.stat()
        return f"{stat.st_size}-{stat.st_mtime_ns}"


# -- model resolution (no torch) ------------------------------------------------


def requested_model(model: str | None = None) -> str:
    """The model asked for: ``--model``, else ``TM_MODEL``, else the default id."""
    return model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "/", "~")) or text.count("/") != 1 or "\\" in text


def resolve_model(model: str | None = None) -> ModelRef:
    """Find and check the model without loading it; raise ModelError if unusable.

    A directory is used as it is. A Hub id is looked up in the local Hugging
    Face cache only (never the network).
    """
    name = requested_model(model)
    path = Path(name).expanduser()
    if path.is_dir():
        config = check_checkpoint(path)
        return ModelRef(path.resolve().name, path.resolve(), None, config)
    if path.exists():
        raise ModelError(
            f"{{model={name}}} is a file, not a model directory",
            action="Give the folder that holds config.json, the weights and the tokenizer files.",
            option="model",
        )
    if _looks_like_path(name):
        raise ModelError(
            f"The model directory {name} does not exist",
            action="Give {model} the folder of a MarianMT checkpoint, or a Hub id such as "
            f"{DEFAULT_MODEL}.",
            option="model",
        )
    snapshot = _cached_snapshot(name)
    config = check_checkpoint(snapshot, model_id=name)
    return ModelRef(name, snapshot, snapshot.name, config)


def _cached_snapshot(repo_id: str) -> Path:
    """The snapshot folder of ``repo_id`` in the local HF cache, else ModelError."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError

    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except HFValidationError as exc:
        raise ModelError(
            f"{repo_id!r} is neither a model directory nor a valid Hugging Face model id",
            action=f"Give {{model}} a folder, or an id such as {DEFAULT_MODEL}.",
            option="model",
        ) from exc
    except Exception as exc:  # every flavour of "not in the cache"
        raise ModelError(
            f"The MT model {repo_id} is not on this machine",
            "it is not in the Hugging Face cache, and tm never downloads during a translation",
            f"Either run `tm model download {repo_id}` on a machine that reaches the Hugging "
            "Face Hub (copy its cache folder here if this one is offline), or point {model} "
            "at a local MarianMT checkpoint directory. Use {no_mt} to fill from the "
            "translation memory only.",
            option="model",
        ) from exc


def check_checkpoint(path: Path, *, model_id: str | None = None) -> dict[str, Any]:
    """Check that ``path`` holds a complete MarianMT checkpoint; return its config."""
    label = model_id or str(path)
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ModelError(
            f"{label} is not a MarianMT checkpoint",
            f"there is no config.json in {path}",
            "Give {model} the folder written by save_pretrained (or `tm model download`).",
            option="model",
        )
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"The model config {config_file} is damaged ({exc}). Download the model again "
            "with `tm model download`, or copy a good checkpoint there."
        ) from exc
    if config.get("model_type") != "marian":
        kind = config.get("model_type") or "unknown"
        raise ModelError(
            f"{label} is a {kind!r} model, not MarianMT. tm translates with MarianMT "
            f"checkpoints such as {DEFAULT_MODEL}; give {{model}} one of those.",
            option="model",
        )
    missing = [n for n in TOKENIZER_FILES if not (path / n).is_file()]
    if not any((path / n).is_file() for n in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if missing:
        raise ModelError(
            f"The MarianMT checkpoint {label} is incomplete: {', '.join(missing)} missing "
            f"in {path}. Download it again with `tm model download`, or copy the complete "
            "folder."
        )
    safetensors = path / "model.safetensors"
    if safetensors.is_file():
        safetensors_header(safetensors)
    return config


def safetensors_header(path: Path) -> dict[str, Any]:
    """Read and check a safetensors header without torch; ModelError if truncated."""
    damaged = ModelError(
        f"The model weights {path} are damaged or truncated (an interrupted download?). "
        "Download the model again with `tm model download`, or copy a good checkpoint."
    )
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            raw = fh.read(8)
            if len(raw) < 8:
                raise damaged
            (length,) = struct.unpack("<Q", raw)
            if length > min(size - 8, 100_000_000):
                raise damaged
            header = json.loads(fh.read(length))
    except (OSError, ValueError) as exc:
        raise damaged from exc
    if not isinstance(header, dict):
        raise damaged
    end = max((t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"), default=0)
    if 8 + length + end > size:
        raise damaged
    return header


# -- model information ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What `tm model info` shows."""

    model_id: str
    path: Path
    revision: str | None
    size_bytes: int
    architecture: str
    vocab_size: int | None
    max_positions: int | None
    parameters: int | None
    beams: int | None


def model_info(model: str | None = None) -> ModelInfo:
    """Describe a model without loading it (the weights header gives the parameters)."""
    ref = resolve_model(model)
    size = sum(p.stat().st_size for p in ref.path.rglob("*") if p.is_file())
    parameters = None
    if ref.weights.name == "model.safetensors":
        header = safetensors_header(ref.weights)
        # final_logits_bias is a stored buffer, not a weight.
        parameters = sum(
            math.prod(t["shape"])
            for k, t in header.items()
            if k != "__metadata__" and not k.endswith("final_logits_bias")
        )
    beams = None
    generation = ref.path / "generation_config.json"
    if generation.is_file():
        try:
            beams = json.loads(generation.read_text(encoding="utf-8")).get("num_beams")
        except ValueError:
            beams = None
    config = ref.config
    architectures = config.get("architectures") or [config.get("model_type", "unknown")]
    return ModelInfo(
        model_id=ref.model_id,
        path=ref.path,
        revision=ref.revision,
        size_bytes=size,
        architecture=str(architectures[0]),
        vocab_size=config.get("vocab_size"),
        max_positions=config.get("max_position_embeddings"),
        parameters=parameters,
        beams=beams,
    )
