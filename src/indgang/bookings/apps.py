from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "indgang.bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from indgang.bookings.models import Booking
        from indgang.bookings.subjects import BookingSubject
        from indgang.common.subjects import register_subject

        register_subject(name="booking", model=Booking, subject_type=BookingSubject())
