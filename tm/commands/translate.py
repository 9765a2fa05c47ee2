"""`tm translate FILE`: memory, MT cache and MarianMT drafts for a whole file."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tm.commands.common import err_console, open_store, write_output
from tm.commands.documents import EncodingOption, load_text

if TYPE_CHECKING:
    from tm.pipeline import TranslateSummary
    from tm.store import Store

INTERRUPTED_EXIT = 130


class Engine(StrEnum):
    """MT engines tm knows (see tm.mt.load_translator)."""

    ct2 = "ct2"
    transformers = "transformers"


class Quantization(StrEnum):
    """CTranslate2 weight types."""

    int8 = "int8"
    int8_float32 = "int8_float32"
    float16 = "float16"
    int8_float16 = "int8_float16"
    float32 = "float32"


class Device(StrEnum):
    """Where the model runs."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


def register(app: typer.Typer) -> None:
    """Add `tm translate` to the app."""
    app.command("translate")(translate)


@contextmanager
def _stop_on_ctrl_c() -> Iterator[list[bool]]:
    """First Ctrl-C: finish the batch in flight, then stop. Second: stop now."""
    flag = [False]

    def handler(signum: int, frame: Any) -> None:
        if flag[0]:
            raise KeyboardInterrupt
        flag[0] = True
        err_console.print(
            "Stopping after the current batch (Ctrl-C again to stop at once)...",
            highlight=False,
        )

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: no handler, Ctrl-C stays immediate
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _progress_bar() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class SpeedColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} seg/s" if speed else "- seg/s")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("segments"),
        SpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def translate(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Indonesian text file, or - for stdin.")],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Hugging Face model id (from the local cache) or checkpoint folder. "
            "Default: TM_MODEL, else Helsinki-NLP/opus-mt-id-en.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            "--engine",
            help="MT engine: ct2 (CTranslate2, converted once, fast) or transformers "
            "(PyTorch). Default: TM_ENGINE, else ct2 when installed.",
            show_default=False,
        ),
    ] = None,
    quantization: Annotated[
        Quantization | None,
        typer.Option(
            "--quantization",
            help="ct2 weights: int8 (default on CPU), float16 (default on a GPU), "
            "int8_float16, int8_float32 or float32.",
            show_default=False,
        ),
    ] = None,
    beams: Annotated[
        int | None,
        typer.Option("--beams", min=1, help="Beam size. Default: the model's own setting."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Sentences per MT batch (and commit).")
    ] = 32,
    device: Annotated[Device, typer.Option("--device", help="auto, cpu or cuda.")] = Device.auto,
    no_mt: Annotated[
        bool,
        typer.Option("--no-mt", help="Fill from the translation memory only; leave the rest new."),
    ] = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Write the English text here (- for stdout; the default when FILE is -).",
            show_default=False,
        ),
    ] = None,
    tmx: Annotated[
        Path | None,
        typer.Option("--tmx", help="Also write the document's segments as TMX (drafts marked)."),
    ] = None,
    fuzzy_threshold: Annotated[
        int,
        typer.Option(
            "--fuzzy-threshold",
            min=50,
            max=100,
            help="Fuzzy memory matches scoring at least this (50-99) become tm-fuzzy drafts, "
            "with their score, for the reviewer, instead of MT. 100: exact matches only.",
        ),
    ] = 75,
    encoding: EncodingOption = None,
    glossary: Annotated[
        bool,
        typer.Option("--glossary/--no-glossary", help="Repair place names in MT drafts."),
    ] = True,
) -> None:
    """Translate FILE: memory matches first, then MarianMT drafts, stored for review."""
    from tm.pipeline import TranslateSettings, translate_document

    started = time.perf_counter()
    translator = None
    if not no_mt:
        # Everything about the model is checked before the file is even read.
        from tm.mt import load_translator, resolve_model

        ref = resolve_model(model)

        def say(line: str) -> None:
            err_console.print(line, highlight=False, markup=False, soft_wrap=True)

        with err_console.status(f"Loading {ref.model_id}...", spinner="dots"):
            translator = load_translator(
                ref,
                engine=engine.value if engine is not None else None,
                device=device.value,
                beams=beams,
                batch_size=batch_size,
                quantization=quantization.value if quantization is not None else None,
                progress=say,
            )
    _, segmented, sha = load_text(file, encoding)
    store = open_store(ctx)
    # Look-up and insert in one write transaction: two runs started together
    # on the same file must share one document, not make two.
    with store.atomic():
        document = store.find_document_by_sha(sha)
        created = document is None
        if document is None:
            name = "stdin" if file == "-" else Path(file).name
            path = None if file == "-" else str(Path(file).resolve())
            document = store.add_document(name, segmented, path=path, sha256=sha)
    if not created:
        err_console.print(
            f"{'stdin' if file == '-' else file} was imported before as document "
            f"{document.id} ({document.name}); going on with it.",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    settings = TranslateSettings(
        use_mt=not no_mt,
        fuzzy_threshold=fuzzy_threshold,
        batch_size=batch_size,
        use_glossary=glossary,
    )
    with _stop_on_ctrl_c() as stop, _progress_bar() as bar:
        task = bar.add_task("Translating", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = translate_document(
            store,
            document.id,
            translator,
            settings=settings,
            progress=progress,
            should_stop=lambda: stop[0],
        )
    _print_summary(store, summary, time.perf_counter() - started)
    if summary.interrupted:
        raise typer.Exit(INTERRUPTED_EXIT)
    target = out if out is not None else ("-" if file == "-" else None)
    if target is not None:
        write_output(target, store.rebuild_text(document.id))
        if target != "-":
            err_console.print(f"Wrote the English text to {target}.", highlight=False)
    if tmx is not None:
        _write_tmx(store, document.id, tmx)


def _write_tmx(store: Store, document_id: int, path: Path) -> None:
    from tm.models import Status
    from tm.tmx import export_tmx

    report = export_tmx(
        store,
        str(path),
        document=store.get_document(document_id),
        statuses=(Status.DRAFT, Status.TRANSLATED, Status.APPROVED),
        include_mt=True,
    )
    if str(path) != "-":
        err_console.print(f"Wrote {report.units} segments as TMX to {path}.", highlight=False)


def _print_summary(store: Store, summary: TranslateSummary, seconds: float) -> None:
    name = store.get_document(summary.document_id).name
    parts = [
        f"{summary.from_tm} from memory",
        f"{summary.from_mt} from MT",
        f"{summary.from_cache} from the MT cache",
    ]
    if summary.from_fuzzy:
        parts.insert(1, f"{summary.from_fuzzy} from fuzzy matches")
    lines = [
        f"{name}: {summary.segments} segments. This run: {', '.join(parts)}; "
        f"{summary.skipped} already had a target; {summary.left_new} left untranslated."
    ]
    if summary.split:
        shown = ", ".join(str(p + 1) for p in summary.split[:20])
        more = f" and {len(summary.split) - 20} more" if len(summary.split) > 20 else ""
        lines.append(
            f"{len(summary.split)} segment(s) were longer than the model's limit and were "
            f"translated in parts; check them: {shown}{more}."
        )
    if summary.glossary_repairs:
        lines.append(f"{summary.glossary_repairs} place name(s) repaired from the glossary.")
    mt_rate = ""
    if summary.from_mt and summary.seconds > 0:
        mt_rate = f", {summary.filled / summary.seconds:.1f} segments/s"
    lines.append(f"Time: {seconds:.1f} s{mt_rate}.")
    if summary.interrupted:
        lines.append(
            f"Stopped early: {summary.left_new} segment(s) still to do. Everything above is "
            "saved (no output file was written); run the same command again to go on."
        )
    elif summary.left_new and summary.mt_origin is None:
        lines.append("Segments without a memory match stay new (--no-mt).")
    for line in lines:
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)
