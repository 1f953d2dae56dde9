from django.urls import URLPattern, URLResolver, path

from indgang.journal.api.views import DocumentContentView, ThreadJournalView

urlpatterns: list[URLPattern | URLResolver] = [
    path("threads/<int:thread_id>/journal/", ThreadJournalView.as_view(), name="thread-journal"),
    path(
        "documents/<int:document_id>/content/",
        DocumentContentView.as_view(),
        name="api-document-content",
    ),
]
