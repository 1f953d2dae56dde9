from django.urls import URLPattern, URLResolver, path

from indgang.bookings import views

app_name = "bookings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("bookings/<id:booking_id>/calendar.ics", views.booking_calendar, name="calendar"),
]
