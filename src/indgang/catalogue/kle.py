"""Parse KL's KLE emneplan XML (version 2.0) into plain records; no database access here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from indgang.catalogue.constants import KleLevel

# (element name, level, number tag, title tag, prefix of the per-level child tags)
_LEVELS = (
    ("Hovedgruppe", KleLevel.MAIN_GROUP, "HovedgruppeNr", "HovedgruppeTitel", "Hovedgruppe"),
    ("Gruppe", KleLevel.GROUP, "GruppeNr", "GruppeTitel", "Gruppe"),
    ("Emne", KleLevel.TOPIC, "EmneNr", "EmneTitel", "Emne"),
)
_NUMBER_LENGTH = {KleLevel.MAIN_GROUP: 2, KleLevel.GROUP: 5, KleLevel.TOPIC: 8}


class KleFormatError(ValueError):
    """The file is not a KLE emneplan this importer understands."""


@dataclass(frozen=True)
class KleRecord:
    number: str
    level: str
    parent_number: str | None
    title: str
    guidance: str = ""
    legal_references: list[dict[str, str]] = field(default_factory=list)
    retention_code: str = ""
    deletion_period: str = ""
    created_on: dt.date | None = None
    changed_on: dt.date | None = None
    retired_on: dt.date | None = None
    moved_on: dt.date | None = None
    replaced_by: str = ""

    def field_values(self) -> dict[str, Any]:
        """The model fields this record sets, except the parent."""
        return {
            "level": self.level,
            "title": self.title,
            "guidance": self.guidance,
            "legal_references": self.legal_references,
            "retention_code": self.retention_code,
            "deletion_period": self.deletion_period,
            "created_on": self.created_on,
            "changed_on": self.changed_on,
            "retired_on": self.retired_on,
            "moved_on": self.moved_on,
            "replaced_by": self.replaced_by,
        }


@dataclass(frozen=True)
class KlePlan:
    published_on: dt.date | None
    records: list[KleRecord]


def parse_kle_file(path: Path) -> KlePlan:
    """Read the whole plan; raise KleFormatError with a Danish message on anything malformed."""
    try:
        root = ElementTree.parse(path).getroot()
    except FileNotFoundError as error:
        raise KleFormatError(_("The file %(path)s does not exist.") % {"path": path}) from error
    except ParseError as error:
        raise KleFormatError(
            _("The file is not valid XML: %(error)s") % {"error": error}
        ) from error
    if root is None or root.tag != "KLE-Emneplan":
        raise KleFormatError(
            _("The file is not a KLE emneplan (root element is %(tag)s).")
            % {"tag": root.tag if root is not None else "-"}
        )
    records = list(_walk(root, 0, None))
    if not records:
        raise KleFormatError(_("The file contains no KLE main groups."))
    return KlePlan(published_on=_date(root, "UdgivelsesDato"), records=records)


def _walk(element: Element, depth: int, parent_number: str | None) -> Iterator[KleRecord]:
    # The parent is where the XML places an entry, not a prefix of its number: KL's own valid
    # subset nests groups 88.20 and 88.24 under main group 00.
    tag, level, number_tag, title_tag, prefix = _LEVELS[depth]
    for child in element.findall(tag):
        record = _record(child, level, number_tag, title_tag, prefix, parent_number)
        yield record
        if depth + 1 < len(_LEVELS):
            yield from _walk(child, depth + 1, record.number)


def _record(
    element: Element,
    level: str,
    number_tag: str,
    title_tag: str,
    prefix: str,
    parent_number: str | None,
) -> KleRecord:
    number = (element.findtext(number_tag) or "").strip()
    title = (element.findtext(title_tag) or "").strip()
    if len(number) != _NUMBER_LENGTH[KleLevel(level)] or not title:
        raise KleFormatError(
            _("A %(element)s has a missing or malformed number or title (number: %(number)r).")
            % {"element": element.tag, "number": number}
        )
    info = element.find(f"{prefix}AdministrativInfo")
    history = info.find("Historisk") if info is not None else None
    moved = history.find("Flyttet") if history is not None else None
    return KleRecord(
        number=number,
        level=level,
        parent_number=parent_number,
        title=title,
        guidance=_guidance_text(element.find(f"{prefix}Vejledning/VejledningTekst")),
        legal_references=[
            {
                "title": (ref.findtext("RetskildeTitel") or "").strip(),
                "accession_number": (ref.findtext("RetsinfoAccessionsNr") or "").strip(),
                "paragraph": (ref.findtext("ParagrafEllerKapitel") or "").strip(),
            }
            for ref in element.findall(f"{prefix}RetskildeReference")
        ],
        retention_code=(element.findtext("BevaringJaevnfoerArkivloven") or "").strip(),
        deletion_period=(element.findtext("SletningJaevnfoerPersondataloven") or "").strip(),
        created_on=_date(info, "OprettetDato"),
        changed_on=_date(info, "RettetDato"),
        retired_on=_date(history, "UdgaaetDato"),
        moved_on=_date(moved, "FlyttetDato"),
        replaced_by=_successor(moved),
    )


def _successor(moved: Element | None) -> str:
    """The number a moved entry is replaced by: a topic or a group."""
    successor = moved.find("AfloestAf") if moved is not None else None
    numbers = [(child.text or "").strip() for child in successor] if successor is not None else []
    return numbers[0] if numbers else ""


def _date(element: Element | None, tag: str) -> dt.date | None:
    text = element.findtext(tag) if element is not None else None
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise KleFormatError(
            _("%(tag)s has an invalid date: %(text)r.") % {"tag": tag, "text": text}
        ) from error


def _guidance_text(element: Element | None) -> str:
    """Flatten the guidance XHTML to plain text: a paragraph a line, list items as bullets."""
    if element is None:
        return ""
    lines: list[str] = []
    for node in element.iter():
        if node.tag == "li":
            lines.append("• " + " ".join("".join(node.itertext()).split()))
        elif node.tag == "p" and node.find("ul") is None:
            text = " ".join("".join(node.itertext()).split())
            if text:
                lines.append(text)
    return "\n".join(lines)
