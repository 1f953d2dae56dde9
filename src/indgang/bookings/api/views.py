from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from indgang.audit.api.serializers import PurposeSerializer, purpose_of
from indgang.audit.constants import Via
from indgang.bookings.api.serializers import (
    BookingCreateSerializer,
    BookingSerializer,
    FreeSlotFilterSerializer,
    MeetingNoteSerializer,
    MeetingSummarySerializer,
    RebookSerializer,
    SlotSerializer,
)
from indgang.bookings.calendar import CONTENT_TYPE
from indgang.bookings.constants import MeetingType
from indgang.bookings.models import Booking, Slot
from indgang.bookings.selectors import (
    get_booking_for,
    get_slot_for,
    list_free_slots,
    log_bookings_listed,
    read_booking,
    visible_bookings,
    with_staff_ids,
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
from indgang.bookings.views import calendar_response
from indgang.catalogue.models import Task
from indgang.catalogue.selectors import list_tasks
from indgang.common.api import NewestFirstPagination, query_of
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


NOT_FOUND = OpenApiResponse(description="No such booking, or you may not see it.")


class NewestBookedFirst(NewestFirstPagination):
    ordering = ("-booked_at", "-id")


@extend_schema(tags=["bookings"])
class BookingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Booking]
):
    """Bookings of slots the units publish; the database decides who gets a slot. List,
    detail and calendar file read through one path, and each read is written to the access
    log."""

    serializer_class = BookingSerializer
    pagination_class = NewestBookedFirst
    lookup_value_regex = IdConverter.regex

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Booking.objects.none()
        return visible_bookings(scope=request_scope(self.request), user=acting_user(self.request))

    @extend_schema(parameters=[PurposeSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Bookings you may see, newest first; each party on the page is logged as read."""
        purpose = purpose_of(request)  # refuse a bad purpose before reading
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - always paginated
        with_staff_ids([booking.slot for booking in page])
        log_bookings_listed(
            user=acting_user(request),
            bookings=page,
            purpose=purpose,
            via=Via.API,
            now=timezone.now(),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[PurposeSerializer], responses={200: BookingSerializer, 404: NOT_FOUND}
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One booking; the read is written to the access log."""
        return Response(BookingSerializer(self._read(request)).data)

    @extend_schema(
        parameters=[PurposeSerializer],
        responses={
            (200, CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The booking as an iCalendar file: the invitation, or the "
                "cancellation once cancelled (same UID, higher SEQUENCE).",
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"])
    def ics(self, request: Request, pk: str) -> HttpResponse:
        """The booking's calendar file; the read is written to the access log."""
        return calendar_response(self._read(request, detail="calendar file"))

    def _read(self, request: Request, detail: str = "") -> Booking:
        purpose = purpose_of(request)
        return read_booking(
            scope=request_scope(request),
            user=acting_user(request),
            booking_id=int(self.kwargs["pk"]),
            purpose=purpose,
            via=Via.API,
            now=timezone.now(),
            detail=detail,
        )

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
        return get_booking_for(
            scope=request_scope(self.request),
            user=acting_user(self.request),
            booking_id=int(self.kwargs["pk"]),
        )

    def _shown(self, booking: Booking) -> BookingSerializer:
        # As the service returned it: who books another department's slot need not see it after.
        return BookingSerializer(booking)
