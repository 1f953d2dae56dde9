from django.urls import URLPattern, URLResolver, path

from indgang.journal.api.views import ThreadJournalView

urlpatterns: list[URLPattern | URLResolver] = [
    path("threads/<id:thread_id>/journal/", ThreadJournalView.as_view(), name="thread-journal"),
]
