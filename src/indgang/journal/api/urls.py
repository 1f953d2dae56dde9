from django.urls import URLPattern, URLResolver, path

from indgang.journal.api.views import DocumentContentView, ThreadJournalView

urlpatterns: list[URLPattern | URLResolver] = [
    path("threads/<id:thread_id>/journal/", ThreadJournalView.as_view(), name="thread-journal"),
    path(
        "documents/<id:document_id>/content/",
        DocumentContentView.as_view(),
        name="api-document-content",
    ),
]
