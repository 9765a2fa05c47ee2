"""Run mutmut on one core module with that module's own tests.

    PYTHONPATH=$PWD nice -n 19 python tools/mutation.py segment run [MUTANT ...]
    PYTHONPATH=$PWD python tools/mutation.py segment results --all true
    PYTHONPATH=$PWD python tools/mutation.py segment sample 80 [SEED]

The base settings live in pyproject.toml ([tool.mutmut]); the per-module test
selection lives in [tool.mutmut.modules]. This wrapper narrows mutmut's config to
one module (only_mutate and pytest_add_cli_args_test_selection) and hands the rest
of the command line to mutmut's own CLI. `sample N [SEED]` prints a seeded random
sample of N mutant names of the module (after a first `run` or `generate` has
created the mutants/ folder), to pass to `run`. `generate` creates the mutants
without running them.
"""

from __future__ import annotations

import dataclasses
import glob
import random
import sys
import tomllib
from pathlib import Path


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    module = sys.argv.pop(1)
    table = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    tests = table["modules"][module]
    # Test file globs, and pytest options (such as --deselect) kept as written.
    files = sorted(
        {p for pattern in tests if not pattern.startswith("-") for p in glob.glob(pattern)}
    )
    # Options go with mutmut's pytest options: it uses the selection alone in
    # some of its runs.
    options = [option for option in tests if option.startswith("-")]

    from mutmut import configuration

    base = configuration._load_config()
    configuration._config = dataclasses.replace(
        base,
        only_mutate=[f"tm/{module}.py"],
        pytest_add_cli_args=base.pytest_add_cli_args + options,
        pytest_add_cli_args_test_selection=files,
    )

    # mutmut skips a file whose copy under mutants/ is newer than the source,
    # and a run for another module leaves an unmutated copy of this one there:
    # remove it so that the mutants are written again (the results stay in
    # the .meta file beside it).
    if sys.argv[1] in ("run", "generate"):
        (Path("mutants") / "tm" / f"{module}.py").unlink(missing_ok=True)

    if sys.argv[1] == "sample":
        size = int(sys.argv[2])
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 10
        names = _mutant_names(module)
        random.Random(seed).shuffle(names)
        print("\n".join(sorted(names[:size])))
        return
    if sys.argv[1] == "generate":
        from mutmut import __main__ as mm

        Path("mutants").mkdir(exist_ok=True)
        mm.copy_src_dir()
        mm.copy_also_copy_files()
        mm.setup_source_paths()
        mm.store_lines_covered_by_tests()
        mm.create_mutants(1)
        print(len(_mutant_names(module)), "mutants")
        return

    from mutmut.__main__ import cli

    cli()


def _mutant_names(module: str) -> list[str]:
    import json

    meta = Path("mutants") / "tm" / f"{module}.py.meta"
    data = json.loads(meta.read_text("utf-8"))
    return sorted(data["exit_code_by_key"])


if __name__ == "__main__":
    main()
