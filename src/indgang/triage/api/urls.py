from django.urls import URLPattern, URLResolver, path

from indgang.triage.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("triage/suggest/", views.SuggestView.as_view(), name="triage-suggest"),
    path(
        "contacts/<id:contact_id>/routing/",
        views.ContactRoutingView.as_view(),
        name="contact-routing",
    ),
]
