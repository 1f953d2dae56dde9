from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access, log_reads
from indgang.cases.api.serializers import (
    CaseActionSerializer,
    CaseCreatedSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseDocumentCreateSerializer,
    CaseDocumentSerializer,
    CaseLetterSerializer,
    CasePartyByNumberSerializer,
    CasePartyCreateSerializer,
    CasePartyRemoveSerializer,
    CaseSerializer,
    CaseworkersSerializer,
    ChecklistTickSerializer,
    ComplaintCreateSerializer,
    ContactLinkSerializer,
    DeficiencyAnswerSerializer,
    DeficiencyLetterSerializer,
    DeficiencyWaiverSerializer,
    FollowUpSerializer,
    HearingCreateSerializer,
    HearingReplyCreateSerializer,
    IndskaerpelseCreateSerializer,
    InspectionCreateSerializer,
    NoteCreateSerializer,
    PreMeetingSerializer,
    ReportFilterSerializer,
    ServiceNeedSerializer,
    ServiceTargetReportSerializer,
    WorkListFilterSerializer,
    WorkListRowSerializer,
)
from indgang.cases.models import Case
from indgang.cases.reports import list_work_for, servicemal_report
from indgang.cases.selectors import (
    areas_where_waiting_counts,
    get_case_detail_for,
    get_case_document_for,
    get_case_letter_for,
    list_case_letters_for,
    list_cases_for,
    receipt_of,
)
from indgang.cases.services import (
    InspectionStep,
    NewApplication,
    NewCaseSubject,
    add_case_document,
    add_case_note,
    add_case_party,
    add_case_party_by_number,
    assign_caseworkers,
    change_service_need_type,
    follow_up_indskaerpelse,
    give_indskaerpelse,
    link_contact,
    mark_remedied,
    plan_inspection,
    receive_application,
    receive_complaint,
    receive_deficiency_answer,
    record_hearing_reply,
    remove_case_party,
    send_deficiency_letter,
    set_pre_meeting,
    start_enforcement,
    start_hearing,
    take_action,
    take_case,
    tick_checklist_item,
    waive_deficiency_item,
)
from indgang.common.api import NewestFirstPagination, Pagination, query_of
from indgang.common.inputs import IdConverter
from indgang.journal.views import download
from indgang.letters.selectors import read_letter_pdf
from indgang.organisation.requests import acting_user, request_scope

# A letter of the case, by its id.
LETTER = r"letters/(?P<letter_id>" + IdConverter.regex + ")"
NOT_FOUND = OpenApiResponse(description="No such case or letter, or you may not see the case.")
# An indskærpelse of the case, by its id.
INDSKAERPELSE = r"indskaerpelser/(?P<indskaerpelse_id>" + IdConverter.regex + ")"


