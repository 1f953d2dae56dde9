"""Background work for triage: retrain after routings, route contacts that came without a task."""

from __future__ import annotations

from django.utils import timezone

from indgang.common.tasks import task


@task(name="triage.retrain")
def retrain() -> None:
    """Learn the routings since the newest model version (nothing to do: no new version)."""
    from indgang.triage.services import train_model  # services enqueue this task

    train_model(now=timezone.now())


@task(name="triage.route_contact")
def route_contact(*, contact_id: int) -> None:
    """Triage one contact: routed automatically when confident, else queued. Idempotent."""
    from indgang.contacts.models import Contact
    from indgang.triage.services import triage_contact

    contact = Contact.objects.select_related("party").filter(pk=contact_id).first()
    if contact is not None:
        triage_contact(contact=contact, now=timezone.now())
