"""The contact list as CSV: the rows the list's filters found, as the reader may see them."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from django.utils.translation import gettext as _

from indgang.contacts.models import Contact

# An export holds at most this many contacts; a larger one is refused, never cut short.
EXPORT_LIMIT = 10_000
# Characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    """Where the CSV goes: an HTTP response, a file, a StringIO."""

    def write(self, content: str, /) -> object: ...


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a summary typed as "=HYPERLINK(…)" stays inert."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def write_contacts_csv(
    rows: Iterable[tuple[Contact, bool]], out: Writable, *, zone: dt.tzinfo
) -> None:
    """Write (contact, withheld) rows with a header, semicolon-separated as Danish spreadsheets
    read it; a withheld contact's party and summary are left out, as on the list."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Number"),
            _("Received"),
            _("Channel"),
            _("Citizen or company"),
            _("Summary"),
            _("Task"),
            _("KLE topic"),
            _("Unit"),
            _("Outcome"),
            _("Duration (seconds)"),
        ]
    )
    withheld = _("Withheld")
    for contact, redacted in rows:
        party = str(contact.party) if contact.party else _("Anonymous")
        writer.writerow(
            [
                contact.pk,
                f"{contact.received_at.astimezone(zone):%Y-%m-%d %H:%M}",
                contact.get_channel_display(),
                withheld if redacted else _cell(party),
                withheld if redacted else _cell(contact.summary),
                _cell(contact.task.title) if contact.task else "",
                contact.kle_topic.number if contact.kle_topic else "",
                _cell(str(contact.unit)) if contact.unit else "",
                contact.get_outcome_display(),
                "" if contact.duration_seconds is None else contact.duration_seconds,
            ]
        )
