from django.urls import path

from indgang.contacts import views

# The front desk and the contact page are workspace's (they compose triage, knowledge and cases).
urlpatterns = [
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/export/", views.contact_export, name="contact-export"),
]
