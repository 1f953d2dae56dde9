from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from indgang.bookings.api.queue_views import CentreViewSet, VisitViewSet
from indgang.bookings.api.views import BookingViewSet

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")
router.register("queue/centres", CentreViewSet, basename="queue-centre")
router.register("queue/visits", VisitViewSet, basename="queue-visit")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
