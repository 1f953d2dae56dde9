from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.audit.constants import Via
from indgang.contacts.models import Thread
from indgang.journal.constants import DocumentDirection
from indgang.journal.forms import DocumentForm
from indgang.journal.selectors import get_thread_for, read_journal
from indgang.journal.services import add_document
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope


@staff_view
def thread_documents(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The thread's journal number and KLE topic, and the documents received and sent."""
    try:
        thread = get_thread_for(scope=request_scope(request), thread_id=thread_id)
    except Thread.DoesNotExist as error:
        raise Http404 from error
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_document(
                thread=thread,
                direction=DocumentDirection(data["direction"]),
                title=data["title"],
                dated=data["dated"],
                file=data["file"],
                by=acting_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The document is listed on the thread."))
            return redirect("thread-documents", thread_id=thread.pk)
    journal = read_journal(user=acting_user(request), thread=thread, via=Via.UI, now=timezone.now())
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
