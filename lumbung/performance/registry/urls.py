"""Pages of the staff registry, gathered by lumbung/performance/urls.py under
/<region>/performance/."""

from django.urls import URLPattern, path

from . import views, views_admin

urlpatterns: list[URLPattern] = [
    path("staff/", views.staff, name="staff"),
    path("staff/new/", views.person_new, name="person_new"),
    path("staff/<int:pk>/", views.person, name="person"),
    path("staff/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("staff/<int:pk>/move/", views.person_move, name="person_move"),
    path("staff/<int:pk>/end/", views.person_end, name="person_end"),
    path("staff/<int:pk>/nik/", views.person_nik, name="person_nik"),
    path("staff/imports/", views_admin.staff_import_page, name="staff_import"),
    path("staff/imports/<int:pk>/", views_admin.staff_import_run, name="staff_import_run"),
    path(
        "staff/imports/<int:pk>/errors.csv",
        views_admin.staff_import_errors,
        name="staff_import_errors",
    ),
    path("tpp-bases/", views_admin.tpp_bases, name="tpp_bases"),
]