@extend_schema(tags=["cases"])
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Case],
):
    """Applications, inspections and enforcement cases; list and detail share one path."""

    serializer_class = CaseSerializer
    pagination_class = NewestFirstPagination
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        return list_cases_for(scope=request_scope(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        context["waiting_counts"] = areas_where_waiting_counts()
        return context

    def _log(self, request: Request, cases: list[Case], what: AccessAction) -> None:
        """One row per party on the page (one statement); a case's detail logs the case itself."""
        log_reads(
            user=acting_user(request),
            party_ids=(case.party_id for case in cases),
            action=what,
            purpose=purpose_of(request),
            via=Via.API,
            at=timezone.now(),
        )

    @extend_schema(parameters=[PurposeSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Cases you may see, newest first, each with its clock; each party is logged as read."""
        purpose_of(request)  # refuse a bad purpose before reading
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - always paginated
        self._log(request, page, AccessAction.LISTED_CASES)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[PurposeSerializer], responses={200: CaseDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One case with its clock and timeline; the read is written to the access log."""
        purpose_of(request)
        case = get_case_detail_for(scope=request_scope(request), case_id=int(kwargs["pk"]))
        log_access(
            user=acting_user(request),
            party_id=case.party_id,
            action=AccessAction.VIEWED_CASE,
            purpose=purpose_of(request),
            via=Via.API,
            at=timezone.now(),
            subject=case,
        )
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Receive an application: 201 with the new case, its journal number and the receipt
        letter written to the applicant; 400 per field, nothing stored."""
        data = _valid(CaseCreateSerializer, request)
        case = receive_application(
            new=NewApplication(
                **_subject(data),
                category_code=data["category"],
                received_at=data["received_at"],
                attachments=data.get("attachments", []),
                contact_id=data.get("contact"),
                meeting_id=data.get("meeting"),
            ),
            received_by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        fresh = get_case_detail_for(scope=request_scope(request), case_id=case.pk)
        context = {**self.get_serializer_context(), "receipt": receipt_of(case=fresh)}
        return Response(
            CaseCreatedSerializer(fresh, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[PurposeSerializer],
        responses={200: CaseLetterSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def letters(self, request: Request, pk: str) -> Response:
        """The letters written on the case, newest first; the read is written to the access log."""
        purpose_of(request)
        case, letters = list_case_letters_for(scope=request_scope(request), case_id=int(pk))
        self._log(request, [case], AccessAction.VIEWED_CASE)
        return Response(CaseLetterSerializer(letters, many=True).data)

    @extend_schema(
        parameters=[PurposeSerializer],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter's PDF, as an attachment."
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path=LETTER + "/pdf", url_name="letter-pdf")
    def letter_pdf(self, request: Request, pk: str, letter_id: str) -> HttpResponse:
        """One letter's PDF, never cached; the read is logged for the case's party and the
        letter's recipient."""
        purpose = purpose_of(request)
        case, letter = get_case_letter_for(
            scope=request_scope(request), case_id=int(pk), letter_id=int(letter_id)
        )
        for party_id in sorted({case.party_id, letter.recipient_id}):
            log_access(
                user=acting_user(request),
                party_id=party_id,
                subject=case,
                action=AccessAction.OPENED_DOCUMENT,
                purpose=purpose,
                via=Via.API,
                at=timezone.now(),
                detail=f"letter {letter.pk}",
            )
        response = HttpResponse(read_letter_pdf(letter=letter), content_type="application/pdf")
        response["Content-Disposition"] = (
            content_disposition_header(True, f"{letter.case_number}-{letter.kind}-{letter.pk}.pdf")
            or "attachment"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=CaseActionSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str) -> Response:
        """Take one step of the state machine; 409 with the Danish refusal if not allowed."""
        data = _valid(CaseActionSerializer, request)
        case = take_action(
            case_id=int(pk),
            action=data["action"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
            at=data.get("at"),
            note=data.get("note", ""),
            outcome=data.get("decision", ""),
            conditions=data.get("conditions", ""),
            inspection=InspectionStep(
                notice_method=data.get("notice_method", ""),
                agenda=data.get("agenda", ""),
                staff_ids=tuple(data.get("staff_present", ())),
                findings=tuple(data.get("findings", ())),
                next_steps=data.get("next_steps", ""),
            ),
        )
        return self._answer(case.pk)

    @extend_schema(request=ServiceNeedSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="service-need")
    def service_need(self, request: Request, pk: str) -> Response:
        """Change the case's service-need type, saying why; every change is kept."""
        data = _valid(ServiceNeedSerializer, request)
        case = change_service_need_type(
            case_id=int(pk),
            to_type=data["service_need_type"],
            reason=data["reason"],
            by=acting_user(request),
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case.pk)

    @extend_schema(request=PreMeetingSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="pre-meeting")
    def pre_meeting(self, request: Request, pk: str) -> Response:
        """Record the day of the pre-application meeting (null: none), for the report."""
        data = _valid(PreMeetingSerializer, request)
        case = set_pre_meeting(
            case_id=int(pk),
            held_on=data["pre_meeting_on"],
            scope=request_scope(request),
            now=timezone.now(),
        )
        return self._answer(case.pk)

    def _answer(self, case_id: int, code: int = status.HTTP_200_OK) -> Response:
        """The case as the detail shows it, read again through the permission path."""
        fresh = get_case_detail_for(scope=request_scope(self.request), case_id=case_id)
        return Response(
            CaseDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _writer(self, request: Request) -> dict[str, Any]:
        """The arguments every write takes: who, in which scope, and when."""
        return {"by": acting_user(request), "scope": request_scope(request), "now": timezone.now()}

    @extend_schema(request=ChecklistTickSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def checklist(self, request: Request, pk: str) -> Response:
        """Mark a checklist item done, or not done again."""
        data = _valid(ChecklistTickSerializer, request)
        tick_checklist_item(
            case_id=int(pk), item_id=data["item"], done=data["done"], **self._writer(request)
        )
        return self._answer(int(pk))

    @extend_schema(request=DeficiencyLetterSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="deficiency-letter")
    def deficiency_letter(self, request: Request, pk: str) -> Response:
        """Send the deficiency letter: what is missing, and the date to answer by."""
        data = _valid(DeficiencyLetterSerializer, request)
        case = send_deficiency_letter(
            case_id=int(pk),
            items=data["items"],
            reply_by=data["reply_by"],
            at=data.get("at"),
            note=data.get("note", ""),
            **self._writer(request),
        )
        return self._answer(case.pk)

    @extend_schema(request=DeficiencyAnswerSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="deficiency-answer")
    def deficiency_answer(self, request: Request, pk: str) -> Response:
        """Register the applicant's answer and the missing items it answers."""
        data = _valid(DeficiencyAnswerSerializer, request)
        answered: dict[int, str] = {}
        for each in data["answered"]:
            if each["item"] in answered:
                raise ValidationError({"answered": [_("Each item may be answered once.")]})
            answered[each["item"]] = each.get("note", "")
        case = receive_deficiency_answer(
            case_id=int(pk),
            answered=answered,
            at=data.get("at"),
            note=data.get("note", ""),
            **self._writer(request),
        )
        return self._answer(case.pk)

    @extend_schema(request=DeficiencyWaiverSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="deficiency-waiver")
    def deficiency_waiver(self, request: Request, pk: str) -> Response:
        """Go on without a missing item, saying why."""
        data = _valid(DeficiencyWaiverSerializer, request)
        waive_deficiency_item(
            case_id=int(pk), item_id=data["item"], reason=data["reason"], **self._writer(request)
        )
        return self._answer(int(pk))

    @extend_schema(request=HearingCreateSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def hearings(self, request: Request, pk: str) -> Response:
        """Start a partshøring or nabohøring of the named parties."""
        data = _valid(HearingCreateSerializer, request)
        start_hearing(
            case_id=int(pk),
            kind=data["kind"],
            reply_by=data["reply_by"],
            party_ids=data["parties"],
            at=data.get("at"),
            note=data.get("note", ""),
            **self._writer(request),
        )
        return self._answer(int(pk))

    @extend_schema(request=HearingReplyCreateSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="hearing-replies")
    def hearing_replies(self, request: Request, pk: str) -> Response:
        """Record a heard party's reply and whether it objects."""
        data = _valid(HearingReplyCreateSerializer, request)
        record_hearing_reply(
            case_id=int(pk),
            hearing_id=data["hearing"],
            party_id=data["party"],
            received_at=data["received_at"],
            objects_to=data["objects"],
            summary=data["summary"],
            **self._writer(request),
        )
        return self._answer(int(pk))

    @extend_schema(request=CasePartyCreateSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request: Request, pk: str) -> Response:
        """Give a party a role on the case (an adviser, a co-applicant ...)."""
        data = _valid(CasePartyCreateSerializer, request)
        add_case_party(
            case_id=int(pk), party_id=data["party"], role=data["role"], **self._writer(request)
        )
        return self._answer(int(pk))

    @extend_schema(request=CasePartyByNumberSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="parties/by-number")
    def party_by_number(self, request: Request, pk: str) -> Response:
        """Give a citizen (by CPR) or company (by CVR) a role on the case, created if new."""
        data = _valid(CasePartyByNumberSerializer, request)
        add_case_party_by_number(
            case_id=int(pk),
            role=data["role"],
            cpr=data.get("cpr"),
            cvr=data.get("cvr"),
            name=data.get("name", ""),
            **self._writer(request),
        )
        return self._answer(int(pk))

    @extend_schema(request=CaseworkersSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def caseworkers(self, request: Request, pk: str) -> Response:
        """Name the case's responsible caseworkers (staff of its department)."""
        data = _valid(CaseworkersSerializer, request)
        assign_caseworkers(case_id=int(pk), user_ids=data["caseworkers"], **self._writer(request))
        return self._answer(int(pk))

    @extend_schema(request=CasePartyRemoveSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="parties/remove")
    def remove_party(self, request: Request, pk: str) -> Response:
        """Take a party's role on the case away."""
        data = _valid(CasePartyRemoveSerializer, request)
        case = remove_case_party(
            case_id=int(pk), case_party_id=data["case_party"], **self._writer(request)
        )
        return self._answer(case.pk)

    @extend_schema(request=ContactLinkSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str) -> Response:
        """Link a contact you may see to the case."""
        data = _valid(ContactLinkSerializer, request)
        link_contact(case_id=int(pk), contact_id=data["contact"], **self._writer(request))
        return self._answer(int(pk))

    @extend_schema(request=NoteCreateSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        """Write a note on the case's timeline."""
        data = _valid(NoteCreateSerializer, request)
        add_case_note(case_id=int(pk), text=data["text"], **self._writer(request))
        return self._answer(int(pk))

    @extend_schema(
        request={"multipart/form-data": CaseDocumentCreateSerializer},
        responses={
            201: CaseDocumentSerializer,
            400: OpenApiResponse(
                description=(
                    "Messages per field; nothing is stored. A file is refused when it is too "
                    "large, when its content is not of an allowed type (whatever its name), or "
                    "when the virus scanner finds something or cannot be reached."
                )
            ),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def documents(self, request: Request, pk: str) -> Response:
        """List a document received on the case; the file is checked by its content, scanned
        and stored encrypted, and `file` in the answer is where it is downloaded."""
        data = _valid(CaseDocumentCreateSerializer, request)
        document = add_case_document(
            case_id=int(pk),
            title=data["title"],
            dated=data["dated"],
            file=data["file"],
            **self._writer(request),
        )
        return Response(
            CaseDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The file, as an attachment, in the type its content showed.",
                )
                for media_type in settings.DOCUMENT_TYPES
            },
            404: OpenApiResponse(description="No such document on a case you may see."),
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>" + IdConverter.regex + ")",
        url_name="document",
    )
    def document(self, request: Request, pk: str, document_id: str) -> StreamingHttpResponse:
        """A document's file through its case: for staff who may see the case; each read is
        logged against the case and its applicant."""
        get_case_document_for(
            scope=request_scope(request), case_id=int(pk), document_id=int(document_id)
        )
        return download(request, document_id=int(document_id), via=Via.API)

    @extend_schema(request=None, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str) -> Response:
        """ "Tag sagen": become the caseworker of a case that has none yet."""
        take_case(case_id=int(pk), **self._writer(request))
        return self._answer(int(pk))

    @extend_schema(request=InspectionCreateSerializer, responses={201: CaseDetailSerializer})
    @action(detail=False, methods=["post"])
    def inspections(self, request: Request) -> Response:
        """Plan an inspection: 201 with the new case in `planned`; 400 per field, nothing stored."""
        data = _valid(InspectionCreateSerializer, request)
        case = plan_inspection(
            subject=NewCaseSubject(**_subject(data)),
            planned_for=data["planned_for"],
            **self._writer(request),
        )
        return self._answer(case.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: CaseDetailSerializer})
    @action(detail=False, methods=["post"])
    def complaints(self, request: Request) -> Response:
        """Receive a complaint as an enforcement case: 201; 400 per field, nothing stored."""
        data = _valid(ComplaintCreateSerializer, request)
        case = receive_complaint(
            subject=NewCaseSubject(**_subject(data)),
            complaint=data["complaint"],
            received_at=data["received_at"],
            **self._writer(request),
        )
        return self._answer(case.pk, status.HTTP_201_CREATED)

    @extend_schema(request=IndskaerpelseCreateSerializer, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def indskaerpelser(self, request: Request, pk: str) -> Response:
        """Give an indskærpelse at the inspection; 409 outside the visit-to-close states."""
        data = _valid(IndskaerpelseCreateSerializer, request)
        given = give_indskaerpelse(
            case_id=int(pk),
            cause=data["cause"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            **self._writer(request),
        )
        return self._answer(given.case_id, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/remedied")
    def remedied(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Mark the indskærpelse remedied; 409 if it is not open."""
        given = mark_remedied(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            **self._writer(request),
        )
        return self._answer(given.case_id)

    @extend_schema(request=FollowUpSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/follow-up")
    def follow_up(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Note the follow-up of an open indskærpelse."""
        data = _valid(FollowUpSerializer, request)
        given = follow_up_indskaerpelse(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            note=data["note"],
            **self._writer(request),
        )
        return self._answer(given.case_id)

    @extend_schema(request=None, responses={201: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path=INDSKAERPELSE + "/enforcement")
    def enforcement(self, request: Request, pk: str, indskaerpelse_id: str) -> Response:
        """Start an enforcement case from an indskærpelse not remedied by its deadline: 201 with
        the new case; 409 if remedied, already enforced or not yet due."""
        case = start_enforcement(
            case_id=int(pk),
            indskaerpelse_id=int(indskaerpelse_id),
            **self._writer(request),
        )
        return self._answer(case.pk, status.HTTP_201_CREATED)


def _valid(serializer: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """The request body, checked; a 400 with a message per field otherwise."""
    incoming = serializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


def _subject(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of NewCaseSubject (which NewApplication extends), from CaseSubjectSerializer's."""
    return {
        "area": data["area"],
        "cpr": data.get("cpr"),
        "cvr": data.get("cvr"),
        "party_name": data.get("name", ""),
        "property_address": data["property_address"],
        "cadastral_number": data.get("cadastral_number", ""),
        "property_number": data.get("property_number", ""),
        "kle_topic": data.get("kle_topic"),
        "unit": data.get("unit"),
    }


@extend_schema(tags=["cases"], parameters=[WorkListFilterSerializer])
class WorkListView(generics.ListAPIView[Case]):
    """Open cases, most urgent first by days left on the servicemål clock; then the cases
    whose clock has not started, by received time. `unit` for a unit's list, `mine` for yours."""

    serializer_class = WorkListRowSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Case.objects.none()
        filters = WorkListFilterSerializer(data=query_of(self.request))
        filters.is_valid(raise_exception=True)
        return list_work_for(
            scope=request_scope(self.request),
            today=timezone.localdate(),
            unit_id=filters.validated_data.get("unit"),
            caseworker=acting_user(self.request) if filters.validated_data["mine"] else None,
            q=filters.validated_data.get("q", ""),
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of the work list; the applicants on it are logged as read."""
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - always paginated
        log_reads(
            user=acting_user(request),
            party_ids=(case.party_id for case in page),
            action=AccessAction.LISTED_CASES,
            purpose=Purpose.CASEWORK,
            via=Via.API,
            at=timezone.now(),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ServiceTargetReportView(APIView):
    """The servicemål report for a period of decisions, optionally for one unit."""

    @extend_schema(
        tags=["cases"],
        parameters=[ReportFilterSerializer],
        responses={200: ServiceTargetReportSerializer},
    )
    def get(self, request: Request) -> Response:
        filters = ReportFilterSerializer(data=query_of(request))
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        report = servicemal_report(
            scope=request_scope(request),
            decided_from=data["decided_from"],
            decided_to=data["decided_to"],
            today=timezone.localdate(),
            unit_id=data.get("unit"),
        )
        return Response(ServiceTargetReportSerializer(report).data)
