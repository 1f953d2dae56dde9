"""plots: one chart description, drawn as inline SVG and laid out as a table, alike."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring

from indgang.statistics.plots import (
    Chart,
    Goal,
    Kind,
    Series,
    Unit,
    category_labels,
    draw,
    format_number,
    svg_of,
    table_of,
)

SVG = "{http://www.w3.org/2000/svg}"

MIX = Chart(
    key="mix",
    kind=Kind.STACKED,
    title="Henvendelser pr. kanal",
    category_label="Periode",
    categories=("jan 2026", "feb 2026"),
    series=(Series("Telefon", (1234, 3)), Series("Selvbetjening", (4, None))),
)


def texts(svg: str) -> list[str]:
    return [node.text or "" for node in fromstring(svg.encode()).iter(f"{SVG}text")]


def titles(svg: str) -> list[str]:
    return [node.text or "" for node in fromstring(svg.encode()).iter(f"{SVG}title")]


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (1234567, Unit.COUNT, "1.234.567"),
        (0, Unit.COUNT, "0"),
        (None, Unit.COUNT, "–"),
        (42.25, Unit.PERCENT, "42,2 %"),
        (100, Unit.PERCENT, "100,0 %"),
        (Decimal("12345.50"), Unit.KRONER, "12.346 kr."),
    ],
)
def test_numbers_are_written_the_danish_way(
    value: int | float | Decimal | None, unit: Unit, written: str
) -> None:
    assert format_number(value, unit) == written


def test_the_table_has_a_row_per_category_and_a_column_per_series_and_the_goal() -> None:
    chart = Chart(
        key="digital",
        kind=Kind.LINE,
        title="Digital andel",
        category_label="Periode",
        categories=("jan 2026", "feb 2026"),
        series=(Series("Digital andel", (40.0, 55.5)),),
        unit=Unit.PERCENT,
        goal=Goal("Mål", 50),
    )
    table = table_of(chart)
    assert table.caption_id == "digital-caption"
    assert table.headers == ("Periode", "Digital andel", "Mål")
    assert [(row.category, row.cells) for row in table.rows] == [
        ("jan 2026", ("40,0 %", "50,0 %")),
        ("feb 2026", ("55,5 %", "50,0 %")),
    ]


def test_the_svg_is_inline_accessible_and_keeps_its_text() -> None:
    svg = draw(MIX)
    root = fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "mix-caption"
    assert not svg.startswith("<?xml")
    # The CSP allows no inline style: presentation attributes only.
    assert "style=" not in svg
    assert "<style" not in svg
    assert "metadata" not in svg
    # Every id is the chart's, so two charts on a page share none.
    ids = [node.get("id", "") for node in root.iter() if node.get("id")]
    assert ids
    assert all(identifier.startswith("mix-") for identifier in ids)
    assert all(ref.startswith("#mix-") for ref in re.findall(r'href="(#[^"]+)"', svg))
    # Each bar names its exact value; the column totals are written on top.
    assert titles(svg) == [
        "Telefon, jan 2026: 1.234",
        "Telefon, feb 2026: 3",
        "Selvbetjening, jan 2026: 4",
        "Selvbetjening, feb 2026: –",
    ]
    assert {"jan 2026", "feb 2026", "1.238", "3", "Telefon", "Selvbetjening"} <= set(texts(svg))


def test_the_same_chart_draws_the_same_bytes_and_is_cached() -> None:
    first = svg_of(MIX)
    assert first == draw(MIX)
    assert svg_of(MIX) == first


@pytest.mark.parametrize("kind", [Kind.LINE, Kind.GROUPED, Kind.HBAR, Kind.FUNNEL])
def test_every_kind_labels_its_values(kind: Kind) -> None:
    chart = Chart(
        key=f"k-{kind}",
        kind=kind,
        title="t",
        category_label="Trin",
        categories=("Start", "Kvittering"),
        series=(Series("Antal", (200, 50)),),
        goal=Goal("Mål", 100) if kind in (Kind.LINE, Kind.GROUPED) else None,
    )
    svg = draw(chart)
    assert titles(svg) == ["Start: 200", "Kvittering: 50"]
    labels = set(texts(svg))
    if kind is Kind.FUNNEL:
        assert {"200 (100,0 %)", "50 (25,0 %)"} <= labels
    else:
        assert {"200", "50"} <= labels
    if chart.goal is not None:
        assert "Mål" in labels  # the goal line's legend


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 categories"):
        Chart(
            key="bad",
            kind=Kind.STACKED,
            title="t",
            category_label="c",
            categories=("a", "b"),
            series=(Series("s", (1,)),),
        )


def test_long_category_names_are_wrapped_under_their_columns() -> None:
    goals = (
        "Digital andel af henvendelser",
        "Løst ved første kontakt",
        "Tilbagekald inden for en arbejdsdag",
        "Frister overholdt",
        "Servicemål overholdt",
    )
    # Five columns share 66 characters: 13 a line, words kept whole.
    assert category_labels(goals) == [
        "Digital andel\naf\nhenvendelser",
        "Løst ved\nførste\nkontakt",
        "Tilbagekald\ninden for en\narbejdsdag",
        "Frister\noverholdt",
        "Servicemål\noverholdt",
    ]
    assert category_labels(("jan 2026", "feb 2026")) == ["jan 2026", "feb 2026"]
    chart = Chart(
        key="goals",
        kind=Kind.GROUPED,
        title="Mål",
        category_label="Nøgletal",
        categories=goals,
        series=(Series("Resultat", (0.5, 0.2, 0.9, 0.9, None)),),
        unit=Unit.PERCENT,
    )
    # Each line is a text of its own in the drawing.
    drawn = texts(draw(chart))
    assert {"Tilbagekald", "inden for en", "arbejdsdag", "Frister", "overholdt"} <= set(drawn)
