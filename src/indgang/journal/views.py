from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from rest_framework.request import Request

from indgang.audit.constants import Via
from indgang.common.forms import add_refusal
from indgang.common.subjects import get_subject_for
from indgang.journal.forms import DocumentForm
from indgang.journal.models import Document
from indgang.journal.selectors import read_journal
from indgang.journal.services import open_document
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


@staff_view
def thread_documents(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The thread's journal number and KLE topic, and the documents received and sent."""
    try:
        thread = get_subject_for(scope=request_scope(request), name="thread", pk=thread_id)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            form.upload_to(thread, by=acting_user(request), now=timezone.now())
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The document is listed on the thread."))
            return redirect("thread-documents", thread_id=thread.pk)
    journal = read_journal(
        user=acting_user(request), subject=thread, via=Via.UI, now=timezone.now()
    )
    return render(
        request,
        "journal/thread_documents.html",
        {
            "thread": thread,
            "entry": journal.entry,
            "documents": journal.documents,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@staff_view
def document_content(request: HttpRequest, document_id: int) -> StreamingHttpResponse:
    """A document's file, for staff who may read its thread; the read is logged."""
    try:
        return download(request, document_id=document_id, via=Via.UI)
    except Document.DoesNotExist as error:
        raise Http404 from error


def download(
    request: HttpRequest | Request, *, document_id: int, via: Via
) -> StreamingHttpResponse:
    """The file as a download, never shown in the browser, never cached, as the type its
    content showed on upload; Document.DoesNotExist for a user who may not read its thread."""
    opened = open_document(
        scope=request_scope(request),
        user=acting_user(request),
        document_id=document_id,
        via=via,
        now=timezone.now(),
    )
    document = opened.document
    response = StreamingHttpResponse(opened.content, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = (
        content_disposition_header(True, document.filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
