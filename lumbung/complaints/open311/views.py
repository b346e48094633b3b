"""The GeoReport v2 endpoints. Each view is marked so that RegionMiddleware finds its
region in `jurisdiction_id` and, for an unknown one, lets the view answer in Open311's
own error format; POST is for outside clients with an api_key, so it needs no CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lumbung.core.errors import DomainError, NotFound, ValidationFailed
from lumbung.core.middleware import region_from_query
from lumbung.core.models import Region

from ..models import Source
from ..services import client_authenticate, report_file
from . import payloads
from .params import JURISDICTION, param, report_input, request_query, validation_error
from .render import FORMATS, Open311Error, render, render_error
from .selectors import (
    Notices,
    open311_request_get,
    open311_requests,
    open311_service_get,
    open311_services,
)

MODULE = "complaints"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00Z"  # when this API's shape last changed
READ = ("GET", "HEAD")
FORMATS_ADVERTISED = tuple(FORMATS[f].split(";")[0] for f in ("xml", "json"))
Handler = Callable[..., HttpResponse]


def endpoint(
    *methods: str, needs_region: bool = True
) -> Callable[[Handler], Callable[..., HttpResponse]]:
    """Answer in the client's language (Indonesian unless it asks for English), in the
    format of the URL's suffix, with errors as the specification shapes them."""

    def wrap(handler: Handler) -> Callable[..., HttpResponse]:
        @wraps(handler)
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                try:
                    region = _region(request, methods, needs_region)
                    response = handler(request, fmt, region, **kwargs)
                except Open311Error as error:
                    response = render_error(fmt, error)
                except NotFound as error:
                    response = render_error(fmt, Open311Error(404, str(error.message)))
            if response.status_code == 405:
                response["Allow"] = ", ".join(methods)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response

        return region_from_query(JURISDICTION, MODULE)(csrf_exempt(view))

    return wrap


def _region(request: HttpRequest, methods: tuple[str, ...], needs_region: bool) -> Region | None:
    if request.method not in methods:
        raise Open311Error(405, _("Method not allowed: use %(m)s.") % {"m": ", ".join(methods)})
    # Read as RegionMiddleware reads it: the query string first, then the form.
    named = request.GET.get(JURISDICTION) or (
        request.POST.get(JURISDICTION) if request.method == "POST" else ""
    )
    region: Region | None = getattr(request, "region", None)
    if named and region is None:
        raise Open311Error(404, _("jurisdiction_id not found."))
    if needs_region and region is None:
        raise Open311Error(400, _("jurisdiction_id was not provided."))
    return region


@endpoint(*READ, needs_region=False)
def discovery(request: HttpRequest, fmt: str, region: Region | None) -> HttpResponse:
    """Service discovery: where the GeoReport v2 endpoint is and how to get a key."""
    here = reverse("open311:discovery", kwargs={"fmt": fmt})
    base = settings.LUMBUNG_BASE_URL + here.rsplit("/", 1)[0]
    contact = region.contact_email if region and region.contact_email else ""
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact or _("The administrator of each region (see its home page)."),
            "key_service": _(
                "Each region's administrator issues an api_key per client application; "
                "send it with every POST."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": list(FORMATS_ADVERTISED),
                }
            ],
        },
    )


@endpoint(*READ)
def services(request: HttpRequest, fmt: str, region: Region) -> HttpResponse:
    """The region's categories as Open311 services."""
    rows = [payloads.service(c) for c in open311_services(region)]
    return render(fmt, "services", rows)


@endpoint(*READ)
def service_definition(
    request: HttpRequest, fmt: str, region: Region, service_code: str
) -> HttpResponse:
    """A category asks nothing beyond the standard fields: no attributes."""
    category = open311_service_get(region, service_code)
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": []})


@endpoint(*READ, "POST")
def requests(request: HttpRequest, fmt: str, region: Region) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt, region)
    notices = Notices(region)
    found = open311_requests(region, request_query(request))
    return render(fmt, "service_requests", [payloads.service_request(c, notices) for c in found])


def _create(request: HttpRequest, fmt: str, region: Region) -> HttpResponse:
    """File a report for an authenticated client; the ticket is the service_request_id."""
    client = client_authenticate(region, param(request, "api_key"))
    if client is None:
        raise Open311Error(403, _("api_key is missing, unknown or revoked."))
    data = report_input(request)
    try:
        filed = report_file(
            region=region, actor=None, data=data, source=Source.OPEN311, client=client
        )
    except ValidationFailed as error:
        raise validation_error(error) from None
    except DomainError as error:
        status = error.status if 400 <= error.status < 500 else 400
        raise Open311Error(status, str(error.message)) from None
    complaint = filed.complaint
    answer = {
        "service_request_id": complaint.ticket,
        "service_notice": Notices(region).of(complaint.category),
        "account_id": None,
    }
    return render(fmt, "service_requests", [answer])


@endpoint(*READ)
def request_detail(
    request: HttpRequest, fmt: str, region: Region, service_request_id: str
) -> HttpResponse:
    complaint = open311_request_get(region, service_request_id)
    row = payloads.service_request(complaint, Notices(region))
    return render(fmt, "service_requests", [row])


@endpoint(*READ)
def token(request: HttpRequest, fmt: str, region: Region, token: str) -> HttpResponse:
    """Our service_request_id is given at once, so a token is that same ticket number."""
    complaint = open311_request_get(region, token)
    return render(
        fmt, "service_requests", [{"service_request_id": complaint.ticket, "token": token}]
    )


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /open311/v2/ (an unknown resource or format)."""
    fmt = "xml" if path.endswith(".xml") else "json"
    return render_error(fmt, Open311Error(404, _("Not found.")))
