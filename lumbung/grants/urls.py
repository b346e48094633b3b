"""The module's pages under /<region>/grants/: public ones first."""

from django.urls import URLPattern

from .oversight.urls import urlpatterns as oversight_pages
from .views.public import urlpatterns as public_pages

app_name = "grants"

urlpatterns: list[URLPattern] = [*public_pages, *oversight_pages]
