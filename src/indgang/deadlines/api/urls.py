from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from indgang.deadlines.api.views import DeadlineViewSet, NotificationListView

router = SimpleRouter()
router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", NotificationListView.as_view(), name="notification-list"),
    *router.urls,
]
