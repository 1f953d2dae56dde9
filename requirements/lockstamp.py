"""Tie the lock files to pyproject.toml: `stamp` after `make lock`, `check` in `make test`.

The stamp is a digest of what the lock is computed from (requires-python, the dependencies and
the optional ones), so checking it needs no network and no resolver: an edit to pyproject.toml's
dependencies without `make lock` fails the check.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "base.txt", ROOT / "requirements" / "dev.txt"]
PREFIX = "# pyproject-digest: "


def digest() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def stamp() -> None:
    line = PREFIX + digest() + "\n"
    for lock in LOCKS:
        kept = [
            text
            for text in lock.read_text(encoding="utf-8").splitlines(keepends=True)
            if not text.startswith(PREFIX)
        ]
        lock.write_text(line + "".join(kept), encoding="utf-8")


def check() -> int:
    expected = PREFIX + digest()
    stale = [
        lock.name
        for lock in LOCKS
        if not lock.exists() or expected not in lock.read_text(encoding="utf-8").splitlines()
    ]
    if stale:
        print(
            f"requirements/{', '.join(stale)} do not match pyproject.toml's dependencies: "
            "run `make lock` and commit the result.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["stamp"]:
        stamp()
    elif sys.argv[1:] == ["check"]:
        sys.exit(check())
    else:
        sys.exit("usage: lockstamp.py stamp|check")
