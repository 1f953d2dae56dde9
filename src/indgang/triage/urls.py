from django.urls import URLPattern, URLResolver, path

from indgang.triage import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("triage/", views.queue, name="triage-queue"),
    path("triage/<id:item_id>/route/", views.route_queue_item, name="triage-route"),
    path("triage/suggestions/", views.front_desk_suggestions, name="triage-suggestions"),
]
