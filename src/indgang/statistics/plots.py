"""Charts for the dashboard and the status report: matplotlib to inline SVG, plus the same numbers
as an accessible table.

One `Chart` describes a chart (title, categories, series, unit, optional goal line); `svg_of`
draws it and `table_of` lays out its table, so the picture and the table cannot disagree. The SVG
is made for inlining into a page under a strict Content Security Policy: text stays text
(`svg.fonttype: none`), styles become presentation attributes (the CSP allows no inline style),
ids carry the chart's key (several charts share a page), each bar or point carries a `<title>`
with its exact value, and the output is byte-for-byte the same for the same chart (no date, a
fixed hash salt), so it is cached by a hash of the description.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
import xml.etree.ElementTree as ET  # noqa: S405 - serialises only; parsing goes through defusedxml
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import matplotlib
from defusedxml.ElementTree import fromstring
from django.core.cache import cache

matplotlib.use("Agg")  # no display; the SVG backend draws, Agg only measures text

from matplotlib.artist import Artist  # noqa: E402 - after choosing the backend
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from matplotlib.typing import RcKeyType  # noqa: E402

Number = int | float | Decimal

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Bump when the drawing changes: cached SVGs of the old drawing are then never read again.
DRAWING_VERSION = 3
CACHE_SECONDS = 24 * 60 * 60

# Okabe and Ito's colour-blind-safe palette, darkest first so that white labels stay readable.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
GOAL_COLOUR = "#a4000f"
INK = "#1a1a1a"

RC: dict[RcKeyType, object] = {
    "svg.fonttype": "none",  # text stays <text>: searchable, translatable, readable by tests
    "svg.hashsalt": "indgang",  # clip-path ids from a fixed salt, not a random one per run
    "font.family": "DejaVu Sans",  # matplotlib's own font: the layout is the same everywhere
    "font.size": 9,
    "axes.edgecolor": "#767676",
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
WIDTH_INCHES = 7.5
# Characters of tick label (9 pt) that fit side by side under the plot, and the narrowest wrap.
LABEL_CHARACTERS = 66
MIN_LABEL_CHARACTERS = 8
HEIGHT_INCHES = 3.4


class Kind(StrEnum):
    STACKED = "stacked"  # stacked bars over the categories (periods): the channel mix
    LINE = "line"  # one line per series, optionally against a goal line
    HBAR = "hbar"  # horizontal bars, one series: cost per channel
    FUNNEL = "funnel"  # horizontal bars from the top step down: a self-service solution's steps
    GROUPED = "grouped"  # bars side by side per category: deadlines kept and missed


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    KRONER = "kroner"


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Number | None, ...]


@dataclass(frozen=True)
class Goal:
    label: str
    value: Number


@dataclass(frozen=True)
class Chart:
    """What a chart shows; `key` names it on the page (its ids) and must be unique there."""

    key: str
    kind: Kind
    title: str
    category_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Unit = Unit.COUNT
    goal: Goal | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.key):
            raise ValueError(f"A chart key is lower-case letters, digits and hyphens: {self.key!r}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Series {series.label!r} has {len(series.values)} values for "
                    f"{len(self.categories)} categories."
                )
        if self.kind in (Kind.HBAR, Kind.FUNNEL) and len(self.series) != 1:
            raise ValueError(f"A {self.kind} chart has exactly one series.")

    @property
    def caption_id(self) -> str:
        return f"{self.key}-caption"


# Formatting -------------------------------------------------------------------------------------


def format_number(value: Number | None, unit: Unit = Unit.COUNT) -> str:
    """A number as Danes write it: 1.234 for counts and kroner, 42,5 % for shares."""
    if value is None:
        return "–"
    if unit is Unit.PERCENT:
        return f"{_danish(f'{float(value):,.1f}')} %"
    whole = _danish(f"{round(value):,d}")
    return f"{whole} kr." if unit is Unit.KRONER else whole


def _danish(english: str) -> str:
    """Swap the thousands comma and the decimal point."""
    return english.translate(str.maketrans(",.", ".,"))


@dataclass(frozen=True)
class TableRow:
    category: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption_id: str
    caption: str
    headers: tuple[str, ...]  # the category column's first
    rows: tuple[TableRow, ...]


def table_of(chart: Chart) -> Table:
    """The chart's numbers as a table: a row per category, a column per series (and the goal)."""
    headers = (chart.category_label, *(series.label for series in chart.series))
    goal = chart.goal
    if goal is not None:
        headers = (*headers, goal.label)
    rows = []
    for index, category in enumerate(chart.categories):
        cells = [format_number(series.values[index], chart.unit) for series in chart.series]
        if goal is not None:
            cells.append(format_number(goal.value, chart.unit))
        rows.append(TableRow(category=category, cells=tuple(cells)))
    return Table(
        caption_id=chart.caption_id, caption=chart.title, headers=headers, rows=tuple(rows)
    )


