"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern, path

from . import downloads, views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", downloads.dashboard_csv, name="dashboard-csv"),
    path("dashboard/units/<int:unit_id>/", views.unit, name="unit"),
    path("dashboard/units/<int:unit_id>.csv", downloads.unit_csv, name="unit-csv"),
    path("dashboard/people/<int:employee_id>/", views.person, name="person-month"),
    path("anomalies/", views.anomalies, name="anomalies"),
    path("anomalies.csv", downloads.anomalies_csv, name="anomalies-csv"),
]
