"""The TMX checker itself (tm.tmx_check): it must catch what it promises."""

from __future__ import annotations

from pathlib import Path

from tm.tmx_check import tmx_problems

BAD_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="id" datatype="plaintext"/><body>
<tu creationdate="2020-01-01"><tuv xml:lang="in"><seg>a <bpt i="1">&lt;b&gt;</bpt>b</seg></tuv>
<tuv xml:lang="en"><seg>c</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>d</seg></tuv></tu>
</body></tmx>"""


def test_the_checker_catches_what_the_dtd_cannot(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(BAD_TMX, encoding="utf-8")
    problems = "\n".join(tmx_problems(path))
    assert "is not YYYYMMDDThhmmssZ" in problems
    assert "bad language code 'in'" in problems
    assert "no <tuv> in the srclang 'id'" in problems
    assert "bpt ['1'] and ept [] differ" in problems


def test_the_checker_applies_the_dtd(tmp_path: Path) -> None:
    path = tmp_path / "nodtd.tmx"
    path.write_text(BAD_TMX.replace(' creationtool="x"', ""), encoding="utf-8")
    assert any("creationtool" in p for p in tmx_problems(path))
