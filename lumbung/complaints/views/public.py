"""Public pages of the module (being built: filing, tracking, list and map, figures)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def track(request: HttpRequest, region_slug: str, ticket: str) -> HttpResponse:
    raise NotImplementedError


urlpatterns: list[URLPattern] = [path("track/<slug:ticket>/", track, name="track")]
