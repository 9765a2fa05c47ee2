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

from tm.commands.common import db_path, err_console, open_store, write_output
from tm.commands.documents import EncodingOption
from tm.delivery import plural
from tm.documents import import_loaded, load_text
from tm.store import Store

if TYPE_CHECKING:
    from tm.pipeline import TranslateSummary

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
    loaded = load_text(file, encoding)
    translator = None
    if not no_mt and _has_work(db_path(ctx), loaded.sha256):
        # Everything about the model is checked before the store is touched.
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
    store = open_store(ctx)
    # One transaction: two runs started together on the same file share one document.
    imported = import_loaded(store, file, loaded)
    document, created = imported.document, imported.created
    wanted = "stdin" if file == "-" else Path(file).name
    if created and document.name != wanted:
        # `tm translate -` run twice on different texts: say which document this is.
        err_console.print(
            f"Added {'the text from stdin' if file == '-' else file} as a new document "
            f"{document.id}, named {document.name!r} ({wanted!r} is another document; "
            "`tm docs` lists them).",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
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


def _has_work(path: Path, sha256: str) -> bool:
    """Whether the file still has segments to draft (else the model is not loaded)."""
    if not path.exists():
        return True
    with Store(path) as store:
        document = store.find_document_by_sha(sha256)
        if document is None:
            return True
        return any(s.target is None and not s.status.confirmed for s in store.segments(document.id))


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
        f"{name}: {plural(summary.segments, 'segment')}. This run: {', '.join(parts)}; "
        f"{summary.skipped} already had a target; {summary.left_new} left untranslated."
    ]
    if summary.split:
        shown = ", ".join(str(p + 1) for p in summary.split[:20])
        more = f" and {len(summary.split) - 20} more" if len(summary.split) > 20 else ""
        lines.append(
            f"{plural(len(summary.split), 'segment')} "
            f"{'was' if len(summary.split) == 1 else 'were'} longer than the model's limit "
            f"and translated in parts; check {'it' if len(summary.split) == 1 else 'them'}: "
            f"{shown}{more}."
        )
    if summary.glossary_repairs:
        lines.append(
            f"{plural(summary.glossary_repairs, 'place name')} repaired from the glossary."
        )
    mt_rate = ""
    if summary.from_mt and summary.seconds > 0:
        mt_rate = f", {summary.filled / summary.seconds:.1f} segments/s"
    lines.append(f"Time: {seconds:.1f} s{mt_rate}.")
    if summary.interrupted:
        lines.append(
            f"Stopped early: {plural(summary.left_new, 'segment')} still to do. "
            "Everything above is saved (no output file was written); "
            "run the same command again to go on."
        )
    elif summary.left_new and summary.mt_origin is None:
        lines.append("Segments without a memory match stay new (--no-mt).")
    for line in lines:
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)
