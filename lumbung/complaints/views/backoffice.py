"""Staff pages of the module (being built: queues, the case page, administration)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def staff_detail(request: HttpRequest, region_slug: str, ticket: str) -> HttpResponse:
    raise NotImplementedError


urlpatterns: list[URLPattern] = [
    path("staff/<slug:ticket>/", staff_detail, name="staff-detail"),
]
