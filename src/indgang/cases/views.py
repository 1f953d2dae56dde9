"""The caseworker's case screen: read through the cases selector, act through its services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access
from indgang.bookings.models import Booking
from indgang.bookings.selectors import get_meeting_for
from indgang.cases import services
from indgang.cases.constants import (
    CaseKind,
    CasePartyRole,
    HearingKind,
    NoticeMethod,
    ServiceNeedType,
)
from indgang.cases.forms import (
    ApplicationFromMeetingForm,
    CaseActionForm,
    CaseDocumentForm,
    CasePartyForm,
    CaseworkersForm,
    ChecklistForm,
    ContactLinkForm,
    DeficiencyAnswerForm,
    DeficiencyLetterForm,
    HearingForm,
    HearingReplyForm,
    IndskaerpelseForm,
    IndskaerpelseStepForm,
    NoteForm,
    RemovePartyForm,
    ServiceNeedForm,
    WaiverForm,
)
from indgang.cases.lifecycle import DECIDING
from indgang.cases.models import Case, Indskaerpelse, ServiceTargetCategory
from indgang.cases.selectors import (
    get_case_document_for,
    get_case_letter_for,
    get_case_screen,
)
from indgang.journal.models import Document
from indgang.journal.views import download
from indgang.letters.models import Letter
from indgang.letters.selectors import read_letter_pdf
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


@staff_view
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case at a glance; reading it logs the applicant's personal data as read."""
    try:
        screen = get_case_screen(
            scope=request_scope(request), case_id=case_id, today=timezone.localdate()
        )
    except Case.DoesNotExist as error:
        raise Http404 from error
    log_access(
        user=acting_user(request),
        party_id=screen.case.party_id,
        action=AccessAction.VIEWED_CASE,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
        subject=screen.case,
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "screen": screen,
            "case": screen.case,
            "deciding": DECIDING,
            "own_service": services.OWN_SERVICE if screen.case.kind == CaseKind.APPLICATION else {},
            "service_need_types": ServiceNeedType.choices,
            "hearing_kinds": HearingKind.choices,
            "notice_methods": NoticeMethod.choices,
            "party_roles": CasePartyRole.choices,
            "today": timezone.localdate(),
        },
    )


Step = Callable[[dict[str, Any]], object]


def _actor(request: HttpRequest) -> dict[str, Any]:
    """Who acts, with what scope, and when: every service's last three arguments."""
    return {"by": acting_user(request), "scope": request_scope(request), "now": timezone.now()}


def _refused(request: HttpRequest, name: str, errors: Mapping[str, Iterable[object]]) -> None:
    """Show each message; one about a field is tagged so the screen also shows it by the field."""
    for field, texts in errors.items():
        for text in texts:
            messages.error(request, str(text), extra_tags=f"for-{name}-{field}")


def _submit(
    request: HttpRequest,
    case_id: int,
    form: forms.Form,
    name: str,
    step: Step,
    *,
    goto: Callable[[Any], int] | None = None,
) -> HttpResponse:
    """Validate the form `name` and take the step through its service; a refusal shows its
    Danish message(s) on the case screen, by the field they are about, and the service has
    changed nothing. `goto` names the case to show next (else this one)."""
    if not form.is_valid():
        _refused(request, name, form.errors)
        return redirect("cases:detail", case_id=case_id)
    try:
        result = step(form.cleaned_data)
    except (Case.DoesNotExist, Indskaerpelse.DoesNotExist) as error:
        raise Http404 from error
    except ValidationError as error:
        _refused(
            request,
            name,
            error.message_dict if hasattr(error, "error_dict") else {"": error.messages},
        )
        return redirect("cases:detail", case_id=case_id)
    messages.success(request, _("Saved."))
    return redirect("cases:detail", case_id=goto(result) if goto else case_id)


