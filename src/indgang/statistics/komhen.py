"""The KomHen counting sheet: a period's inbound contacts per channel and area (department), with
a line per KLE main group, as CSV and XLSX a municipality can hand in.

Counts come from `selectors.contact_counts`. The rollups keep the task but not the contact's KLE
topic, so a contact's KLE main group is its task's lowest-numbered topic's main group: the topic
`register_contact` gives a contact registered without one.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from indgang.catalogue.constants import Channel, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.constants import Direction
from indgang.organisation.models import Department, Municipality
from indgang.organisation.selectors import Scope
from indgang.statistics.selectors import Slice, contact_counts


@dataclass(frozen=True)
class KomHenLine:
    label: str
    counts: tuple[int, ...]  # one per channel, in KomHenSheet.channels' order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class KomHenSheet:
    municipality: str
    slice: Slice
    channels: tuple[tuple[str, str], ...]  # (code, label)
    areas: tuple[KomHenLine, ...]
    total: KomHenLine
    kle_groups: tuple[KomHenLine, ...]

    @property
    def channel_codes(self) -> list[str]:
        return [code for code, _label in self.channels]

    @property
    def header(self) -> list[tuple[str, str]]:
        """The block above the table: municipality, period and counting method."""
        return [
            (_("Municipality"), self.municipality),
            (
                _("Period"),
                " – ".join(
                    date_format(day, "j. F Y") for day in (self.slice.start, self.slice.end)
                ),
            ),
            (
                _("Counting method"),
                _(
                    "Inbound contacts registered in Indgang, counted by the day received "
                    "(Danish time), per channel and per department handling them."
                ),
            ),
        ]

    def table(self) -> list[tuple[bool, list[str | int]]]:
        """The rows below the header, each with whether it is a heading: the areas and their
        total, a blank row, then the KLE main groups."""
        channels = [label for _code, label in self.channels]

        def body(lines: Iterable[KomHenLine]) -> list[tuple[bool, list[str | int]]]:
            return [(False, [line.label, *line.counts, line.total]) for line in lines]

        return [
            (True, [_("Area"), *channels, _("Total")]),
            *body(self.areas),
            (True, [self.total.label, *self.total.counts, self.total.total]),
            (False, []),
            (True, [_("KLE main group"), *channels, _("Total")]),
            *body(self.kle_groups),
        ]


def _lines(
    counts: Mapping[object, Mapping[str, int]],
    labels: Mapping[object, str],
    channels: Iterable[str],
) -> tuple[KomHenLine, ...]:
    codes = list(channels)
    return tuple(
        KomHenLine(label=labels[key], counts=tuple(counts[key].get(code, 0) for code in codes))
        for key in sorted(counts, key=lambda key: labels[key])
    )


def _main_group_of_tasks(task_ids: set[int]) -> dict[int, str]:
    """Each task's lowest-numbered KLE topic's main group number ("00"-"99")."""
    lowest: dict[int, str] = {}
    for task_id, number in (
        Task.kle_topics.through.objects.filter(task_id__in=task_ids)
        .values_list("task_id", "kleentry__number")
        .order_by("kleentry__number")
    ):
        lowest.setdefault(task_id, number[:2])
    return lowest


def komhen_sheet(*, scope: Scope, slice: Slice) -> KomHenSheet:
    """The counting sheet of the slice: two grouped reads of the rollups, three of names."""
    channels = tuple((code, str(label)) for code, label in Channel.choices)
    by_department: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in contact_counts(scope=scope, slice=slice, by=("department", "channel", "direction")):
        if row.direction == Direction.INBOUND:
            by_department[row.department_id or 0][row.channel or ""] += row.contacts
    task_rows = [
        row
        for row in contact_counts(scope=scope, slice=slice, by=("task", "channel", "direction"))
        if row.direction == Direction.INBOUND
    ]
    main_groups = _main_group_of_tasks({row.task_id for row in task_rows if row.task_id})
    for row in task_rows:
        by_group[main_groups.get(row.task_id or 0, "")][row.channel or ""] += row.contacts
    department_labels: dict[object, str] = {0: _("No department")}
    department_labels.update(
        Department.objects.filter(pk__in=set(by_department)).values_list("pk", "name")
    )
    group_labels: dict[object, str] = {"": _("No KLE main group")}
    group_labels.update(
        (number, f"{number} {title}")
        for number, title in KleEntry.objects.filter(
            level=KleLevel.MAIN_GROUP, number__in=set(by_group) - {""}
        ).values_list("number", "title")
    )
    group_labels.update((number, str(number)) for number in by_group if number not in group_labels)
    areas = _lines(by_department, department_labels, (code for code, _label in channels))
    municipality = Municipality.objects.order_by("pk").values_list("name", flat=True).first()
    return KomHenSheet(
        municipality=municipality or "",
        slice=slice,
        channels=channels,
        areas=areas,
        total=KomHenLine(
            label=_("Total"),
            counts=tuple(sum(line.counts[i] for line in areas) for i in range(len(channels))),
        ),
        kle_groups=_lines(by_group, group_labels, (code for code, _label in channels)),
    )


def komhen_csv(sheet: KomHenSheet) -> str:
    """The sheet as CSV with semicolons, as Danish spreadsheets read it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([label, value] for label, value in sheet.header)
    writer.writerow([])
    writer.writerows(row for _heading, row in sheet.table())
    return out.getvalue()


def komhen_xlsx(sheet: KomHenSheet) -> bytes:
    """The sheet as an XLSX workbook, headings in bold."""
    book = Workbook()
    page = book.create_sheet("KomHen", 0)
    book.remove(book.worksheets[1])  # the empty sheet a new workbook starts with
    bold = Font(bold=True)
    for label, value in sheet.header:
        page.append([label, value])
        page.cell(row=page.max_row, column=1).font = bold
    page.append([])
    for heading, row in sheet.table():
        page.append(row)
        for cell in page[page.max_row] if heading else ():
            cell.font = bold
    page.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
