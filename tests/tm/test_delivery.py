"""Deliverables a translator can sign: the export gate, provenance, approval, stats.

Real subprocesses of the `tm` console entry point on real store files, the
real tiny MarianMT for the end-to-end run, TMX parsed by lxml.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from lxml import etree

from tests.tm.test_cli_documents import assert_clean_error, run_tm
from tests.tm.test_cli_translate import model_env
from tm.documents import import_loaded, load_text
from tm.errors import StoreBusyError
from tm.models import Document, Status
from tm.review import ReviewSession
from tm.segment import segment_text
from tm.store import Store

TEXT = "Ia dilarikan ke rumah sakit. Warga akan dievakuasi. Harga naik. Ada banjir.\n"
MT = "mt:tiny@abc"


def prepared(tmp_path: Path) -> tuple[Path, Document]:
    """A store with one confirmed segment, an MT draft, a fuzzy draft and a new one."""
    db = tmp_path / "tm.sqlite"
    with Store(db) as store:
        sha = hashlib.sha256(TEXT.encode()).hexdigest()
        doc = store.add_document("doc.txt", segment_text(TEXT), sha256=sha)
        one, two, three, _ = store.segments(doc.id)
        store.confirm_segment(one.id, "He was rushed to hospital.")
        store.update_segment(two.id, target="Residents evacuated.", status=Status.DRAFT, origin=MT)
        store.update_segment(
            three.id, target="Prices up.", status=Status.DRAFT, origin="tm-fuzzy", match_score=80
        )
    return db, doc


def test_text_export_refuses_unconfirmed_work_and_names_it(tmp_path: Path) -> None:
    prepared(tmp_path)
    out = tmp_path / "final.en.txt"
    for fmt in ("txt", "tsv"):
        result = run_tm("export", "doc.txt", "--format", fmt, "--out", str(out), cwd=tmp_path)
        err = assert_clean_error(result, "3 segments are unconfirmed")
        assert "1 MT draft, 1 fuzzy draft, 1 new segment" in err
        assert "--allow-unconfirmed" in err
        assert not out.exists()


def test_allow_unconfirmed_writes_with_a_warning_with_the_counts(tmp_path: Path) -> None:
    prepared(tmp_path)
    out = tmp_path / "final.en.txt"
    result = run_tm(
        "export", "doc.txt", "--format", "txt", "--out", str(out), "--allow-unconfirmed",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert "Warning" in err and "1 MT draft, 1 fuzzy draft, 1 new segment" in err
    assert out.read_text() == (
        "He was rushed to hospital. Residents evacuated. Prices up. Ada banjir.\n"
    )


def test_status_is_honoured_by_tsv_and_refused_for_txt(tmp_path: Path) -> None:
    prepared(tmp_path)
    tsv = run_tm(
        "export", "doc.txt", "--format", "tsv", "--status", "translated", "--out", "-",
        cwd=tmp_path,
    )  # fmt: skip
    assert tsv.returncode == 0, tsv.stderr
    lines = tsv.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[1].startswith("1\tIa dilarikan")
    txt = run_tm(
        "export", "doc.txt", "--format", "txt", "--status", "translated", "--out", "-",
        cwd=tmp_path,
    )  # fmt: skip
    assert_clean_error(txt, "--status does not apply to --format txt")
    mt = run_tm("export", "doc.txt", "--format", "txt", "--include-mt", "--out", "-", cwd=tmp_path)
    assert_clean_error(mt, "--include-mt is for TMX")


def test_docs_says_whether_each_document_is_deliverable(tmp_path: Path) -> None:
    db, doc = prepared(tmp_path)
    (entry,) = json.loads(run_tm("docs", "--format", "json", cwd=tmp_path).stdout)
    assert entry["deliverable"] is False
    assert entry["unconfirmed"] == {"mt": 1, "fuzzy": 1, "new": 1}
    with Store(db) as store:
        for seg in store.segments(doc.id)[1:]:
            store.confirm_segment(seg.id, "Done.")
    (entry,) = json.loads(run_tm("docs", "--format", "json", cwd=tmp_path).stdout)
    assert entry["deliverable"] is True
    assert "yes" in run_tm("docs", cwd=tmp_path).stdout.decode()


def test_approve_is_refused_while_unconfirmed_then_asks_then_approves(tmp_path: Path) -> None:
    db, doc = prepared(tmp_path)
    refused = run_tm("approve", "doc.txt", "--yes", cwd=tmp_path)
    assert_clean_error(refused, "Not approved", "1 MT draft")
    with Store(db) as store:
        assert store.segments(doc.id)[0].status is Status.TRANSLATED
        for seg in store.segments(doc.id)[1:]:
            store.confirm_segment(seg.id, "Done.")
    no_tty = run_tm("approve", "doc.txt", cwd=tmp_path, stdin=b"y\n")
    assert_clean_error(no_tty, "--yes")
    done = run_tm("approve", "doc.txt", "--yes", cwd=tmp_path, env={"TM_AUTHOR": "rev"})
    assert done.returncode == 0, done.stderr
    assert "Approved 4 segments" in done.stderr.decode()
    with Store(db) as store:
        segs = store.segments(doc.id)
        assert {s.status for s in segs} == {Status.APPROVED}
        assert {s.reviewed_by for s in segs} == {"rev"}
        units = [store.get_unit(s.unit_id or 0) for s in segs]
        assert {u.status for u in units} == {Status.APPROVED}


def test_global_options_work_after_the_subcommand(tmp_path: Path, seed_path: Path) -> None:
    db = tmp_path / "elsewhere.sqlite"
    assert run_tm("import", str(seed_path), "--db", str(db), cwd=tmp_path).returncode == 0
    docs = run_tm("docs", "--format", "json", f"--db={db}", cwd=tmp_path)
    assert json.loads(docs.stdout)[0]["name"] == seed_path.name
    assert not (tmp_path / "tm.sqlite").exists()


def test_import_of_the_same_file_on_two_connections_makes_one_document(
    tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-up and the insert are one transaction: a second importer must wait."""
    db = tmp_path / "tm.sqlite"
    loaded = load_text(str(seed_path))
    first, second = Store(db), Store(db, busy_timeout=0)
    blocked: list[BaseException] = []
    lookup = first.find_document_by_sha

    def racing(sha: str) -> Document | None:
        found = lookup(sha)
        # Between the first importer's look-up and its insert, the second tries.
        try:
            import_loaded(second, str(seed_path), loaded)
        except StoreBusyError as exc:
            blocked.append(exc)
        return found

    monkeypatch.setattr(first, "find_document_by_sha", racing)
    created = import_loaded(first, str(seed_path), loaded)
    assert created.created
    assert [type(e) for e in blocked] == [StoreBusyError]
    again = import_loaded(second, str(seed_path), loaded)
    assert (again.created, again.document.id) == (False, created.document.id)
    assert len(second.documents()) == 1
    first.close()
    second.close()