@staff_view
@require_POST
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """Take one step of the state machine from the case screen."""
    return _submit(
        request,
        case_id,
        CaseActionForm(request.POST),
        "action",
        lambda data: services.take_action(
            case_id=case_id,
            action=data["action"],
            note=data["note"],
            outcome=data["decision"],
            conditions=data["conditions"],
            inspection=services.InspectionStep(
                notice_method=data["notice_method"],
                agenda=data["agenda"],
                staff_ids=tuple(data["staff_present"]),
                findings=tuple(data["findings"].splitlines()),
                next_steps=data["next_steps"],
            ),
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def change_service_need(request: HttpRequest, case_id: int) -> HttpResponse:
    """Change the case's service-need type, with the reason."""
    return _submit(
        request,
        case_id,
        ServiceNeedForm(request.POST),
        "type",
        lambda data: services.change_service_need_type(
            case_id=case_id,
            to_type=data["service_need_type"],
            reason=data["reason"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def tick_checklist(request: HttpRequest, case_id: int) -> HttpResponse:
    """Tick a checklist item done, or untick it."""
    return _submit(
        request,
        case_id,
        ChecklistForm(request.POST),
        "checklist",
        lambda data: services.tick_checklist_item(
            case_id=case_id, item_id=data["item"], done=data["done"], **_actor(request)
        ),
    )


@staff_view
@require_POST
def deficiency_letter(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send the deficiency letter: the missing items, one a line, and the reply-by date."""
    return _submit(
        request,
        case_id,
        DeficiencyLetterForm(request.POST),
        "deficiency",
        lambda data: services.send_deficiency_letter(
            case_id=case_id,
            items=data["items"],
            reply_by=data["reply_by"],
            note=data["note"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def deficiency_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Register the applicant's answer and which missing items it covers."""
    return _submit(
        request,
        case_id,
        DeficiencyAnswerForm(request.POST),
        "answer",
        lambda data: services.receive_deficiency_answer(
            case_id=case_id,
            answered=dict.fromkeys(data["answered"], ""),
            note=data["note"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def deficiency_waiver(request: HttpRequest, case_id: int) -> HttpResponse:
    """Let the case go on without a missing item, with the reason."""
    return _submit(
        request,
        case_id,
        WaiverForm(request.POST),
        "waiver",
        lambda data: services.waive_deficiency_item(
            case_id=case_id, item_id=data["item"], reason=data["reason"], **_actor(request)
        ),
    )


@staff_view
@require_POST
def hearing(request: HttpRequest, case_id: int) -> HttpResponse:
    """Start a partshøring or nabohøring of the parties chosen."""
    return _submit(
        request,
        case_id,
        HearingForm(request.POST),
        "hearing",
        lambda data: services.start_hearing(
            case_id=case_id,
            kind=data["kind"],
            reply_by=data["reply_by"],
            party_ids=data["parties"],
            note=data["note"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def hearing_reply(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a heard party's reply: whether it objects, and its summary."""
    return _submit(
        request,
        case_id,
        HearingReplyForm(request.POST),
        "reply",
        lambda data: services.record_hearing_reply(
            case_id=case_id,
            hearing_id=data["hearing"],
            party_id=data["party"],
            received_at=data["received_at"],
            objects_to=data["objects_to"],
            summary=data["summary"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def give_indskaerpelse(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give an indskærpelse at the inspection: cause, requirement and deadline."""
    return _submit(
        request,
        case_id,
        IndskaerpelseForm(request.POST),
        "indskaerpelse",
        lambda data: services.give_indskaerpelse(
            case_id=case_id,
            cause=data["cause"],
            requirement=data["requirement"],
            deadline=data["deadline"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def indskaerpelse_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """Mark an indskærpelse remedied, follow it up, or start an enforcement case from it (then
    show the new case)."""

    def take(data: dict[str, Any]) -> object:
        given = {"case_id": case_id, "indskaerpelse_id": data["indskaerpelse"], **_actor(request)}
        if step == "follow-up":
            return services.follow_up_indskaerpelse(note=data["note"], **given)
        if step == "remedied":
            return services.mark_remedied(**given)
        return services.start_enforcement(**given)

    return _submit(
        request,
        case_id,
        IndskaerpelseStepForm(request.POST),
        step,
        take,
        goto=(lambda case: int(case.pk)) if step == "enforcement" else None,
    )


@staff_view
def letter_pdf(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """A letter of the case as a PDF download, for staff who may see the case; the read of the
    recipient's data is logged."""
    try:
        case, letter = get_case_letter_for(
            scope=request_scope(request), case_id=case_id, letter_id=letter_id
        )
    except (Case.DoesNotExist, Letter.DoesNotExist) as error:
        raise Http404 from error
    content = read_letter_pdf(letter=letter)
    log_access(
        user=acting_user(request),
        party_id=letter.recipient_id,
        action=AccessAction.OPENED_DOCUMENT,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
        detail=f"letter={letter.pk}",
        subject=case,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{letter.title[:80] or letter.pk}.pdf") or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_POST
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    """Write a note on the case's timeline."""
    return _submit(
        request,
        case_id,
        NoteForm(request.POST),
        "note",
        lambda data: services.add_case_note(case_id=case_id, text=data["text"], **_actor(request)),
    )


@staff_view
@require_POST
def document(request: HttpRequest, case_id: int) -> HttpResponse:
    """List a document received on the case, with its file."""
    return _submit(
        request,
        case_id,
        CaseDocumentForm(request.POST, request.FILES),
        "document",
        lambda data: services.add_case_document(
            case_id=case_id,
            title=data["title"],
            dated=data["dated"],
            file=data["file"],
            **_actor(request),
        ),
    )


@staff_view
def document_content(request: HttpRequest, case_id: int, document_id: int) -> StreamingHttpResponse:
    """A document of the case as a download, for staff who may see the case; the read is
    logged against the case and its applicant."""
    try:
        get_case_document_for(
            scope=request_scope(request), case_id=case_id, document_id=document_id
        )
        return download(request, document_id=document_id, via=Via.UI)
    except (Case.DoesNotExist, Document.DoesNotExist) as error:
        raise Http404 from error


@staff_view
@require_POST
def party(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give a citizen or company, by CPR or CVR number, a role on the case."""
    return _submit(
        request,
        case_id,
        CasePartyForm(request.POST),
        "party",
        lambda data: services.add_case_party_by_number(
            case_id=case_id,
            role=data["role"],
            cpr=data["cpr"],
            cvr=data["cvr"],
            name=data["name"],
            **_actor(request),
        ),
    )


@staff_view
@require_POST
def remove_party(request: HttpRequest, case_id: int) -> HttpResponse:
    """Take a party's role on the case away."""
    return _submit(
        request,
        case_id,
        RemovePartyForm(request.POST),
        "remove-party",
        lambda data: services.remove_case_party(
            case_id=case_id, case_party_id=data["case_party"], **_actor(request)
        ),
    )


@staff_view
@require_POST
def contact(request: HttpRequest, case_id: int) -> HttpResponse:
    """Link a contact, by its number, to the case."""
    return _submit(
        request,
        case_id,
        ContactLinkForm(request.POST),
        "contact",
        lambda data: services.link_contact(
            case_id=case_id, contact_id=data["contact"], **_actor(request)
        ),
    )


@staff_view
@require_POST
def caseworkers(request: HttpRequest, case_id: int) -> HttpResponse:
    """Name the case's caseworkers among the department's staff."""
    return _submit(
        request,
        case_id,
        CaseworkersForm(request.POST),
        "caseworkers",
        lambda data: services.assign_caseworkers(
            case_id=case_id, user_ids=data["caseworkers"], **_actor(request)
        ),
    )


@staff_view
@require_POST
def take(request: HttpRequest, case_id: int) -> HttpResponse:
    """ "Tag sagen": become the caseworker of a case that has none."""
    return _submit(
        request,
        case_id,
        forms.Form(request.POST),
        "take",
        lambda data: services.take_case(case_id=case_id, **_actor(request)),
    )


@staff_view
def application_from_meeting(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Register the application a pre-application meeting led to, linked to the meeting: its
    applicant and unit are the meeting's; the servicemål report counts it as with a meeting."""
    scope = request_scope(request)
    try:
        meeting = get_meeting_for(scope=scope, booking_id=booking_id)
    except Booking.DoesNotExist as error:
        raise Http404 from error
    form = ApplicationFromMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        category = ServiceTargetCategory.objects.filter(code=form.cleaned_data["category"]).first()
        try:
            case = services.receive_application(
                new=services.NewApplication(
                    area=category.area if category else "",
                    property_address=form.cleaned_data["property_address"],
                    unit=meeting.slot.unit,
                    category_code=form.cleaned_data["category"],
                    received_at=timezone.now(),
                    meeting_id=meeting.pk,
                ),
                received_by=acting_user(request),
                scope=scope,
                now=timezone.now(),
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The application is registered, linked to the meeting."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/application_from_meeting.html",
        {
            "meeting": meeting,
            "categories": ServiceTargetCategory.objects.filter(active=True).order_by(
                "area", "name"
            ),
            "form": form,
        },
    )
