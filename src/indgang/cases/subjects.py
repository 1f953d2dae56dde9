"""Cases as subjects of deadlines, journal documents and access-log rows: registered in
CasesConfig.ready(), answering through this app's selectors."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from indgang.cases.models import Case
from indgang.cases.selectors import get_case_for, is_case_redacted
from indgang.common.subjects import SubjectFacts, SubjectView
from indgang.organisation.selectors import Scope


class CaseSubject:
    def facts(self, subject: Case) -> SubjectFacts:
        return SubjectFacts(
            department_id=subject.department_id,
            unit_id=subject.unit_id,
            task_id=None,
            received_at=subject.received_at,
            handler=None,
            kle_topic=subject.kle_topic,
            party_id=subject.party_id,
            journalised=subject,
        )

    def get_for(self, *, scope: Scope, pk: int) -> Case:
        return get_case_for(scope=scope, case_id=pk)

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        return {
            case.pk: SubjectView(
                label=f"{case.get_kind_display()} {case.property_address}".strip(),
                url=reverse("party-overview", kwargs={"party_id": case.party_id}),
                party=case.party,
                redacted=is_case_redacted(scope=scope, case=case),
            )
            for case in Case.objects.filter(pk__in=ids).select_related("party")
        }
