from django.urls import URLPattern, URLResolver, path

from indgang.letters.api.views import TemplateListView, TemplateVersionCreateView

urlpatterns: list[URLPattern | URLResolver] = [
    path("letter-templates/", TemplateListView.as_view(), name="api-letter-template-list"),
    path(
        "letter-templates/<slug:kind>/versions/",
        TemplateVersionCreateView.as_view(),
        name="api-letter-template-version-create",
    ),
]
