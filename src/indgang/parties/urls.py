from django.urls import path

from indgang.parties import views

urlpatterns = [path("parties/lookup/", views.party_lookup, name="party-lookup")]
