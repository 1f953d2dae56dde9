from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from indgang.audit.models import AccessLogEntry
from indgang.cases.constants import CasePartyRole
from indgang.cases.models import Case
from indgang.contacts.api.serializers import ContactSerializer, represent_datetime
from indgang.overview.selectors import PartyHit, PartyOverview, ThreadView
from indgang.parties.api.serializers import PartySerializer
from indgang.parties.constants import Match
from indgang.parties.selectors import SEARCH_LIMIT


class ThreadViewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="thread.id")
    subject = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="thread.created_at")
    last_contact_at = serializers.DateTimeField(source="thread.last_contact_at")
    contacts = ContactSerializer(many=True)

    def get_subject(self, view: ThreadView) -> str | None:
        return view.thread.subject if view.subject_visible else None

    def to_representation(self, instance: ThreadView) -> dict[str, Any]:
        """The declared fields' values, built directly (as ContactSerializer does)."""
        if self._contacts is None:
            self._contacts = ContactSerializer(context=self.context)
        thread, zone = instance.thread, self._contacts.zone()
        return {
            "id": int(thread.id),
            "subject": self.get_subject(instance),
            "created_at": represent_datetime(thread.created_at, zone),
            "last_contact_at": represent_datetime(thread.last_contact_at, zone),
            "contacts": [self._contacts.to_representation(c) for c in instance.contacts],
        }

    _contacts: ContactSerializer | None = None


class PartyCaseSerializer(serializers.ModelSerializer[Case]):
    """A case in the party's 360: what it is, where it stands and the party's role on it."""

    role = serializers.ChoiceField(
        source="party_role",
        choices=CasePartyRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="The party's role on the case; empty for the applicant.",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "kind",
            "area",
            "state",
            "service_need_type",
            "decision",
            "department",
            "unit",
            "received_at",
            "decided_at",
            "role",
        ]
        read_only_fields = fields


class PartyOverviewSerializer(serializers.Serializer[Any]):
    party = PartySerializer()
    contact_count = serializers.IntegerField()
    channel_counts = serializers.DictField(child=serializers.IntegerField())
    truncated = serializers.BooleanField(
        help_text=(
            "True when the party has more contacts you may see than the newest 50 shown here: "
            "GET /api/v1/contacts/?party={id} pages through them all."
        )
    )
    threads = ThreadViewSerializer(many=True)
    cases = PartyCaseSerializer(many=True)

    def to_representation(self, instance: PartyOverview) -> dict[str, Any]:
        """The declared fields' values, built directly: a busy citizen's 360 has hundreds of
        contacts, and the generic path spent most of the request in DRF's field machinery.
        """
        threads = ThreadViewSerializer(context=self.context)
        cases = PartyCaseSerializer(context=self.context)
        return {
            "party": PartySerializer(context=self.context).to_representation(instance.party),
            "contact_count": int(instance.contact_count),
            "channel_counts": {
                str(channel): None if count is None else int(count)
                for channel, count in instance.channel_counts.items()
            },
            "truncated": bool(instance.truncated),
            "threads": [threads.to_representation(view) for view in instance.threads],
            "cases": [cases.to_representation(case) for case in instance.cases],
        }


class AccessLogEntrySerializer(serializers.ModelSerializer[AccessLogEntry]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = AccessLogEntry
        fields = ["id", "at", "user", "action", "purpose", "via", "detail"]
        read_only_fields = fields


class PartyHitSerializer(PartySerializer):
    """A party found: why (`match`, best first) and whether its 360 opens to the caller now."""

    match = serializers.ChoiceField(
        choices=[match.name.lower() for match in Match],
        read_only=True,
        help_text="number: full CPR or CVR; contact_detail: exact phone or e-mail; "
        "name_prefix: the name starts with the words; contains: every word starts a word of "
        "the name, address, e-mail, phone or CVR number.",
    )
    may_open = serializers.BooleanField(
        read_only=True,
        help_text="Whether `/parties/{id}/overview/` answers the caller: their departments "
        "dealt with the party, or they looked it up by full number within the hour.",
    )

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "match", "may_open"]
        read_only_fields = fields


def represent_hits(hits: Sequence[PartyHit]) -> list[dict[str, Any]]:
    """The hits as PartyHitSerializer documents them."""
    return [
        {
            **PartySerializer(hit.party).data,
            "match": hit.match.name.lower(),
            "may_open": hit.may_open,
        }
        for hit in hits
    ]


@extend_schema_serializer(many=False)  # one object, though the look-up is the list action
class PartyLookupResultSerializer(serializers.Serializer[Any]):
    """What a look-up answers: the party found, or none; a search (`q`) the best few."""

    count = serializers.IntegerField(min_value=0, max_value=SEARCH_LIMIT)
    results = PartyHitSerializer(many=True)
