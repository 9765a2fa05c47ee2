"""`tm model download|info`: get the MarianMT model and describe it."""

from __future__ import annotations

from typing import Annotated

import typer

from tm.commands.common import OutputFormat, console, err_console, print_json
from tm.errors import ModelError

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
    """Add `tm model download` and `tm model info` to the app."""
    group = typer.Typer(
        name="model",
        help="Download the MarianMT model, or show where it is and what it is.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command("download")(download)
    group.command("info")(info)
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
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.table
    ),
) -> None:
    """Show where the model is, its size, architecture, revision and limits."""
    from tm.mt import model_info

    described = model_info(model)
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
    }
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    shown = dict(rows)
    shown["size_bytes"] = _size(described.size_bytes)
    if described.parameters is not None:
        shown["parameters"] = f"{described.parameters / 1e6:.1f}M ({described.parameters:,})"
    labels = {"size_bytes": "size on disk", "max_positions": "max positions", "beams": "beams"}
    for key, value in shown.items():
        label = labels.get(key, key.replace("_", " "))
        console.print(f"{label:>14}: {value if value is not None else '-'}", highlight=False)
