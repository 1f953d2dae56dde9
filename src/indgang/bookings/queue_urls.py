from django.urls import URLPattern, URLResolver, path

from indgang.bookings import queue_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("koe/", views.centres, name="queue-centres"),
    path("koe/<id:unit_id>/", views.reception, name="queue-reception"),
    path("koe/<id:unit_id>/i-dag/", views.todays_queue, name="queue-today"),
    path("koe/<id:unit_id>/traek/", views.draw, name="queue-draw"),
    path("koe/<id:unit_id>/tjek-ind/<id:booking_id>/", views.check_in, name="queue-check-in"),
    path("koe/<id:unit_id>/skaerm/", views.issue_display, name="queue-issue-display"),
    path("koe/<id:unit_id>/skranke/<id:desk_id>/", views.desk_page, name="queue-desk"),
    path(
        "koe/<id:unit_id>/skranke/<id:desk_id>/venter/",
        views.desk_waiting,
        name="queue-desk-waiting",
    ),
    path(
        "koe/<id:unit_id>/skranke/<id:desk_id>/handling/",
        views.desk_action,
        name="queue-desk-action",
    ),
    path("koe/besoeg/<id:visit_id>/", views.visit_page, name="queue-visit"),
    # The display's secret is in the address: a TV opens it without a login.
    path("koe/skaerm/<str:token>/", views.display, name="queue-display"),
    path("koe/skaerm/<str:token>/tavle/", views.display_board, name="queue-display-board"),
]
