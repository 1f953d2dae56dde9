"""Parse OS2KLE's keyword lists (weighted terms per KLE topic) into plain records; no database
access here.

One topic a line: KLENummer='02.34.02':KLETitel='Byggetilladelser':Keywords[Weight]=term[5];…
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

_LINE = re.compile(r"KLENummer='(\d\d\.\d\d\.\d\d)':KLETitel='(.*)':Keywords\[Weight\]=(.*)")
_TERM = re.compile(r"(.+)\[(\d{1,7})\]")
# The column's length (catalogue.KleKeyword.term): OS2KLE's longest terms are whole titles of acts.
TERM_LENGTH = 400


class KeywordFormatError(ValueError):
    """The file is not an OS2KLE keyword list this importer understands."""


@dataclass(frozen=True)
class KeywordTopic:
    number: str
    title: str
    # Term -> weight; a term written twice in a topic keeps its highest weight.
    terms: dict[str, int]


def parse_keywords_file(path: Path) -> list[KeywordTopic]:
    """Read the whole file; raise KeywordFormatError with a Danish message on anything
    malformed (naming the line), so that nothing is written from a bad file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise KeywordFormatError(_("The file %(path)s does not exist.") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise KeywordFormatError(_("The file is not UTF-8 text.")) from error
    topics: dict[str, KeywordTopic] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line.strip())
        if match is None:
            raise KeywordFormatError(
                _("Line %(line)d is not KLENummer='…':KLETitel='…':Keywords[Weight]=….")
                % {"line": number}
            )
        kle, title, keywords = match.groups()
        if kle in topics:
            raise KeywordFormatError(
                _("Line %(line)d repeats KLE topic %(kle)s.") % {"line": number, "kle": kle}
            )
        terms: dict[str, int] = {}
        for part in keywords.split(";"):
            if not part.strip():
                continue
            term_match = _TERM.fullmatch(part.strip())
            term = " ".join(term_match.group(1).split()) if term_match else ""
            if term_match is None or not term or len(term) > TERM_LENGTH:
                raise KeywordFormatError(
                    _("Line %(line)d has a malformed term %(term)r (expected term[weight]).")
                    % {"line": number, "term": part[:60]}
                )
            terms[term] = max(terms.get(term, 0), int(term_match.group(2)))
        topics[kle] = KeywordTopic(number=kle, title=title, terms=terms)
    if not topics:
        raise KeywordFormatError(_("The file contains no KLE topics."))
    return list(topics.values())
