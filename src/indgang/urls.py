from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from indgang.cases.api.views import CaseViewSet
from indgang.catalogue.api.views import KleTopicViewSet, TaskViewSet
from indgang.common.inputs import IdConverter
from indgang.common.views import health
from indgang.contacts.api.views import ContactViewSet
from indgang.overview.api.views import PartyViewSet

# `<id:…>` in every app's URLs; registered before their modules are included below.
register_converter(IdConverter, "id")

admin.site.site_header = admin.site.site_title = _("Indgang administration")

router = DefaultRouter()
router.register("contacts", ContactViewSet, basename="contact")
router.register("catalogue/tasks", TaskViewSet, basename="task")
router.register("kle/topics", KleTopicViewSet, basename="kle-topic")
router.register("parties", PartyViewSet, basename="party")
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("indgang.knowledge.api.urls")),
    path("api/v1/", include("indgang.search.api.urls")),
    path("api/v1/", include("indgang.triage.api.urls")),
    path("api/v1/", include("indgang.deadlines.api.urls")),
    path("api/v1/", include("indgang.journal.api.urls")),
    path("api/v1/", include("indgang.cases.api.urls")),
    path("api/v1/", include("indgang.letters.api.urls")),
    path("api/v1/", include("indgang.statistics.api.urls")),
    path("api/v1/", include("indgang.bookings.api.urls")),
    # Integrators read the documentation before they have a token.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: the CSP allows no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", permission_classes=[AllowAny], template_name="api_docs.html"
        ),
        name="api-docs",
    ),
    path("health/", health, name="health"),
    path("", include("indgang.signin.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("indgang.workspace.urls")),
    path("", include("indgang.contacts.urls")),
    path("", include("indgang.catalogue.urls")),
    path("", include("indgang.overview.urls")),
    path("", include("indgang.knowledge.urls")),
    path("", include("indgang.search.urls")),
    path("", include("indgang.triage.urls")),
    path("", include("indgang.deadlines.urls")),
    path("", include("indgang.journal.urls")),
    path("", include("indgang.letters.urls")),
    path("", include("indgang.organisation.urls")),
    path("", include("indgang.bookings.urls")),
    path("", include("indgang.cases.urls")),
    path("", include("indgang.statistics.urls")),
    path("", include("indgang.bookings.queue_urls")),
]

# Django's own error answers: JSON under /api/, as DRF's; a page elsewhere (common.views).
handler400 = "indgang.common.views.bad_request"
handler403 = "indgang.common.views.permission_denied"
handler404 = "indgang.common.views.not_found"
handler500 = "indgang.common.views.server_error"
