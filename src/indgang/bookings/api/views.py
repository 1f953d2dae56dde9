from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from indgang.bookings.api.serializers import (
    BookingCreateSerializer,
    BookingSerializer,
    FreeSlotFilterSerializer,
    MeetingNoteSerializer,
    MeetingSummarySerializer,
    RebookSerializer,
    SlotSerializer,
)
from indgang.bookings.constants import MeetingType
from indgang.bookings.models import Booking, Slot
from indgang.bookings.selectors import (
    get_booking_for,
    get_slot_for,
    list_free_slots,
    visible_bookings,
)
from indgang.bookings.services import (
    book_meeting,
    book_slot,
    cancel_booking,
    party_to_book,
    rebook,
    record_confirmation_call,
    record_meeting_summary,
    register_material_arrival,
)
from indgang.catalogue.models import Task
from indgang.catalogue.selectors import list_tasks
from indgang.common.api import query_of
from indgang.common.inputs import IdConverter
from indgang.common.workdays import COPENHAGEN, day_range
from indgang.organisation.requests import acting_user, request_scope

TAKEN = OpenApiResponse(description="Someone else holds the slot, or the booking is cancelled.")


def _valid(serializer_class: type[Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _task(task_id: int | None) -> Task | None:
    if task_id is None:
        return None
    task = list_tasks().filter(pk=task_id).first()
    if task is None:
        raise ValidationError({"task": [_("There is no task %(id)s.") % {"id": task_id}]})
    return task


def _slot(request: Request, slot_id: int) -> Slot:
    try:
        return get_slot_for(scope=request_scope(request), slot_id=slot_id)
    except Slot.DoesNotExist:
        raise ValidationError({"slot": [_("There is no slot %(id)s.") % {"id": slot_id}]}) from None


@extend_schema(tags=["bookings"])
class BookingViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Booking]):
    """Bookings of slots the units publish; the database decides who gets a slot."""

    serializer_class = BookingSerializer
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Booking.objects.none()
        return visible_bookings(scope=request_scope(self.request)).prefetch_related("slot__staff")

    @extend_schema(parameters=[FreeSlotFilterSerializer], responses=SlotSerializer(many=True))
    # Bounded by the period asked for (at most 92 days), so not paginated.
    @action(detail=False, methods=["get"], url_path="free-slots", pagination_class=None)
    def free_slots(self, request: Request) -> Response:
        """A unit's free slots starting on the days asked for (at most 92), earliest first."""
        data = _valid(FreeSlotFilterSerializer, query_of(request))
        starts_from, starts_before = day_range(data["first"], data["last"], zone=COPENHAGEN)
        slots = list_free_slots(
            scope=request_scope(request),
            unit_id=data["unit"],
            starts_from=starts_from,
            starts_before=starts_before,
            meeting_type=data.get("meeting_type"),
        )
        return Response(SlotSerializer(slots, many=True).data)

    @extend_schema(request=BookingCreateSerializer, responses={201: BookingSerializer, 409: TAKEN})
    def create(self, request: Request) -> Response:
        """Book a free slot for a citizen or company. A pre-application meeting is about a task
        (the slot's, else `task`); its receipt letter with the task's checklist follows."""
        data = _valid(BookingCreateSerializer, request.data)
        slot = _slot(request, data["slot"])
        party = party_to_book(
            party_id=data.get("party"),
            cpr=data.get("cpr"),
            cvr=data.get("cvr"),
            name=data.get("name", ""),
        )
        if slot.meeting_type == MeetingType.PRE_APPLICATION:
            booking = book_meeting(
                slot=slot,
                party=party,
                task=_task(data.get("task")),
                booked_by=acting_user(request),
                now=timezone.now(),
            )
        else:
            booking = book_slot(
                slot=slot, party=party, booked_by=acting_user(request), now=timezone.now()
            )
        return Response(self._shown(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel the booking; its slot is free again and the booking stays as history."""
        booking = cancel_booking(
            booking=self._booking(), cancelled_by=acting_user(request), now=timezone.now()
        )
        return Response(self._shown(booking).data)

    @extend_schema(request=RebookSerializer, responses={201: BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"])
    def rebook(self, request: Request, pk: str) -> Response:
        """Move the booking to another free slot: both or neither."""
        data = _valid(RebookSerializer, request.data)
        booking = rebook(
            booking=self._booking(),
            slot=_slot(request, data["slot"]),
            rebooked_by=acting_user(request),
            now=timezone.now(),
        )
        return Response(self._shown(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingNoteSerializer, responses={200: BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"], url_path="material")
    def material(self, request: Request, pk: str) -> Response:
        """The applicant's material for the pre-application meeting has arrived: the
        caseworker's confirmation call starts, with its deadline in working days."""
        data = _valid(MeetingNoteSerializer, request.data)
        booking = register_material_arrival(
            booking=self._booking(),
            note=data.get("note", ""),
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(self._shown(booking).data)

    @extend_schema(request=MeetingNoteSerializer, responses={200: BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"], url_path="confirmation-call")
    def confirmation_call(self, request: Request, pk: str) -> Response:
        """The call that confirmed the case's content was made; its deadline stops."""
        data = _valid(MeetingNoteSerializer, request.data)
        booking = record_confirmation_call(
            booking=self._booking(),
            note=data.get("note", ""),
            by=acting_user(request),
            now=timezone.now(),
        )
        return Response(self._shown(booking).data)

    @extend_schema(request=MeetingSummarySerializer, responses={200: BookingSerializer, 409: TAKEN})
    @action(detail=True, methods=["post"])
    def summary(self, request: Request, pk: str) -> Response:
        """The meeting summary (møderesume): stored on the booking and sent to the applicant
        as a letter."""
        data = _valid(MeetingSummarySerializer, request.data)
        booking = self._booking()
        record_meeting_summary(
            booking=booking, summary=data["summary"], by=acting_user(request), now=timezone.now()
        )
        return Response(
            self._shown(get_booking_for(scope=request_scope(request), booking_id=booking.pk)).data
        )

    def _booking(self) -> Booking:
        return get_booking_for(scope=request_scope(self.request), booking_id=int(self.kwargs["pk"]))

    def _shown(self, booking: Booking) -> BookingSerializer:
        # As the service returned it: who books another department's slot need not see it after.
        return BookingSerializer(booking)
