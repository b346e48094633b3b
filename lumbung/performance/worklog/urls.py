"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern, path

from . import views, views_catalogue

urlpatterns: list[URLPattern] = [
    path("log/", views.log, name="log"),
    path("entries/", views.entries, name="entries"),
    path("activities/", views_catalogue.activities, name="activities"),
    path("activities/<int:pk>/", views_catalogue.activity, name="activity"),
]
