"""/open311/v2/…: every resource as .json and .xml."""

from django.urls import URLPattern, re_path

from . import views

app_name = "open311"

_FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns: list[URLPattern] = [
    re_path(r"^discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^services" + _FMT, views.services, name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + _FMT,
        views.service_definition,
        name="service",
    ),
    re_path(r"^requests" + _FMT, views.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+)" + _FMT,
        views.request_detail,
        name="request",
    ),
    re_path(r"^tokens/(?P<token>[^/]+)" + _FMT, views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
