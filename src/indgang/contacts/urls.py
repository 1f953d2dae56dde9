from django.urls import path

from indgang.contacts import views

urlpatterns = [
    path("front-desk/", views.front_desk, name="front-desk"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/export/", views.contact_export, name="contact-export"),
    path("parties/lookup/", views.party_lookup, name="party-lookup"),
]