# Drawing ----------------------------------------------------------------------------------------


def svg_of(chart: Chart) -> str:
    """The chart as an inline <svg> element, from the cache when it was drawn before."""
    digest = hashlib.sha256(f"{DRAWING_VERSION}:{chart!r}".encode()).hexdigest()
    cached = cache.get(f"statistics:svg:{digest}")
    if isinstance(cached, str):
        return cached
    svg = draw(chart)
    cache.set(f"statistics:svg:{digest}", svg, CACHE_SECONDS)
    return svg


def draw(chart: Chart) -> str:
    """Draw the chart (tens of milliseconds; `svg_of` caches it)."""
    marks: dict[str, str] = {}
    with matplotlib.rc_context(RC):
        # rc_context covers drawing too: fonts and colours are read when artists are made.
        figure = Figure(figsize=(WIDTH_INCHES, _height(chart)), layout="constrained")
        axes = figure.add_subplot()
        DRAWERS[chart.kind](chart, axes, _Marker(chart, marks))
        axes.set_axisbelow(True)
        if len(chart.series) > 1 or chart.goal is not None:
            axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), chart=chart, marks=marks)


def _height(chart: Chart) -> float:
    if chart.kind in (Kind.HBAR, Kind.FUNNEL):
        return max(1.6, 0.9 + 0.34 * len(chart.categories))
    return HEIGHT_INCHES


class _Marker:
    """Names each bar or point and remembers the title it gets: 'Telefon, jan. 2026: 12'."""

    def __init__(self, chart: Chart, marks: dict[str, str]) -> None:
        self.chart = chart
        self.marks = marks

    def __call__(self, artist: Artist, *, series: int, category: int) -> None:
        gid = f"{self.chart.key}-mark-{series}-{category}"
        artist.set_gid(gid)
        value = self.chart.series[series].values[category]
        label = self.chart.categories[category]
        if len(self.chart.series) > 1:
            label = f"{self.chart.series[series].label}, {label}"
        self.marks[gid] = f"{label}: {format_number(value, self.chart.unit)}"


def _values(series: Series) -> list[float]:
    return [0.0 if value is None else float(value) for value in series.values]


def _value_axis(chart: Chart, axes: Axes, *, horizontal: bool) -> None:
    formatter = FuncFormatter(lambda value, _position: format_number(value, chart.unit))
    (axes.xaxis if horizontal else axes.yaxis).set_major_formatter(formatter)
    axes.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)


def _label_bars(axes: Axes, bars: Sequence[Artist], texts: Sequence[str], **kwargs: object) -> None:
    axes.bar_label(bars, labels=list(texts), fontsize=8, **kwargs)  # type: ignore[arg-type]


