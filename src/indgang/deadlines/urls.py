from django.urls import URLPattern, URLResolver, path

from indgang.deadlines import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("deadlines/", views.my_deadlines, name="my-deadlines"),
    path("deadlines/notifications/read/", views.read_notifications, name="read-notifications"),
    path("deadlines/overdue/", views.overdue, name="overdue-deadlines"),
    path("deadlines/<id:deadline_id>/", views.deadline_detail, name="deadline-detail"),
    path(
        "contacts/<id:contact_id>/deadlines/",
        views.start_contact_deadline,
        name="start-contact-deadline",
    ),
    path(
        "deadlines/<id:deadline_id>/<slug:verb>/",
        views.deadline_action,
        name="deadline-action",
    ),
]
