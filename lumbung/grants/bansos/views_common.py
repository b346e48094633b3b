"""What the bansos pages share: the permissions they ask for, a lookup by id that is a
404 for another region's id, the query string of a paged list, and answers that no cache
may keep."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from lumbung.core.errors import NotFound
from lumbung.core.models import Region
from lumbung.core.views.helpers import current_region

T = TypeVar("T")
PAGE = 25
# The registry holds personal data: its pages are for the staff who keep it. Programmes and
# cycles (NIKs masked) are for everyone who works the grants queue, auditors included;
# each write is checked again by its service.
REGISTRY, VIEW, PROGRAMMES = (
    "grants.manage_registry",
    "grants.view_queue",
    "grants.manage_programmes",
)


def found(request: HttpRequest, getter: Callable[[Region, int], T], pk: int) -> T:
    try:
        return getter(current_region(request), pk)
    except NotFound:
        raise Http404 from None


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


R = TypeVar("R", bound=HttpResponseBase)


def private(response: R) -> R:
    """Personal data on the page: no cache keeps a copy."""
    response["Cache-Control"] = "no-store"
    return response
