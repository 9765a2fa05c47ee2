"""`tm model download|info|convert`: get the MarianMT model, describe it, convert it for ct2."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from tm.commands.common import OutputFormat, console, err_console, print_json
from tm.commands.translate import Quantization
from tm.errors import ModelError

if TYPE_CHECKING:
    from tm.mt import ModelRef

QuantizationOption = Annotated[
    Quantization | None,
    typer.Option(
        "--quantization",
        help="ct2 weights: int8 (default on CPU), float16 (default on a GPU), int8_float16, "
        "int8_float32 or float32.",
        show_default=False,
    ),
]

# What a MarianMT checkpoint needs; the Hub repos also hold TensorFlow, Flax
# and Rust weights that tm never reads.
CHECKPOINT_FILES = [
    "config.json",
    "generation_config.json",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
]


def register(app: typer.Typer) -> None:
    """Add `tm model download`, `info` and `convert` to the app."""
    group = typer.Typer(
        name="model",
        help="Download the MarianMT model, show where it is and what it is, or convert it "
        "for the ct2 engine.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command("download")(download)
    group.command("info")(info)
    group.command("convert")(convert)
    app.add_typer(group)


def download(
    model_id: Annotated[
        str | None,
        typer.Argument(
            help="Hugging Face model id. Default: TM_MODEL, else Helsinki-NLP/opus-mt-id-en.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Download a model into the Hugging Face cache (needs the Hub to be reachable)."""
    from tm.mt import requested_model, resolve_model

    repo_id = requested_model(model_id)
    try:
        from huggingface_hub import HfApi, snapshot_download

        files = HfApi().list_repo_files(repo_id)
        weights = "model.safetensors" if "model.safetensors" in files else "pytorch_model.bin"
        path = snapshot_download(repo_id, allow_patterns=[*CHECKPOINT_FILES, weights])
    except Exception as exc:  # network, offline mode, unknown repo, disk full...
        raise ModelError(
            f"Cannot download {repo_id} from the Hugging Face Hub: "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}. "
            "Check the id and the network (or HF_HUB_OFFLINE); on a machine with no access "
            "to the Hub, download there and copy the Hugging Face cache folder here, or "
            "give `tm translate --model DIR` a checkpoint folder."
        ) from exc
    ref = resolve_model(path)
    err_console.print(f"{repo_id} is ready in {ref.path}.", highlight=False, markup=False)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]  # bytes become a float for display
    return str(n)


def info(
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Model id (from the local cache) or folder. Default: TM_MODEL, else the "
            "default model.",
            show_default=False,
        ),
    ] = None,
    quantization: QuantizationOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.table
    ),
) -> None:
    """Show where the model is, its size, architecture, revision, limits and MT engine."""
    from tm.mt import model_info, resolve_model

    described = model_info(model)
    engine = _engine_rows(resolve_model(model), quantization.value if quantization else None)
    rows = {
        "model": described.model_id,
        "path": str(described.path),
        "revision": described.revision,
        "size_bytes": described.size_bytes,
        "architecture": described.architecture,
        "vocab_size": described.vocab_size,
        "max_positions": described.max_positions,
        "parameters": described.parameters,
        "beams": described.beams,
        **engine,
    }
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    shown = dict(rows)
    shown["size_bytes"] = _size(described.size_bytes)
    if described.parameters is not None:
        shown["parameters"] = f"{described.parameters / 1e6:.1f}M ({described.parameters:,})"
    if engine.get("converted_size_bytes") is not None:
        shown["converted_size_bytes"] = _size(int(engine["converted_size_bytes"]))
    labels = {
        "size_bytes": "size on disk",
        "max_positions": "max positions",
        "beams": "beams",
        "engine_version": "engine version",
        "converted_path": "converted model",
        "converted": "converted yet",
        "converted_size_bytes": "converted size",
    }
    for key, value in shown.items():
        label = labels.get(key, key.replace("_", " "))
        shown_value = value if value is not None else "-"
        console.print(f"{label:>15}: {shown_value}", highlight=False, markup=False)


def _engine_rows(ref: ModelRef, quantization: str | None) -> dict[str, Any]:
    """The engine `tm translate` would use, and the converted model (not converting it)."""
    from tm.mt import default_engine

    engine = default_engine()
    rows: dict[str, Any] = {"engine": engine}
    if engine != "ct2":
        import importlib.metadata

        rows["engine_version"] = importlib.metadata.version("transformers")
        return rows
    from tm.mt_ct2 import (
        check_quantization,
        converted_dir,
        ct2_version,
        default_quantization,
        folder_size,
        is_converted,
        pick_ct2_device,
    )

    device, _ = pick_ct2_device("auto")
    chosen = check_quantization(quantization or default_quantization(device))
    folder = converted_dir(ref, chosen)
    done = is_converted(folder)
    rows.update(
        {
            "engine_version": ct2_version(),
            "device": device,
            "quantization": chosen,
            "converted_path": str(folder),
            "converted": done,
            "converted_size_bytes": folder_size(folder) if done else None,
        }
    )
    return rows


def convert(
    model: Annotated[
        str | None,
        typer.Argument(
            help="Model id (from the local cache) or folder. Default: TM_MODEL, else the "
            "default model.",
            show_default=False,
        ),
    ] = None,
    quantization: QuantizationOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Convert again even if a converted copy exists.")
    ] = False,
) -> None:
    """Convert the model for the ct2 engine now (tm translate otherwise does it on first use)."""
    from tm.mt import resolve_model
    from tm.mt_ct2 import (
        check_quantization,
        default_quantization,
        folder_size,
        pick_ct2_device,
    )
    from tm.mt_ct2 import (
        convert as run_convert,
    )

    ref = resolve_model(model)
    device, _ = pick_ct2_device("auto")
    chosen = check_quantization(
        quantization.value if quantization is not None else default_quantization(device)
    )

    def say(line: str) -> None:
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)

    folder = run_convert(ref, chosen, progress=say, force=force)
    err_console.print(
        f"{ref.model_id} ({chosen}) is ready for the ct2 engine in {folder} "
        f"({_size(folder_size(folder))}).",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