def _draw_stacked(chart: Chart, axes: Axes, mark: _Marker) -> None:
    positions = range(len(chart.categories))
    bottoms = [0.0] * len(chart.categories)
    bars = None
    for index, series in enumerate(chart.series):
        values = _values(series)
        bars = axes.bar(
            positions,
            values,
            bottom=bottoms,
            label=series.label,
            color=PALETTE[index % len(PALETTE)],
            width=0.7,
        )
        for category, patch in enumerate(bars.patches):
            mark(patch, series=index, category=category)
        bottoms = [bottom + value for bottom, value in zip(bottoms, values, strict=True)]
    if bars is not None:
        # The total on top of each column; the parts are in the titles and the table.
        _label_bars(axes, bars, [format_number(total, chart.unit) for total in bottoms], padding=2)
    _categories_below(chart, axes)
    _value_axis(chart, axes, horizontal=False)


def _draw_grouped(chart: Chart, axes: Axes, mark: _Marker) -> None:
    count = max(1, len(chart.series))
    width = 0.8 / count
    for index, series in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * width
        bars = axes.bar(
            [position + offset for position in range(len(chart.categories))],
            _values(series),
            width=width,
            label=series.label,
            color=PALETTE[index % len(PALETTE)],
        )
        for category, patch in enumerate(bars.patches):
            mark(patch, series=index, category=category)
        _label_bars(
            axes, bars, [format_number(value, chart.unit) for value in series.values], padding=2
        )
    _categories_below(chart, axes)
    _value_axis(chart, axes, horizontal=False)
    _goal_line(chart, axes, horizontal=False)


