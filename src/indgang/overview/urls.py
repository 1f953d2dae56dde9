from django.urls import path

from indgang.overview import views

urlpatterns = [
    path("parties/find/", views.party_find, name="party-find"),
    path("parties/caller/", views.caller_lookup, name="caller-lookup"),
    path("parties/<id:party_id>/", views.party_overview, name="party-overview"),
    path("parties/<id:party_id>/access-log/", views.party_access_log, name="party-access-log"),
]
