"""Small helpers shared by back-office views: region from the request, permission gate."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from ..mfa import needs_totp_setup
from ..models import Region, User
from ..permissions import can


class RegionRequest(HttpRequest):
    """A request that RegionMiddleware resolved to a region; behind `require_perm` its user
    is signed in. Only for type checking: at run time it is Django's HttpRequest."""

    region: Region
    user: User


def current_region(request: HttpRequest) -> Region:
    region = getattr(request, "region", None)
    if region is None:
        raise Http404
    return region


View = Callable[..., HttpResponseBase]


def require_perm(perm: str) -> Callable[[View], View]:
    """Signed-out people go to the login page; signed-in people without the permission in
    this region get a 403 (the region itself is public; its data is not)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            region = current_region(request)
            if not can(request.user, perm, region):
                raise PermissionDenied
            if needs_totp_setup(request.user, region):
                messages.warning(
                    request, _("This region requires staff to set up a second factor first.")
                )
                return redirect_to_login(request.get_full_path(), reverse("mfa_activate_totp"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
