"""Machine translation: the Translator protocol and the MarianMT engines.

Model resolution is cheap and offline (:mod:`tm.mt_model`, re-exported
here): a ``--model`` directory, or a Hub id looked up in the local Hugging
Face cache only, checked file by file before anything else happens.

Two engines run the same checkpoint (:func:`load_translator` picks one):

- ``ct2``: CTranslate2 (:mod:`tm.mt_ct2`), the default when the package is
  installed. The checkpoint is converted once into a cache folder; decoding
  is several times faster than PyTorch's in a fraction of the memory.
- ``transformers``: PyTorch ``generate`` (:class:`MarianEngine`).

Both share everything around decoding (:class:`MarianTranslator`): sources
are normalised the way OPUS-MT training data was (Moses punctuation
normalisation for Indonesian), tokenised with the checkpoint's own
MarianTokenizer, sorted by length and batched by a token budget. A source
longer than the model's position limit is split at clause boundaries and
translated in parts, and the result says so; it is never cut silently.
When the caller says what a good draft must contain (the glossary's English
place names), a draft that lacks it is decoded again for several hypotheses
and the best-scoring one that has it is taken (``MtOutput.hypothesis``).
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
    "ENGINES",
    "ENGINE_ENV",
    "MODEL_ENV",
    "GenerationSettings",
    "HypothesisCheck",
    "MarianEngine",
    "MarianTranslator",
    "ModelInfo",
    "ModelRef",
    "MtOutput",
    "SimpleTranslator",
    "Translator",
    "Wish",
    "cache_key",
    "check_checkpoint",
    "default_engine",
    "glossary_wish",
    "load_engine",
    "load_translator",
    "model_info",
    "nbest_flag",
    "normalize_source",
    "requested_model",
    "resolve_model",
    "safetensors_header",
    "split_for_limit",
    "token_batches",
]

THREADS_ENV = "TM_THREADS"
ENGINE_ENV = "TM_ENGINE"
ENGINES = ("ct2", "transformers")
DEVICES = ("auto", "cpu", "cuda")
DEFAULT_BATCH_SIZE = 32
# Source tokens (padding included) per generate call: large enough to keep
# the cores busy, small enough that beam search stays within a few hundred MB.
DEFAULT_BATCH_TOKENS = 4096
# Bumped when a change here alters what the engine outputs for the same
# model and settings, so that old MT cache entries stop matching.
ENGINE_VERSION = 2
# Hypotheses asked for when a draft lacks what the caller wants (n-best).
DEFAULT_HYPOTHESES = 4

# Says whether a candidate English draft already has what the caller wants.
HypothesisCheck = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class MtOutput:
    """One translated source.

    ``parts`` > 1 when it had to be split to fit the model. ``hypothesis``
    is the rank (0 = the engine's best) of the hypothesis taken: above 0
    when a lower-ranked one had what the caller's check asked for; ``first``
    then holds the best one, which was passed over.
    """

    target: str
    parts: int = 1
    hypothesis: int = 0
    first: str | None = None


class Translator(Protocol):
    """Anything that turns Indonesian sources into English drafts.

    ``origin`` is stored on every draft (``mt:<model>@<revision>+<engine>``);
    the MT cache is keyed by ``cache_namespace`` (model, weights, engine and
    its version/quantization) and ``settings_key`` (decoding settings), so
    drafts from two models, engines or settings never mix.
    """

    @property
    def model_id(self) -> str:
        """The model's id (Hub id or folder name)."""
        ...

    @property
    def origin(self) -> str:
        """Stored on every draft."""
        ...

    @property
    def cache_namespace(self) -> str:
        """The MT cache's model/engine part."""
        ...

    @property
    def settings_key(self) -> str:
        """The MT cache's decoding-settings part."""
        ...

    @property
    def generate_calls(self) -> int:
        """Decoding calls so far (a run's summary reports the difference)."""
        ...

    def translate(self, sources: Sequence[str]) -> list[str]:
        """One draft per source, in order."""
        ...

    def translate_detailed(
        self,
        sources: Sequence[str],
        *,
        checks: Sequence[HypothesisCheck | None] | None = None,
    ) -> list[MtOutput]:
        """One output per source; ``checks[i]`` (if any) asks for n-best selection."""
        ...


class SimpleTranslator:
    """A base for translators without a model (tests, tools): override ``translate``.

    It fills in the rest of the :class:`Translator` protocol from
    ``model_id``; ``checks`` are not used (there is one hypothesis).
    """

    model_id = "simple"

    @property
    def origin(self) -> str:
        """``mt:<model_id>``."""
        return f"mt:{self.model_id}"

    @property
    def cache_namespace(self) -> str:
        """The model id."""
        return self.model_id

    settings_key = ""
    generate_calls = 0

    def translate(self, sources: Sequence[str]) -> list[str]:
        """One draft per source, in order."""
        raise NotImplementedError

    def translate_detailed(
        self,
        sources: Sequence[str],
        *,
        checks: Sequence[HypothesisCheck | None] | None = None,
    ) -> list[MtOutput]:
        """``translate`` wrapped: one part, the first hypothesis."""
        return [MtOutput(t) for t in self.translate(sources)]


# -- preprocessing ----------------------------------------------------------------


@lru_cache(maxsize=1)
def _punct_normalizer() -> Callable[[str], str]:
    from sacremoses import MosesPunctNormalizer

    return MosesPunctNormalizer(lang="id").normalize  # type: ignore[no-any-return]


def normalize_source(text: str) -> str:
    """The text as the model sees it: Moses punctuation normalisation (id)."""
    return _punct_normalizer()(text).strip() if text.strip() else ""


def cache_key(namespace: str, settings_key: str, normalized: str, wanted: str = "") -> str:
    """The MT cache key of a normalised source for one model and setting.

    ``wanted`` names what an n-best choice looked for (the glossary terms);
    a draft chosen for it is cached apart from the plain first draft.
    """
    parts = (namespace, settings_key, normalized, *((wanted,) if wanted else ()))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Wish:
    """What a draft of one source should contain, for n-best selection.

    ``check`` tells whether a candidate draft has it; ``key`` identifies it
    in the MT cache (see :func:`cache_key`); ``names`` are the English forms,
    for the segment's flag.
    """

    check: HypothesisCheck
    key: str
    names: tuple[str, ...]


def glossary_wish(glossary: Any, source: str) -> Wish | None:
    """The glossary's place names in ``source`` as a :class:`Wish`, or None if it has none.

    A candidate passes when every place name the glossary finds in the
    source is named in English (what the glossary check would accept).
    ``glossary`` is a :class:`glossary.Glossary` (``find`` and ``check``).
    """
    hits = [h for h in glossary.find(source) if not h.entry.check_only]
    if not hits:
        return None
    entries = sorted({(h.entry.id, h.entry.target) for h in hits})

    def check(target: str) -> bool:
        return all(c.agreed for c in glossary.check(source, target) if not c.hit.entry.check_only)

    key = "glossary:" + "|".join(f"{i}={t}" for i, t in entries)
    return Wish(check, key, tuple(dict.fromkeys(t for _, t in entries)))


def nbest_flag(wish: Wish) -> str:
    """The segment flag for a draft taken from lower in the n-best list."""
    return (
        f"mt-nbest: a lower-ranked MT hypothesis was taken; it names {', '.join(wish.names)}"
        " (the first did not)"
    )


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


# -- engines ------------------------------------------------------------------------


def default_engine() -> str:
    """``TM_ENGINE`` if set, else ``ct2`` when CTranslate2 is installed, else ``transformers``."""
    import importlib.util

    chosen = os.environ.get(ENGINE_ENV, "").strip()
    if chosen:
        if chosen not in ENGINES:
            raise ModelError(
                f"{ENGINE_ENV}={chosen!r} is not an MT engine: use one of {', '.join(ENGINES)}."
            )
        return chosen
    return "ct2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


def generation_defaults(ref: ModelRef) -> dict[str, Any]:
    """The checkpoint's generation_config.json (empty when absent or unreadable)."""
    path = ref.path / "generation_config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class GenerationSettings:
    """What decoding does; part of the MT cache key.

    Lengths follow transformers: ``max_length``/``min_length`` count the
    decoder start token, ``max_new_tokens``/``min_new_tokens`` the tokens
    generated (the end-of-sentence token included).
    """

    beams: int
    max_length: int
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None
    min_length: int = 0
    # The model ends a draft that reaches the length limit with </s>.
    forced_eos: bool = False
    # Hypotheses decoded when a draft fails the caller's check (1: no n-best).
    hypotheses: int = DEFAULT_HYPOTHESES

    def key(self) -> str:
        """A stable string for the MT cache."""
        return json.dumps(
            {
                "engine": ENGINE_VERSION,
                "beams": self.beams,
                "max_length": self.max_length,
                "min_length": self.min_length,
                "min_new": self.min_new_tokens,
                "max_new": self.max_new_tokens,
                "nbest": self.hypotheses,
            },
            sort_keys=True,
        )

    def content_limits(self) -> tuple[int, int]:
        """(min, max) tokens before ``</s>``, as transformers' ``generate`` would give them."""
        most = self.max_new_tokens if self.max_new_tokens is not None else self.max_length - 1
        if self.forced_eos:
            most -= 1  # the last place goes to the forced </s>
        least = (
            self.min_new_tokens if self.min_new_tokens is not None else max(self.min_length - 1, 0)
        )
        return min(least, most), max(most, 1)


def machine_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Compute threads: ``TM_THREADS`` if set, else every core.

    On a machine whose cores are busy with other work, fewer threads can be
    much faster (OpenMP threads wait for each other), hence the override.
    """
    try:
        return max(int(os.environ.get(THREADS_ENV, "")), 1)
    except ValueError:
        return machine_cores()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".")


def load_tokenizer(ref: ModelRef) -> Any:
    """The checkpoint's MarianTokenizer (SentencePiece; no torch needed)."""
    from transformers import MarianTokenizer
    from transformers.utils import logging as hf_logging

    # Loading bars and warnings would clutter stderr, which is the user's.
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # untyped upstream
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped upstream
    try:
        return MarianTokenizer.from_pretrained(ref.path, local_files_only=True)
    except Exception as exc:
        raise ModelError(
            f"Cannot load the tokenizer of the MarianMT model {ref.model_id} from {ref.path}",
            f"{_first_line(exc)}; the files are probably damaged",
            "Download the model again with `tm model download`, or give {model} another "
            "checkpoint.",
            option="model",
        ) from exc


def check_vocabulary(ref: ModelRef, tokenizer: Any) -> None:
    """The tokenizer and the weights must come from the same checkpoint."""
    vocab_size = ref.config.get("vocab_size")
    if isinstance(vocab_size, int) and len(tokenizer) > vocab_size:
        raise ModelError(
            f"The tokenizer of {ref.model_id} has {len(tokenizer)} entries but the model only "
            f"{vocab_size}: they belong to different checkpoints. Use a complete checkpoint "
            "folder."
        )


class MarianTranslator:
    """What every MarianMT engine shares: tokenising, splitting, batching, n-best.

    A subclass decodes one batch of token ids (:meth:`decode_ids`); this
    class does everything around it, so that both engines behave the same.
    """

    engine = "marian"

    def __init__(
        self,
        ref: ModelRef,
        tokenizer: Any,
        *,
        engine_label: str,
        engine_version: str,
        beams: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
        min_new_tokens: int | None = None,
        max_new_tokens: int | None = None,
        hypotheses: int = DEFAULT_HYPOTHESES,
    ):
        if beams is not None and beams < 1:
            raise UsageError(f"{{beams}} must be 1 or more, not {beams}", option="beams")
        if batch_size < 1:
            raise UsageError(
                f"{{batch_size}} must be 1 or more, not {batch_size}", option="batch_size"
            )
        config = ref.config
        generation = generation_defaults(ref)
        limit = min(
            int(config.get("max_position_embeddings") or 512),
            int(getattr(tokenizer, "model_max_length", 0) or 10**9),
        )
        self.ref = ref
        self.tokenizer = tokenizer
        self.model_id = ref.model_id
        self.revision = ref.revision
        self.engine_label = engine_label
        self.origin = f"{ref.origin}+{engine_label}"
        self.cache_namespace = f"{ref.model_id}#{ref.fingerprint}#{engine_label}@{engine_version}"
        self.max_positions = limit
        self.batch_size = batch_size
        self.max_batch_tokens = max(max_batch_tokens, limit)
        # As transformers: generation_config.json when there is one, else config.json.
        defaults = generation or config
        max_length = int(defaults.get("max_length") or limit)
        self.settings = GenerationSettings(
            beams=beams or int(defaults.get("num_beams") or 1),
            max_length=min(max_length, limit),
            min_new_tokens=min_new_tokens,
            max_new_tokens=max_new_tokens,
            min_length=int(defaults.get("min_length") or 0),
            forced_eos=defaults.get("forced_eos_token_id") is not None,
            hypotheses=max(hypotheses, 1),
        )
        self.settings_key = self.settings.key()
        # Decoding calls for first drafts, and for n-best redecoding.
        self.generate_calls = 0
        self.nbest_calls = 0

    # -- what a subclass provides ---------------------------------------------------

    def decode_ids(
        self, batch: Sequence[Sequence[int]], *, beams: int, hypotheses: int
    ) -> list[list[str]]:
        """Decode one batch of token ids: ``hypotheses`` texts per input, best first."""
        raise NotImplementedError

    def decode_batches(
        self, batches: Sequence[Sequence[Sequence[int]]], *, beams: int, hypotheses: int
    ) -> list[list[list[str]]]:
        """Decode several batches (one after the other; an engine may run them in parallel)."""
        return [self.decode_ids(b, beams=beams, hypotheses=hypotheses) for b in batches]

    # -- shared -----------------------------------------------------------------------

    def translate(self, sources: Sequence[str]) -> list[str]:
        """One English draft per source, in order."""
        return [out.target for out in self.translate_detailed(sources)]

    def count_tokens(self, text: str) -> int:
        """Source tokens of a normalised text, end-of-sentence included."""
        return len(self.tokenizer(text)["input_ids"])

    def translate_detailed(
        self,
        sources: Sequence[str],
        *,
        checks: Sequence[HypothesisCheck | None] | None = None,
    ) -> list[MtOutput]:
        """Translate, telling which sources were split and which took a lower hypothesis.

        ``checks[i]``, when given, says whether a draft of ``sources[i]`` has
        what it must (the glossary's English names). When the beam is at least
        ``settings.hypotheses`` wide, such sources are decoded for that many
        hypotheses in the same search; with a narrower beam (greedy), only a
        first draft that fails is decoded again with a wider one. The
        best-ranked hypothesis that passes is taken; when none passes, the
        first draft stays. Sources split into parts keep their first draft.
        """
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
        n = self.settings.hypotheses
        # With a beam as wide as the n-best list, the hypotheses come from the
        # same search (num_hypotheses): sources with a check ask for them at once.
        at_once = checks is not None and n > 1 and self.settings.beams >= n
        wanted = [
            k
            for k, owner in enumerate(owners)
            if at_once and checks is not None and checks[owner] and parts_of[owner] == 1
        ]
        decoded: list[list[str]] = [[] for _ in pieces]
        plain = sorted(set(range(len(pieces))) - set(wanted))
        for group, count in ((plain, 1), (wanted, n)):
            found = self._decode_all(
                [pieces[k] for k in group], beams=self.settings.beams, hypotheses=count
            )
            for k, hyps in zip(group, found, strict=True):
                decoded[k] = hyps
        targets: list[list[str]] = [[] for _ in sources]
        whole: dict[int, list[int]] = {}
        for owner, ids, hyps in zip(owners, pieces, decoded, strict=True):
            targets[owner].append(hyps[0])
            if parts_of[owner] == 1:
                whole[owner] = ids
        outputs = [
            MtOutput(" ".join(t for t in parts if t), count)
            for parts, count in zip(targets, parts_of, strict=True)
        ]
        for k in wanted:
            self._take_passing(outputs, owners[k], decoded[k][1:], checks)
        if checks is not None and n > 1 and not at_once:
            self._choose_hypotheses(outputs, whole, checks)
        return outputs

    @staticmethod
    def _take_passing(
        outputs: list[MtOutput],
        index: int,
        ranked: Sequence[str],
        checks: Sequence[HypothesisCheck | None] | None,
        *,
        first_rank: int = 2,
    ) -> None:
        """Replace a first draft that fails its check by the best-ranked one that passes."""
        check = checks[index] if checks is not None else None
        out = outputs[index]
        if check is None or not out.target or check(out.target):
            return
        for rank, text in enumerate(ranked, start=first_rank):
            if text and text != out.target and check(text):
                outputs[index] = MtOutput(text, 1, rank, out.target)
                return

    def _choose_hypotheses(
        self,
        outputs: list[MtOutput],
        whole: dict[int, list[int]],
        checks: Sequence[HypothesisCheck | None],
    ) -> None:
        """Replace first drafts that fail their check by the best n-best one that passes."""
        redo: list[int] = []
        for index, check in enumerate(checks):
            out = outputs[index]
            if check is not None and index in whole and out.target and not check(out.target):
                redo.append(index)
        if not redo:
            return
        n = self.settings.hypotheses
        found = self._decode_all(
            [whole[i] for i in redo], beams=max(self.settings.beams, n), hypotheses=n
        )
        for index, hyps in zip(redo, found, strict=True):
            self._take_passing(outputs, index, hyps, checks, first_rank=1)

    def _decode_all(
        self, encoded: list[list[int]], *, beams: int, hypotheses: int
    ) -> list[list[str]]:
        """Decoded hypotheses for token-id inputs, batched longest first."""
        results: list[list[str]] = [[] for _ in encoded]
        order = token_batches(
            [len(ids) for ids in encoded],
            batch_size=self.batch_size,
            max_tokens=self.max_batch_tokens,
        )
        batches = [[encoded[i] for i in batch] for batch in order]
        decoded = (
            self.decode_batches(batches, beams=beams, hypotheses=hypotheses) if batches else []
        )
        if beams >= hypotheses and beams == self.settings.beams:
            self.generate_calls += len(batches)
        else:  # a wider search again, for n-best
            self.nbest_calls += len(batches)
        for batch, texts in zip(order, decoded, strict=True):
            for index, hyps in zip(batch, texts, strict=True):
                results[index] = hyps
        return results


# -- the transformers engine ----------------------------------------------------------


@dataclass
class _Loaded:
    ref: ModelRef
    device: str
    model: Any
    tokenizer: Any


_LOADED: dict[tuple[str, str], _Loaded] = {}


def _load(ref: ModelRef, device: str) -> _Loaded:
    """Import torch/transformers and load the checkpoint (once per process)."""
    key = (str(ref.path), device)
    if key in _LOADED:
        return _LOADED[key]
    tokenizer = load_tokenizer(ref)
    from transformers import MarianMTModel

    try:
        model: Any = MarianMTModel.from_pretrained(ref.path, local_files_only=True)
        model.eval()
        model.to(device)
    except Exception as exc:
        raise ModelError(
            f"Cannot load the MarianMT model {ref.model_id} from {ref.path}",
            f"{_first_line(exc)}; the files are probably damaged or from an incompatible version",
            "Download the model again with `tm model download`, or give {model} another "
            "checkpoint.",
            option="model",
        ) from exc
    check_vocabulary(ref, tokenizer)
    loaded = _Loaded(ref, device, model, tokenizer)
    _LOADED[key] = loaded
    return loaded


def pick_device(device: str) -> str:
    """``auto`` → cuda when available, else cpu; checks an explicit choice (torch)."""
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


class MarianEngine(MarianTranslator):
    """MarianMT through PyTorch ``generate`` (the ``transformers`` engine)."""

    engine = "transformers"

    def __init__(self, loaded: _Loaded, *, threads: int | None = None, **options: Any):
        import torch
        import transformers

        torch.set_num_threads(threads or default_threads())
        super().__init__(
            loaded.ref,
            loaded.tokenizer,
            engine_label="transformers",
            engine_version=transformers.__version__,
            **options,
        )
        self._loaded = loaded
        self.device = loaded.device
        model_limit = int(loaded.model.config.max_position_embeddings)
        self.max_positions = min(self.max_positions, model_limit)

    @property
    def model(self) -> Any:
        """The loaded transformers model (for benchmarks and diagnostics)."""
        return self._loaded.model

    def decode_ids(
        self, batch: Sequence[Sequence[int]], *, beams: int, hypotheses: int
    ) -> list[list[str]]:
        """``generate`` on one batch; ``hypotheses`` decoded texts per input."""
        import torch

        loaded = self._loaded
        pad = int(loaded.tokenizer.pad_token_id)
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        options: dict[str, Any] = {"num_beams": max(beams, hypotheses)}
        if hypotheses > 1:
            options["num_return_sequences"] = hypotheses
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
        texts: list[str] = loaded.tokenizer.batch_decode(output, skip_special_tokens=True)
        stripped = [t.strip() for t in texts]
        return [stripped[i : i + hypotheses] for i in range(0, len(stripped), hypotheses)]


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
    hypotheses: int = DEFAULT_HYPOTHESES,
) -> MarianEngine:
    """Resolve (if needed) and load the transformers engine; once per process and model."""
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    loaded = _load(ref, pick_device(device))
    return MarianEngine(
        loaded,
        threads=threads,
        beams=beams,
        batch_size=batch_size,
        max_batch_tokens=max_batch_tokens,
        min_new_tokens=min_new_tokens,
        max_new_tokens=max_new_tokens,
        hypotheses=hypotheses,
    )


