"""What the module's pages share: the region's objects by id (a foreign id is a 404), the
applicant's own objects (anyone else's is a 404 too), and the region's names of the steps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from lumbung.core.errors import DomainError, ErrorCode, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.workflow_selectors import state_labels

from ..forms import field_name
from ..models import Application, Permit
from ..selectors import application_get, permit_get
from ..workflow import APPLICATION_FLOW

View = Callable[..., HttpResponseBase]


def signed_in(view: View) -> View:
    """Applicants' pages: a signed-out visitor goes to the login page and comes back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def step_names(request: HttpRequest, region: Region) -> dict[str, str]:
    """The region's names for the workflow's steps, read once per request."""
    memo: dict[tuple[int, str, str], dict[str, str]]
    memo = request.__dict__.setdefault("_lumbung_state_labels", {})
    key = (region.pk, APPLICATION_FLOW.key, get_language() or "")
    if key not in memo:
        memo[key] = state_labels(region, APPLICATION_FLOW.key)
    return memo[key]


def application_or_404(region: Region, pk: int) -> Application:
    try:
        return application_get(region, pk)
    except NotFound:
        raise Http404 from None


def permit_or_404(region: Region, pk: int) -> Permit:
    try:
        return permit_get(region, pk)
    except NotFound:
        raise Http404 from None


def own_application(region: Region, user: User, pk: int) -> Application:
    """One of the region's applications made by this account; anyone else's is a 404."""
    application = application_or_404(region, pk)
    if application.applicant_id != user.pk:
        raise Http404
    return application


def show_error(form: forms.BaseForm, error: DomainError) -> None:
    """A service's refusal on the form, at the field it names ("documents.x" -> "doc_x"),
    with its general message above ("Missing documents: ...") where it is a rule's."""
    renamed = {field_name(k): v for k, v in error.field_errors.items()}
    apply_domain_error(
        form, DomainError(error.code, error.message, field_errors=renamed, status=error.status)
    )
    if renamed and error.code != ErrorCode.VALIDATION:
        form.add_error(None, str(error.message))


def error_status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 422
