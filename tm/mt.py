"""Machine translation: the Translator protocol and the MarianMT engine.

Model resolution is cheap and offline (:mod:`tm.mt_model`, re-exported
here): a ``--model`` directory, or a Hub id looked up in the local Hugging
Face cache only, checked file by file before anything else happens. Loading
(:func:`load_engine`) is the only place that imports torch and transformers,
once per process and model/device.

Sources are normalised the way OPUS-MT training data was (Moses punctuation
normalisation for Indonesian), sorted by length and batched by a token
budget. A source longer than the model's position limit is split at clause
boundaries and translated in parts, and the result says so; it is never cut
silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from tm.errors import ModelError, UsageError
from tm.mt_model import (
    DEFAULT_MODEL,
    MODEL_ENV,
    ModelInfo,
    ModelRef,
    check_checkpoint,
    model_info,
    requested_model,
    resolve_model,
    safetensors_header,
)

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_ENV",
    "GenerationSettings",
    "MarianEngine",
    "ModelInfo",
    "ModelRef",
    "MtOutput",
    "Translator",
    "cache_key",
    "check_checkpoint",
    "load_engine",
    "model_info",
    "normalize_source",
    "requested_model",
    "resolve_model",
    "safetensors_header",
    "split_for_limit",
    "token_batches",
]

THREADS_ENV = "TM_THREADS"
DEVICES = ("auto", "cpu", "cuda")
DEFAULT_BATCH_SIZE = 32
# Source tokens (padding included) per generate call: large enough to keep
# the cores busy, small enough that beam search stays within a few hundred MB.
DEFAULT_BATCH_TOKENS = 4096
# Bumped when a change here alters what the engine outputs for the same
# model and settings, so that old MT cache entries stop matching.
ENGINE_VERSION = 1


class Translator(Protocol):
    """Anything that turns Indonesian sources into English drafts."""

    model_id: str

    def translate(self, sources: Sequence[str]) -> list[str]:
        """One draft per source, in order."""
        ...


@dataclass(frozen=True, slots=True)
class MtOutput:
    """One translated source; ``parts`` > 1 when it had to be split."""

    target: str
    parts: int = 1


# -- preprocessing ----------------------------------------------------------------


@lru_cache(maxsize=1)
def _punct_normalizer() -> Callable[[str], str]:
    from sacremoses import MosesPunctNormalizer

    return MosesPunctNormalizer(lang="id").normalize  # type: ignore[no-any-return]


def normalize_source(text: str) -> str:
    """The text as the model sees it: Moses punctuation normalisation (id)."""
    return _punct_normalizer()(text).strip() if text.strip() else ""


def cache_key(namespace: str, settings_key: str, normalized: str) -> str:
    """The MT cache key of a normalised source for one model and setting."""
    blob = "\x1f".join((namespace, settings_key, normalized)).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


_CLAUSE_END = re.compile(r"(?<=[;:,])\s+|\s+(?=[—–]\s)|(?<=\s[—–])\s+")
_CONJUNCTION = re.compile(r"\s+(?=(?:dan|tetapi|namun|sedangkan|sehingga|karena|yang)\s)")


def split_for_limit(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` tokens each.

    Splits first at clause punctuation, then before conjunctions, then
    between words, and only as a last resort inside a word; neighbouring
    pieces are packed back together while they fit.
    """
    if count(text) <= limit:
        return [text]
    for pattern in (_CLAUSE_END, _CONJUNCTION, re.compile(r"\s+")):
        pieces = [p for p in pattern.split(text) if p]
        if len(pieces) > 1:
            break
    else:
        half = len(text) // 2
        pieces = [text[:half], text[half:]]
    parts: list[str] = []
    for piece in pieces:
        for chunk in split_for_limit(piece, count, limit):
            if parts and count(f"{parts[-1]} {chunk}") <= limit:
                parts[-1] = f"{parts[-1]} {chunk}"
            else:
                parts.append(chunk)
    return parts


