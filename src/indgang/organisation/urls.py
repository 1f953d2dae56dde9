from django.urls import URLPattern, URLResolver, path

from indgang.organisation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("organisation/staff/", views.staff_list, name="staff-list"),
    path("organisation/staff/<int:user_id>/", views.staff_detail, name="staff-detail"),
    path("organisation/staff/<int:user_id>/roles/", views.add_role, name="staff-add-role"),
    path(
        "organisation/staff/<int:user_id>/roles/<int:assignment_id>/remove/",
        views.remove_role_view,
        name="staff-remove-role",
    ),
    path("organisation/staff/<int:user_id>/active/", views.set_active, name="staff-set-active"),
]
