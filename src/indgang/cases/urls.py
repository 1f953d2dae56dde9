from django.urls import path

from indgang.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/<id:case_id>/", views.case_detail, name="detail"),
    path("cases/<id:case_id>/actions/", views.case_action, name="action"),
    path("cases/<id:case_id>/service-need/", views.change_service_need, name="service-need"),
]
