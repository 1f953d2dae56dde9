"""Our stylesheets parse as their authors meant: an unclosed block (a merge that lost a brace)
silently swallows every rule after it, which no page test notices until a layout breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@pytest.mark.parametrize("sheet", sorted(STATIC.rglob("*.css")), ids=lambda path: path.name)
def test_every_block_is_closed_where_it_opens(sheet: Path) -> None:
    depth = 0
    for number, line in enumerate(COMMENT.sub("", sheet.read_text()).splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{sheet.name}:{number} closes a block that was never opened"
    assert depth == 0, f"{sheet.name} leaves {depth} block(s) open"
