"""Our templates' comments stay comments: Django's `{# … #}` ends at the line's end, so one that
spans lines is printed to the user as text (it once was, beside every chart of the dashboard)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_one_line_comment_spans_lines(template: Path) -> None:
    for number, line in enumerate(template.read_text().splitlines(), 1):
        opened = line.rfind("{#")
        assert opened == -1 or "#}" in line[opened:], (
            f"{template.relative_to(ROOT)}:{number}: a {{# … #}} comment must end on its line; "
            "use {% comment %} for more"
        )