def token_batches(lengths: Sequence[int], *, batch_size: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped into batches, longest first, within a padded-token budget."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and (len(current) >= batch_size or longest * (len(current) + 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


# -- the engine ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GenerationSettings:
    """What decoding does; part of the MT cache key."""

    beams: int
    max_length: int
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None

    def key(self) -> str:
        """A stable string for the MT cache."""
        return json.dumps(
            {
                "engine": ENGINE_VERSION,
                "beams": self.beams,
                "max_length": self.max_length,
                "min_new": self.min_new_tokens,
                "max_new": self.max_new_tokens,
            },
            sort_keys=True,
        )


@dataclass
class _Loaded:
    ref: ModelRef
    device: str
    model: Any
    tokenizer: Any
    max_positions: int


_LOADED: dict[tuple[str, str], _Loaded] = {}


def machine_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Torch threads: ``TM_THREADS`` if set, else every core.

    On a machine whose cores are busy with other work, fewer threads can be
    much faster (OpenMP threads wait for each other), hence the override.
    """
    try:
        return max(int(os.environ.get(THREADS_ENV, "")), 1)
    except ValueError:
        return machine_cores()


def _load(ref: ModelRef, device: str) -> _Loaded:
    """Import torch/transformers and load the checkpoint (once per process)."""
    key = (str(ref.path), device)
    if key in _LOADED:
        return _LOADED[key]
    from transformers import MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    # Loading bars and warnings would clutter stderr, which is the user's.
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # untyped upstream
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped upstream
    try:
        tokenizer: Any = MarianTokenizer.from_pretrained(ref.path, local_files_only=True)
        model: Any = MarianMTModel.from_pretrained(ref.path, local_files_only=True)
        model.eval()
        model.to(device)
    except Exception as exc:
        raise ModelError(
            f"Cannot load the MarianMT model {ref.model_id} from {ref.path}: "
            f"{_first_line(exc)}. The files are probably damaged or from an incompatible "
            "version; download the model again with `tm model download`, or give {model} "
            "another checkpoint.",
            option="model",
        ) from exc
    if len(tokenizer) > model.config.vocab_size:
        raise ModelError(
            f"The tokenizer of {ref.model_id} has {len(tokenizer)} entries but the model only "
            f"{model.config.vocab_size}: they belong to different checkpoints. Use a "
            "complete checkpoint folder."
        )
    limit = min(int(model.config.max_position_embeddings), int(tokenizer.model_max_length))
    loaded = _Loaded(ref, device, model, tokenizer, limit)
    _LOADED[key] = loaded
    return loaded


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".")


def pick_device(device: str) -> str:
    """``auto`` → cuda when available, else cpu; checks an explicit choice."""
    if device not in DEVICES:
        raise UsageError(
            f"Unknown device {device!r}",
            action=f"Use one of {', '.join(DEVICES)}.",
            option="device",
        )
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise ModelError(
            "{device=cuda} was asked for, but this machine has no usable CUDA GPU (or "
            "torch was built without CUDA)",
            action="Use {device=cpu} or {device=auto}.",
            option="device",
        )
    return "cpu"


class MarianEngine:
    """A loaded MarianMT model with its decoding settings (a :class:`Translator`)."""

    def __init__(
        self,
        loaded: _Loaded,
        *,
        beams: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
        min_new_tokens: int | None = None,
        max_new_tokens: int | None = None,
        threads: int | None = None,
    ):
        import torch

        torch.set_num_threads(threads or default_threads())
        generation = loaded.model.generation_config
        default_beams = int(getattr(generation, "num_beams", None) or 1)
        if beams is not None and beams < 1:
            raise UsageError(f"{{beams}} must be 1 or more, not {beams}", option="beams")
        if batch_size < 1:
            raise UsageError(
                f"{{batch_size}} must be 1 or more, not {batch_size}", option="batch_size"
            )
        self._loaded = loaded
        self.ref = loaded.ref
        self.model_id = loaded.ref.model_id
        self.revision = loaded.ref.revision
        self.origin = loaded.ref.origin
        self.device = loaded.device
        self.max_positions = loaded.max_positions
        self.batch_size = batch_size
        self.max_batch_tokens = max(max_batch_tokens, loaded.max_positions)
        max_length = int(getattr(generation, "max_length", None) or loaded.max_positions)
        self.settings = GenerationSettings(
            beams=beams or default_beams,
            max_length=min(max_length, loaded.max_positions),
            min_new_tokens=min_new_tokens,
            max_new_tokens=max_new_tokens,
        )
        self.settings_key = self.settings.key()
        self.cache_namespace = f"{self.model_id}#{self.ref.fingerprint}"
        self.generate_calls = 0

    @property
    def model(self) -> Any:
        """The loaded transformers model (for benchmarks and diagnostics)."""
        return self._loaded.model

    @property
    def tokenizer(self) -> Any:
        """The loaded MarianTokenizer."""
        return self._loaded.tokenizer

    def translate(self, sources: Sequence[str]) -> list[str]:
        """One English draft per source, in order."""
        return [out.target for out in self.translate_detailed(sources)]

    def count_tokens(self, text: str) -> int:
        """Source tokens of a normalised text, end-of-sentence included."""
        return len(self._loaded.tokenizer(text)["input_ids"])

    def translate_detailed(self, sources: Sequence[str]) -> list[MtOutput]:
        """Translate, telling which sources were split to fit the position limit."""
        normalized = [normalize_source(s) for s in sources]
        present = [i for i, text in enumerate(normalized) if text]
        # Each source is tokenised once; only the rare over-long one again, per part.
        encoded = self.tokenizer([normalized[i] for i in present])["input_ids"] if present else []
        pieces: list[list[int]] = []
        owners: list[int] = []
        parts_of = [1] * len(sources)
        for index, ids in zip(present, encoded, strict=True):
            if len(ids) <= self.max_positions:
                pieces.append(ids)
                owners.append(index)
                continue
            parts = split_for_limit(normalized[index], self.count_tokens, self.max_positions)
            parts_of[index] = len(parts)
            pieces.extend(self.tokenizer(parts)["input_ids"])
            owners.extend([index] * len(parts))
        targets: list[list[str]] = [[] for _ in sources]
        for owner, target in zip(owners, self._generate_all(pieces), strict=True):
            targets[owner].append(target)
        return [
            MtOutput(" ".join(t for t in parts if t), count)
            for parts, count in zip(targets, parts_of, strict=True)
        ]

    def _generate_all(self, encoded: list[list[int]]) -> list[str]:
        """Decoded outputs for token-id inputs, batched longest first."""
        results: list[str] = [""] * len(encoded)
        for batch in token_batches(
            [len(ids) for ids in encoded],
            batch_size=self.batch_size,
            max_tokens=self.max_batch_tokens,
        ):
            decoded = self.generate_ids([encoded[i] for i in batch])
            for index, text in zip(batch, decoded, strict=True):
                results[index] = text
        return results

    def generate_ids(self, batch: Sequence[Sequence[int]]) -> list[str]:
        """Run ``generate`` on one batch of token ids; returns decoded texts."""
        import torch

        loaded = self._loaded
        pad = int(loaded.tokenizer.pad_token_id)
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        options: dict[str, Any] = {"num_beams": self.settings.beams}
        if self.settings.max_new_tokens is not None:
            options["max_new_tokens"] = self.settings.max_new_tokens
        else:
            options["max_length"] = self.settings.max_length
        if self.settings.min_new_tokens is not None:
            options["min_new_tokens"] = self.settings.min_new_tokens
        with torch.inference_mode():
            output = loaded.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                **options,
            )
        self.generate_calls += 1
        texts: list[str] = loaded.tokenizer.batch_decode(output, skip_special_tokens=True)
        return [t.strip() for t in texts]


def load_engine(
    model: str | ModelRef | None = None,
    *,
    device: str = "auto",
    beams: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
    min_new_tokens: int | None = None,
    max_new_tokens: int | None = None,
    threads: int | None = None,
) -> MarianEngine:
    """Resolve (if needed) and load a MarianMT engine; loading happens once per process."""
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    loaded = _load(ref, pick_device(device))
    return MarianEngine(
        loaded,
        beams=beams,
        batch_size=batch_size,
        max_batch_tokens=max_batch_tokens,
        min_new_tokens=min_new_tokens,
        max_new_tokens=max_new_tokens,
        threads=threads,
    )