def load_translator(
    model: str | ModelRef | None = None,
    *,
    engine: str | None = None,
    device: str = "auto",
    beams: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
    min_new_tokens: int | None = None,
    max_new_tokens: int | None = None,
    threads: int | None = None,
    quantization: str | None = None,
    hypotheses: int = DEFAULT_HYPOTHESES,
    progress: Callable[[str], None] | None = None,
) -> MarianTranslator:
    """The MT engine for ``tm translate`` and the UI: ``engine``, else :func:`default_engine`.

    With ``ct2`` the checkpoint is converted on first use (``progress`` gets
    a line before and after); ``quantization`` applies to ``ct2`` only.
    """
    name = engine or default_engine()
    if name not in ENGINES:
        raise ModelError(f"Unknown MT engine {name!r}: use one of {', '.join(ENGINES)}.")
    if device not in DEVICES:
        raise UsageError(
            f"Unknown device {device!r}",
            action=f"Use one of {', '.join(DEVICES)}.",
            option="device",
        )
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    options: dict[str, Any] = {
        "beams": beams,
        "batch_size": batch_size,
        "max_batch_tokens": max_batch_tokens,
        "min_new_tokens": min_new_tokens,
        "max_new_tokens": max_new_tokens,
        "threads": threads,
        "hypotheses": hypotheses,
    }
    if name == "transformers":
        if quantization is not None:
            raise UsageError(
                "{quantization} applies to the ct2 engine only",
                "the transformers engine runs the checkpoint as it is",
                option="quantization",
            )
        return load_engine(ref, device=device, **options)
    from tm.mt_ct2 import load_ct2

    return load_ct2(ref, device=device, quantization=quantization, progress=progress, **options)
