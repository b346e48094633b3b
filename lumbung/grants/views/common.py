"""What the module's signed-in pages share: the region's objects by id (a foreign id is a
404), a service's refusal shown at the field it names, and who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.workflow_selectors import state_labels

from ..models import Organisation, Proposal
from ..selectors_hibah import proposal_get
from ..workflow import HIBAH_FLOW

View = Callable[..., HttpResponseBase]


def signed_in(view: View) -> View:
    """Citizens' pages: a signed-out visitor goes to the login page and comes back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def map_settings() -> dict[str, str]:
    """The tiles the maps draw on (none configured: the pins show without a base map)."""
    return {
        "tiles": getattr(settings, "LUMBUNG_MAP_TILES", ""),
        "attribution": getattr(settings, "LUMBUNG_MAP_ATTRIBUTION", ""),
    }


def step_names(
    request: HttpRequest, region: Region, workflow: str = HIBAH_FLOW.key
) -> dict[str, str]:
    """The region's names for a workflow's steps ("a region may rename steps"), read once per
    request. Kept where core's `{% state_label %}` tag keeps its own, so a page that uses both
    reads them once."""
    memo: dict[tuple[int, str, str], dict[str, str]]
    memo = request.__dict__.setdefault("_lumbung_state_labels", {})
    key = (region.pk, workflow, get_language() or "")
    if key not in memo:
        memo[key] = state_labels(region, workflow)
    return memo[key]


def proposal_or_404(region: Region, pk: int) -> Proposal:
    try:
        return proposal_get(region, pk)
    except NotFound:
        raise Http404 from None


def organisation_or_404(region: Region, pk: int) -> Organisation:
    found = Organisation.objects.filter(region=region, pk=pk).first()
    if found is None:
        raise Http404
    return found


def renamed(error: DomainError, names: dict[str, str]) -> DomainError:
    """The same refusal with its field names mapped to the form's ("file" -> "doc_deed")."""
    fields = {names.get(k, k): v for k, v in error.field_errors.items()}
    return DomainError(error.code, error.message, field_errors=fields, status=error.status)


def show_error(form: forms.BaseForm, error: DomainError, lines: Any = None) -> list[str]:
    """Put a refusal on the form and, for "lines.<n>.<field>" names, on that RAB row.
    Returns the messages no field holds (shown above the form)."""
    loose: list[str] = []
    plain: dict[str, list[str]] = {}
    for name, messages in error.field_errors.items():
        if lines is not None and name.split(".")[0] == "lines":
            loose.extend(_on_row(lines, name, messages))
        else:
            plain[name] = messages
    if plain or not error.field_errors:
        apply_domain_error(
            form, DomainError(error.code, error.message, field_errors=plain, status=error.status)
        )
    return loose


def _on_row(lines: Any, name: str, messages: list[str]) -> list[str]:
    parts = name.split(".")
    rows = [f for f in lines.forms if f.cleaned_data]
    if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) >= len(rows):
        return messages
    row = rows[int(parts[1])]
    field = parts[2] if len(parts) > 2 and parts[2] in row.fields else None
    for message in messages:
        row.add_error(field, message)
    return []


def error_status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 422
