"""Suggest a case's service-need type from what is known about it: a pure function of facts.

Each rule that fires names a type and says why; the suggestion is the most demanding type any
rule names (klar-parat < vejledning < princip < obs), with the reasons that lead to it. The
caseworker decides; the suggestion only says what the facts point to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indgang.cases.constants import CaseKind, ServiceNeedType

T = ServiceNeedType
# The types from the least to the most demanding way of running a case.
DEMAND = (T.KLAR_PARAT, T.VEJLEDNING, T.PRINCIP, T.OBS)


def term(kind: ServiceNeedType) -> str:
    """The method's own Danish term for the type (klar-parat, vejledning, princip, obs)."""
    return kind.value.replace("_", "-")


@dataclass(frozen=True)
class Facts:
    kind: str
    # True: fully informed without a deficiency letter; False: a letter was needed; None: not
    # known yet (still being screened).
    arrived_fully_informed: bool | None
    applicant_earlier_types: Sequence[str]
    adviser_earlier_types: Sequence[str]
    objections: int
    indskaerpelser: int


@dataclass(frozen=True)
class Suggestion:
    type: ServiceNeedType
    reasons: list[str]


def _earlier(types: Sequence[str], *, whose: str) -> list[tuple[ServiceNeedType, str]]:
    """The most demanding type among earlier cases, if it says more than klar-parat."""
    counts = Counter(each for each in types if each in T.values)
    for kind in reversed(DEMAND[1:]):
        if counts[kind]:
            return [
                (
                    kind,
                    ngettext(
                        "%(whose)s has %(count)d earlier %(type)s case.",
                        "%(whose)s has %(count)d earlier %(type)s cases.",
                        counts[kind],
                    )
                    % {"whose": whose, "count": counts[kind], "type": term(kind)},
                )
            ]
    if counts[T.KLAR_PARAT]:
        return [
            (
                T.KLAR_PARAT,
                _("%(whose)s has had only klar-parat cases before.") % {"whose": whose},
            )
        ]
    return []


def suggest_service_need(facts: Facts) -> Suggestion:
    """The type the facts point to, and why."""
    found: list[tuple[ServiceNeedType, str]] = []
    if facts.kind == CaseKind.ENFORCEMENT:
        found.append((T.OBS, _("An enforcement case: the law is not complied with.")))
    if facts.indskaerpelser >= 2:
        found.append(
            (T.OBS, _("%(count)d earlier indskærpelser.") % {"count": facts.indskaerpelser})
        )
    elif facts.indskaerpelser == 1:
        found.append((T.VEJLEDNING, _("One earlier indskærpelse.")))
    if facts.objections:
        found.append(
            (
                T.PRINCIP,
                ngettext(
                    "%(count)d objection in the hearings.",
                    "%(count)d objections in the hearings.",
                    facts.objections,
                )
                % {"count": facts.objections},
            )
        )
    if facts.arrived_fully_informed is True:
        found.append((T.KLAR_PARAT, _("The application arrived fully informed.")))
    elif facts.arrived_fully_informed is False:
        found.append((T.VEJLEDNING, _("The application needed a deficiency letter.")))
    found += _earlier(facts.applicant_earlier_types, whose=_("The applicant"))
    found += _earlier(facts.adviser_earlier_types, whose=_("The adviser"))
    if not found:
        return Suggestion(T.KLAR_PARAT, [_("Nothing known points to more than klar-parat.")])
    suggested = max((kind for kind, _reason in found), key=DEMAND.index)
    return Suggestion(suggested, [reason for kind, reason in found if kind == suggested])
