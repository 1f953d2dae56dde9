from django.urls import URLPattern, URLResolver, path

from indgang.bookings import views

app_name = "bookings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("bookings/<id:booking_id>/calendar.ics", views.booking_calendar, name="calendar"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/book/", views.book, name="book"),
    path("meetings/<id:booking_id>/", views.meeting, name="meeting"),
    path("meetings/<id:booking_id>/material/", views.material, name="material"),
    path("meetings/<id:booking_id>/call/", views.confirmation_call, name="call"),
    path("meetings/<id:booking_id>/summary/", views.summary, name="summary"),
    path("meetings/<id:booking_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<id:booking_id>/rebook/", views.rebook, name="rebook"),
    path(
        "meetings/<id:booking_id>/letters/<id:letter_id>/pdf/",
        views.letter_pdf,
        name="letter-pdf",
    ),
]
