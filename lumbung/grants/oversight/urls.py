"""Oversight pages, included in the grants module's urlpatterns (namespace core:grants)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
