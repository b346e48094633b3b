"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
