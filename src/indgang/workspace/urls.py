from django.urls import path

from indgang.workspace import views

urlpatterns = [
    path("", views.start, name="start"),
    path("front-desk/", views.front_desk, name="front-desk"),
    path("parties/lookup/", views.party_lookup, name="party-lookup"),
    path("contacts/<id:contact_id>/", views.contact_detail, name="contact-detail"),
    path("contacts/<id:contact_id>/edit/", views.edit_contact_view, name="contact-edit"),
    path("contacts/<id:contact_id>/notes/", views.add_note_view, name="contact-add-note"),
    path("contacts/<id:contact_id>/attach/", views.attach_document_view, name="contact-attach"),
    path("contacts/<id:contact_id>/reroute/", views.reroute_view, name="contact-reroute"),
    path("contacts/<id:contact_id>/cases/", views.link_case_view, name="contact-link-case"),
]
