"""`tm align SOURCE TARGET`: link the sentences of translated document pairs.

Files or folders (pairs by matching file name). The beads go out as TSV,
TMX or JSON, and with ``--import`` into the store: the source becomes a
document whose segments carry the aligned English as drafts (origin
``aligned``, confidence as match score), and the pairs enter the memory as
unconfirmed units, leveraged with a penalty until a translator confirms them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tm.commands.common import err_console, open_store, write_output
from tm.commands.documents import EncodingOption, _tsv_cell
from tm.errors import InputError, ModelError, OutputError

if TYPE_CHECKING:
    from tm.align import Alignment
    from tm.models import SegmentedText
    from tm.mt import Translator
    from tm.store import Store


class AlignFormat(StrEnum):
    """What `tm align` writes."""

    tsv = "tsv"
    tmx = "tmx"
    json = "json"


SUFFIX = {AlignFormat.tsv: ".tsv", AlignFormat.tmx: ".tmx", AlignFormat.json: ".json"}
ALIGNED_NOTE = "Aligned automatically from a translated document pair, not reviewed."


def register(app: typer.Typer) -> None:
    """Add `tm align` to the app."""
    app.command("align")(align_command)


@dataclass
class _Pair:
    source: Path
    target: Path
    alignment: Alignment | None = None


def _pairs(source: Path, target: Path) -> tuple[list[_Pair], list[str]]:
    """File pairs to align, and the files of a folder pair left without a partner."""
    if source.is_dir() != target.is_dir():
        dirs = source if source.is_dir() else target
        raise InputError(
            f"{dirs} is a folder but the other argument is a file. Give two files (an "
            "Indonesian text and its English translation) or two folders whose files have "
            "matching names."
        )
    if not source.is_dir():
        for path in (source, target):
            if not path.exists():
                raise InputError(f"{path}: no such file. Check the path and try again.")
        return [_Pair(source, target)], []
    src_names = {p.name for p in source.iterdir() if p.is_file() and not p.name.startswith(".")}
    tgt_names = {p.name for p in target.iterdir() if p.is_file() and not p.name.startswith(".")}
    common = sorted(src_names & tgt_names)
    if not common:
        raise InputError(
            f"No file in {source} has a file of the same name in {target}, so there is nothing "
            "to align. Folder pairs are matched by file name (news-01.txt with news-01.txt)."
        )
    alone = sorted(str(source / n) for n in src_names - tgt_names) + sorted(
        str(target / n) for n in tgt_names - src_names
    )
    return [_Pair(source / n, target / n) for n in common], alone


def _lines_segmented(text: str) -> SegmentedText:
    """One segment per non-blank line, losslessly (``--segmented``)."""
    from tm.models import SegmentedText, SourceSpan

    matches = list(re.finditer(r"[^\r\n]*\S[^\r\n]*", text))
    spans = []
    prefix = ""
    for k, match in enumerate(matches):
        line = match.group()
        core_start = match.start() + len(line) - len(line.lstrip())
        core_end = match.start() + len(line.rstrip())
        if k == 0:
            prefix = text[:core_start]
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if nxt is not None:
            following = nxt.start() + len(nxt.group()) - len(nxt.group().lstrip())
        else:
            following = len(text)
        spans.append(SourceSpan(text[core_start:core_end], text[core_end:following], k))
    return SegmentedText(prefix=prefix, spans=tuple(spans))


def _load_model(model: str | None, no_mt: bool) -> Translator | None:
    """The MT engine, or None: --no-mt, or no model here and none was named."""
    if no_mt:
        return None
    import os

    from tm.mt import MODEL_ENV, load_engine, resolve_model

    try:
        ref = resolve_model(model)
    except ModelError:
        if model or os.environ.get(MODEL_ENV):
            raise
        err_console.print(
            "No MT model on this machine: aligning without machine translation (lengths and "
            "anchors only). `tm model download` fetches one; --no-mt silences this note.",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        return None
    with err_console.status(f"Loading {ref.model_id}...", spinner="dots"):
        return load_engine(ref)


def align_command(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="Indonesian text file, or a folder of them.")],
    target: Annotated[
        Path, typer.Argument(help="Its English translation, or a folder (same file names).")
    ],
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Output file (- for stdout, the default without --import); for folder "
            "pairs a folder, one file per pair.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[AlignFormat, typer.Option("--format", help="tsv, tmx or json.")] = (
        AlignFormat.tsv
    ),
    segmented: Annotated[
        bool,
        typer.Option("--segmented", help="Each line of both files is already one sentence."),
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="MT model (Hub id in the local cache, or checkpoint folder) whose translation "
            "of the source helps the alignment. Default: TM_MODEL, else the standard model "
            "if it is on this machine.",
            show_default=False,
        ),
    ] = None,
    no_mt: Annotated[
        bool, typer.Option("--no-mt", help="Align on lengths and anchors only.")
    ] = False,
    import_: Annotated[
        bool,
        typer.Option(
            "--import",
            help="Store each source as a document with the aligned English as drafts, and "
            "the pairs in the memory as unconfirmed units.",
        ),
    ] = False,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold", min=0.0, max=1.0, help="The summary counts beads below this confidence."
        ),
    ] = 0.5,
    encoding: EncodingOption = None,
) -> None:
    """Align the sentences of SOURCE (Indonesian) with TARGET (English)."""
    from tm.align import align, split_english, split_lines
    from tm.segment import segment_text
    from tm.textio import read_text

    pairs, alone = _pairs(source, target)
    folders = source.is_dir()
    destination = out if out is not None else (None if import_ else "-")
    if folders and destination is not None and destination != "-":
        dest = Path(destination)
        if dest.exists() and not dest.is_dir():
            raise OutputError(
                f"{dest} is a file, but folder pairs write one output per pair: give --out a "
                "folder (it is created if missing)."
            )
    if folders and destination == "-" and fmt is not AlignFormat.tsv:
        raise OutputError(
            f"Folder pairs cannot write {fmt.value} to stdout as one stream: give --out a folder "
            "(one file per pair), or use --format tsv."
        )
    if not folders and destination not in (None, "-"):
        parent = Path(destination).parent
        if not parent.is_dir():
            raise OutputError(
                f"Cannot write {destination}: the folder {parent} does not exist. Create it or "
                "choose another --out path."
            )
    # Every input is read and checked before anything is written.
    texts = [(read_text(p.source, encoding), read_text(p.target, encoding)) for p in pairs]
    translator = _load_model(model, no_mt)
    store = open_store(ctx) if import_ else None
    segmentations = []
    with _progress_bar() as bar:
        task = bar.add_task("Aligning", total=len(pairs))
        for pair, (src_text, tgt_text) in zip(pairs, texts, strict=True):
            segmented_source = _lines_segmented(src_text) if segmented else segment_text(src_text)
            segmentations.append(segmented_source)
            sources = [span.source for span in segmented_source.spans]
            targets = split_lines(tgt_text) if segmented else split_english(tgt_text)
            pair.alignment = align(sources, targets, translator=translator)
            bar.advance(task)
    # The output first: a path that cannot be written must leave the store as it was.
    if destination is not None:
        _write(pairs, destination, fmt, folders)
    if store is not None:
        for pair, (src_text, _), segmented_source in zip(pairs, texts, segmentations, strict=True):
            _import(store, pair, src_text, segmented_source)
    _summary(pairs, alone, threshold)


def _progress_bar() -> Any:
    """Pairs done, on stderr (only when it is a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("document pairs"),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def _import(store: Store, pair: _Pair, text: str, segmented: SegmentedText) -> None:
    from tm.models import Status, TranslationUnit
    from tm.timeutil import default_author, utc_now

    alignment = pair.alignment
    assert alignment is not None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with store.atomic():
        document = store.find_document_by_sha(sha)
        created = document is None
        if document is None:
            document = store.add_document(
                pair.source.name, segmented, path=str(pair.source.resolve()), sha256=sha
            )
        elif [s.source for s in store.segments(document.id)] != list(alignment.sources):
            raise InputError(
                f"{pair.source} is in the store already (document {document.id}, "
                f"{document.name}) with another segmentation, so the alignment cannot be laid "
                "on it. Align it the way it was imported (with or without --segmented)."
            )
        drafts: list[tuple[int, str | None, int | None, list[str]]] = []
        units: list[tuple[int, bool, TranslationUnit]] = []
        now = utc_now()
        author = default_author()
        for src, tgt, bead in alignment.texts():
            kind = bead.kind
            score = round(bead.confidence * 100)
            if not bead.source:
                continue
            first = bead.source[0]
            if not bead.target:
                drafts.append((first, None, None, ["aligned:no-target"]))
                continue
            drafts.append((first, tgt, score, [f"aligned:{kind}"]))
            for rest in bead.source[1:]:
                drafts.append((rest, None, None, ["aligned:in-previous-target"]))
            units.append(
                (
                    first,
                    len(bead.source) == 1,
                    TranslationUnit(
                        source=src,
                        target=tgt,
                        created_at=now,
                        created_by=author,
                        origin="aligned",
                        status=Status.DRAFT,
                        document=document.name,
                        props=(("x-align-confidence", f"{bead.confidence:.2f}"),),
                        notes=(ALIGNED_NOTE,),
                    ),
                )
            )
        filled = store.add_aligned_drafts(document.id, drafts, units)
    what = "Imported" if created else "Updated"
    err_console.print(
        f"{what} {document.name} as document {document.id}: {filled} aligned drafts.",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _bead_json(alignment: Alignment) -> list[dict[str, Any]]:
    return [
        {
            "kind": bead.kind,
            "source": [alignment.sources[i] for i in bead.source],
            "target": [alignment.targets[j] for j in bead.target],
            "confidence": bead.confidence,
        }
        for bead in alignment.beads
    ]


def _render_tsv(alignment: Alignment) -> str:
    return "".join(
        f"{_tsv_cell(src)}\t{_tsv_cell(tgt)}\t{bead.confidence:.3f}\n"
        for src, tgt, bead in alignment.texts()
    )


def _write_tmx(pairs: list[_Pair], destination: str) -> None:
    from tm.models import Status, TranslationUnit
    from tm.timeutil import utc_now
    from tm.tmx_write import TmxWriter, stdout_stream

    now = utc_now()
    with TmxWriter(stdout_stream() if destination == "-" else destination) as writer:
        for pair in pairs:
            assert pair.alignment is not None
            for src, tgt, bead in pair.alignment.texts():
                if not bead.source or not bead.target:
                    continue
                writer.write(
                    TranslationUnit(
                        source=src,
                        target=tgt,
                        created_at=now,
                        origin="aligned",
                        status=Status.DRAFT,
                        document=pair.source.name,
                        props=(
                            ("x-align-confidence", f"{bead.confidence:.2f}"),
                            ("x-align-bead", bead.kind),
                        ),
                        notes=(ALIGNED_NOTE,),
                    )
                )


def _write(pairs: list[_Pair], destination: str, fmt: AlignFormat, folders: bool) -> None:
    if folders and destination != "-":
        folder = Path(destination)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"Cannot create the output folder {folder}: {exc.strerror or exc}."
            ) from None
        for pair in pairs:
            _write([pair], str(folder / (pair.source.stem + SUFFIX[fmt])), fmt, folders=False)
        err_console.print(
            f"Wrote {len(pairs)} {fmt.value} file(s) to {folder}.", highlight=False, markup=False
        )
        return
    if fmt is AlignFormat.tmx:
        _write_tmx(pairs, destination)
        return
    if fmt is AlignFormat.tsv:
        text = "".join(_render_tsv(p.alignment) for p in pairs if p.alignment is not None)
    else:
        data = [
            {
                "source_file": str(p.source),
                "target_file": str(p.target),
                "counts": p.alignment.counts(),
                "beads": _bead_json(p.alignment),
            }
            for p in pairs
            if p.alignment is not None
        ]
        text = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)
        text += "\n"
    try:
        write_output(destination, text)
    except OSError as exc:
        raise OutputError(f"Cannot write {destination}: {exc.strerror or exc}.") from None


def _summary(pairs: list[_Pair], alone: list[str], threshold: float) -> None:
    counts: dict[str, int] = {}
    confidences: list[float] = []
    for pair in pairs:
        assert pair.alignment is not None
        for kind, n in pair.alignment.counts().items():
            counts[kind] = counts.get(kind, 0) + n
        confidences.extend(b.confidence for b in pair.alignment.beads)
    total = len(confidences)
    mean = sum(confidences) / total if total else 0.0
    low = sum(c < threshold for c in confidences)
    kinds = ", ".join(f"{k}: {n}" for k, n in counts.items() if n)
    lines = [
        f"Aligned {len(pairs)} pair(s): {total} beads ({kinds}); mean confidence {mean:.2f}; "
        f"{low} below {threshold:.2f}."
    ]
    if alone:
        shown = ", ".join(alone[:10]) + (f" and {len(alone) - 10} more" if len(alone) > 10 else "")
        lines.append(f"{len(alone)} file(s) had no partner of the same name: {shown}.")
    for line in lines:
        err_console.print(line, highlight=False, markup=False, soft_wrap=True)