def _draw_line(chart: Chart, axes: Axes, mark: _Marker) -> None:
    for index, series in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x, float(v)) for x, v in enumerate(series.values) if v is not None]
        axes.plot(
            [x for x, _y in points], [y for _x, y in points], color=colour, label=series.label
        )
        for x, y in points:
            (point,) = axes.plot([x], [y], marker="o", color=colour, markersize=5)
            mark(point, series=index, category=x)
            axes.annotate(
                format_number(y, chart.unit),
                (x, y),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    _categories_below(chart, axes)
    _value_axis(chart, axes, horizontal=False)
    _goal_line(chart, axes, horizontal=False)
    if chart.unit is Unit.PERCENT:
        axes.set_ylim(0, 100)


def _draw_hbar(chart: Chart, axes: Axes, mark: _Marker) -> None:
    (series,) = chart.series
    values = _values(series)
    positions = range(len(chart.categories))
    bars = axes.barh(positions, values, color=PALETTE[0], height=0.6)
    for category, patch in enumerate(bars.patches):
        mark(patch, series=0, category=category)
    texts = [format_number(value, chart.unit) for value in series.values]
    if chart.kind is Kind.FUNNEL and values and values[0]:
        # A funnel reads as what share of the first step reaches each later one.
        texts = [
            f"{text} ({format_number(100 * value / values[0], Unit.PERCENT)})"
            for text, value in zip(texts, values, strict=True)
        ]
    _label_bars(axes, bars, texts, padding=3)
    axes.set_yticks(list(positions), list(chart.categories))
    axes.invert_yaxis()  # the first category on top, as in the table
    _value_axis(chart, axes, horizontal=True)
    # Room for the labels beyond the longest bar.
    axes.set_xlim(0, max(values, default=0) * 1.3 or 1)


def _goal_line(chart: Chart, axes: Axes, *, horizontal: bool) -> None:
    goal = chart.goal
    if goal is None:
        return
    line = axes.axvline if horizontal else axes.axhline
    line(float(goal.value), color=GOAL_COLOUR, linestyle="--", linewidth=1.2, label=goal.label)


def category_labels(categories: Sequence[str]) -> list[str]:
    """Category names as drawn under the columns: long ones (the goals' KPI names) wrapped
    to their column's width, so that neighbours do not print over each other."""
    width = max(MIN_LABEL_CHARACTERS, LABEL_CHARACTERS // max(1, len(categories)))
    return [textwrap.fill(label, width, break_long_words=False) for label in categories]


def _categories_below(chart: Chart, axes: Axes) -> None:
    """Category names under the columns, turned when many would collide, else wrapped."""
    rotate = len(chart.categories) > 6
    axes.set_xticks(
        list(range(len(chart.categories))),
        list(chart.categories) if rotate else category_labels(chart.categories),
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
        rotation_mode="anchor",
    )


DRAWERS: dict[Kind, Callable[[Chart, Axes, _Marker], None]] = {
    Kind.STACKED: _draw_stacked,
    Kind.GROUPED: _draw_grouped,
    Kind.LINE: _draw_line,
    Kind.HBAR: _draw_hbar,
    Kind.FUNNEL: _draw_hbar,
}


# Inlining ---------------------------------------------------------------------------------------

# CSS properties matplotlib writes into style attributes, all of them SVG presentation attributes.
PRESENTATION = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linejoin",
    "stroke-linecap",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "clip-path",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
}
FONT_SHORTHAND = re.compile(
    r"^(?:(?P<style>italic|oblique)\s+)?(?:(?P<weight>\d{3}|bold)\s+)?"
    r"(?P<size>[\d.]+px)\s+(?P<family>.+)$"
)
REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _inline(svg: str, *, chart: Chart, marks: dict[str, str]) -> str:
    """Matplotlib's SVG document as an element to inline: no prolog, no metadata, no style."""
    root = fromstring(svg.encode())
    for child in list(root):
        if child.tag in (f"{{{SVG_NS}}}metadata",):
            root.remove(child)
    for defs in root.iter(f"{{{SVG_NS}}}defs"):
        for style in defs.findall(f"{{{SVG_NS}}}style"):
            defs.remove(style)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    prefix = f"{chart.key}-"
    for element in root.iter():
        _unstyle(element)
        _prefix_ids(element, prefix=prefix)
    # The marks' ids already start with the key (_Marker), so they kept them.
    for element in root.iter():
        title = marks.get(element.get("id", ""))
        if title is not None:
            node = ET.Element(f"{{{SVG_NS}}}title")
            node.text = title
            element.insert(0, node)
    # Scales with the page; the viewBox keeps the proportions.
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("class", "chart-svg")
    root.set("role", "img")
    root.set("aria-labelledby", chart.caption_id)
    root.set("focusable", "false")
    _drop_namespaces(root)
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _drop_namespaces(root: ET.Element) -> None:
    """Plain tag names and `href` for `xlink:href` (SVG 2): the output does not depend on which
    prefixes other modules registered with ElementTree, whose namespace map is global."""
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
        href = element.attrib.pop(f"{{{XLINK_NS}}}href", None)
        if href is not None:
            element.set("href", href)


def _unstyle(element: ET.Element) -> None:
    style = element.attrib.pop("style", None)
    if style is None:
        return
    for name, value in _declarations(style):
        if name == "font":
            match = FONT_SHORTHAND.match(value)
            if match is None:
                raise ValueError(f"Unexpected font shorthand in matplotlib's SVG: {value!r}")
            element.set("font-size", match["size"])
            element.set("font-family", f"{match['family']}, sans-serif")
            if match["weight"]:
                element.set("font-weight", match["weight"])
            if match["style"]:
                element.set("font-style", match["style"])
        elif name in PRESENTATION:
            element.set(name, value)
        else:
            raise ValueError(f"Unexpected style in matplotlib's SVG: {name}: {value}")


def _declarations(style: str) -> Iterator[tuple[str, str]]:
    for declaration in style.split(";"):
        if ":" in declaration:
            name, value = declaration.split(":", 1)
            yield name.strip(), value.strip()


def _prefix_ids(element: ET.Element, *, prefix: str) -> None:
    """Give every id and reference the chart's prefix: two charts on a page share no id."""
    identifier = element.get("id")
    if identifier is not None and not identifier.startswith(prefix):
        element.set("id", prefix + identifier)
    for name, value in list(element.attrib.items()):
        if "url(#" in value:
            element.set(name, REFERENCE.sub(lambda m: f"url(#{prefix}{m[1]})", value))
    href = f"{{{XLINK_NS}}}href"
    for name in (href, "href"):
        target = element.get(name)
        if target is not None and target.startswith("#") and not target.startswith(f"#{prefix}"):
            element.set(name, f"#{prefix}{target[1:]}")
