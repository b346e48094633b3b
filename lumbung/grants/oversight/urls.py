"""Oversight pages, included in the grants module's urlpatterns (namespace core:grants)."""

from django.urls import URLPattern

from . import views, views_documents, views_public

urlpatterns: list[URLPattern] = [
    *views.urlpatterns,
    *views_documents.urlpatterns,
    *views_public.urlpatterns,
]
