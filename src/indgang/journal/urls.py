from django.urls import URLPattern, URLResolver, path

from indgang.journal import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("threads/<id:thread_id>/documents/", views.thread_documents, name="thread-documents"),
    path("documents/<id:document_id>/content/", views.document_content, name="document-content"),
]
