"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern, path

from . import views, views_admin

urlpatterns: list[URLPattern] = [
    path("tpp/", views.my_tpp, name="my_tpp"),
    path("tpp/<int:pk>/", views.tpp_person, name="tpp_person"),
    path("corrections/entry/<int:pk>/", views.correct_entry, name="correct_entry"),
    path("corrections/day/<int:pk>/", views.correct_day, name="correct_day"),
    path("months/", views_admin.months, name="months"),
    path("months/compute/", views_admin.month_compute_view, name="month_compute"),
    path("months/<int:pk>/", views_admin.month, name="month"),
    path("months/<int:pk>/close/", views_admin.month_close_view, name="month_close"),
    path("months/<int:pk>/payroll/", views_admin.month_export, name="month_export"),
    path("attendance/", views_admin.attendance, name="attendance"),
    path(
        "attendance/imports/<int:pk>/problems.csv",
        views_admin.attendance_errors,
        name="attendance_errors",
    ),
    path("formulas/", views_admin.formulas, name="formulas"),
]
