from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "indgang.contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from indgang.common.subjects import register_subject
        from indgang.contacts.models import Contact, Thread
        from indgang.contacts.subjects import ContactSubject, ThreadSubject

        register_subject(name="contact", model=Contact, subject_type=ContactSubject())
        register_subject(name="thread", model=Thread, subject_type=ThreadSubject())
