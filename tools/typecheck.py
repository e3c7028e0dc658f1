"""Type-check malbas as it is installed.

The repository maps etl/, models/, migrations/ … into the package `malbas` (pyproject's package-dir), which
type checkers cannot follow. This builds the installed layout as a tree of symbolic links in .typecheck/
(malbas/etl -> ../../etl, …) and runs mypy on it, so every `malbas.…` import resolves as it does at run time.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / ".typecheck"


def build_tree() -> Path:
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "malbas"
    package.mkdir(parents=True)
    for entry in (ROOT / mapping["malbas"]).iterdir():
        if entry.suffix in (".py", ".typed") or (entry.is_dir() and (entry / "__init__.py").exists()):
            (package / entry.name).symlink_to(entry)
    for name, folder in mapping.items():
        if name != "malbas" and (ROOT / folder / "__init__.py").exists():
            (TREE / name.replace(".", "/")).symlink_to(ROOT / folder)
    return package


def source_path(message: str, mapping: dict[str, str]) -> str:
    """Report repository paths (etl/parse/x.py), not paths inside the link tree (.typecheck/malbas/etl/…)."""
    for name in sorted(mapping, key=len, reverse=True):
        message = message.replace(f"{TREE.name}/{name.replace('.', '/')}/", f"{mapping[name]}/")
    return message


def main() -> int:
    package = build_tree()
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(package.relative_to(ROOT))])
    sys.stdout.write(source_path(stdout, mapping))
    sys.stderr.write(stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