def test_stats_report_per_draft_origin(tmp_path: Path) -> None:
    db, doc = prepared(tmp_path)
    with Store(db) as store:
        two = store.segments(doc.id)[1]
        store.update_segment(
            two.id, target=two.target, status=Status.DRAFT, origin=MT, draft=(two.target, MT)
        )
        session = ReviewSession(store, store.get_document(doc.id))
        session.go_to(1)
        session.confirm("Residents were evacuated.")
    result = run_tm("stats", "doc.txt", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_origin = {r["origin"]: r for r in data["origins"]}
    assert by_origin[MT]["edited"] == 1 and by_origin[MT]["accepted_unchanged"] == 0
    # "Residents evacuated ." → "Residents were evacuated .": 1 insertion over 4 tokens.
    assert by_origin[MT]["mean_edit_distance"] == 25
    assert by_origin["human"]["confirmed"] == 1
    assert data["words_by_status"]["new"] == 2
    csv = run_tm("stats", "--all", "--format", "csv", cwd=tmp_path).stdout.decode()
    assert csv.splitlines()[0].startswith("section,key,segments,accepted_unchanged")
    assert f"origin,{MT},1,0,1,25" in csv


def test_translate_confirm_retype_approve_export_end_to_end(
    tmp_path: Path, seed_path: Path, tiny_model_dir: Path
) -> None:
    """The issue's done-when, scripted: translate, review, approve, export."""
    env = model_env(tiny_model_dir, tmp_path) | {"TM_AUTHOR": "ana"}
    done = run_tm("translate", str(seed_path), "--beams", "1", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    db = tmp_path / "tm.sqlite"
    with Store(db) as store:
        document = store.get_document(seed_path.name)
        session = ReviewSession(store, document, author="ana")
        first, second = session.segments[0], session.segments[1]
        origin = first.origin or ""
        assert origin.startswith("mt:")
        session.confirm(first.target or "")  # accepted unchanged
        session.go_to(1)
        session.confirm("Turkey promises to help Azerbaijan, on the battlefield or at the table.")
        session.go_to(0)
        session.approve()
        session.go_to(1)
        session.approve()
        assert second.target != session.segments[1].target
    refused = run_tm(
        "export", seed_path.name, "--format", "txt", "--out", "final.txt", cwd=tmp_path
    )
    assert_clean_error(refused, "17 segments are unconfirmed", "17 MT drafts")
    allowed = run_tm(
        "export", seed_path.name, "--format", "txt", "--out", "final.txt", "--allow-unconfirmed",
        cwd=tmp_path,
    )  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
    assert "17 MT drafts" in allowed.stderr.decode()
    assert (tmp_path / "final.txt").read_text().startswith(first.target or "")
    tmx = run_tm("export", seed_path.name, "--format", "tmx", "--out", "out.tmx", cwd=tmp_path)
    assert tmx.returncode == 0, tmx.stderr
    tus = etree.parse(str(tmp_path / "out.tmx")).getroot().findall("body/tu")
    assert len(tus) == 2
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in tus]
    assert props[0]["x-origin"] == origin
    assert props[0]["x-accepted-unchanged"] == "yes"
    assert props[1]["x-origin"] == "human"
    assert props[1]["x-origin-before"] == origin
    assert 0 < int(props[1]["x-edit-distance"]) <= 100
    assert [p["x-status"] for p in props] == ["approved", "approved"]
    assert tus[1].get("creationid") == "ana"
    assert not tus[1].findall("note")
    stats = json.loads(run_tm("stats", "--all", "--format", "json", cwd=tmp_path).stdout)
    (row,) = stats["origins"]
    assert (row["origin"], row["accepted_unchanged"], row["edited"]) == (origin, 1, 1)


def test_translate_with_nothing_left_does_not_load_the_model(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_tm("import", str(article), cwd=tmp_path).returncode == 0
    with Store(tmp_path / "tm.sqlite") as store:
        for seg in store.segments(1):
            store.update_segment(seg.id, target="Done.", status=Status.DRAFT, origin=MT)
    # A model that does not exist: loading (or even resolving) it would fail.
    env = {"TM_MODEL": str(tmp_path / "no-such-model"), "HF_HUB_OFFLINE": "1"}
    result = run_tm("translate", str(article), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "4 already had a target" in result.stderr.decode()


def test_stdin_twice_says_which_document_it_became(tmp_path: Path) -> None:
    first = run_tm("translate", "-", "--no-mt", cwd=tmp_path, stdin=b"Harga naik.\n")
    assert first.returncode == 0, first.stderr
    again = run_tm("translate", "-", "--no-mt", cwd=tmp_path, stdin=b"Harga naik.\n")
    assert "imported before as document 1" in again.stderr.decode()
    other = run_tm("translate", "-", "--no-mt", cwd=tmp_path, stdin=b"Ada banjir.\n")
    err = other.stderr.decode()
    assert "new document 2, named 'stdin (2)'" in err
    assert "1 segment." in err  # plurals: "1 segment", not "1 segments"


def test_the_readme_sample_memory_covers_the_seed(tmp_path: Path, seed_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "memory-from-omegat.tmx"
    imported = run_tm("import", str(sample), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "5 units added" in imported.stderr.decode()
    analysis = run_tm("analyze", str(seed_path), "--format", "json", cwd=tmp_path)
    bands = {b["band"]: b["segments"] for b in json.loads(analysis.stdout)["bands"]}
    assert bands["100%"] == 2 and bands["50-74%"] == 2
