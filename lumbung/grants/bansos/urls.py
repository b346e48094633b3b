"""Bansos pages, included in the grants module's urlpatterns (namespace core:grants)."""

from django.urls import URLPattern

from . import (
    views_cycles,
    views_imports,
    views_programmes,
    views_public,
    views_registry,
    views_retire,
)

urlpatterns: list[URLPattern] = [
    *views_public.urlpatterns,
    *views_registry.urlpatterns,
    *views_retire.urlpatterns,
    *views_imports.urlpatterns,
    *views_programmes.urlpatterns,
    *views_cycles.urlpatterns,
]
