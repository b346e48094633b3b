"""The end of a registry entry, each on a confirmation page with its reason: deleting a
person entered by mistake (only one who was never on a cycle's list), retiring one who
was (kept for the record, left out of lists computed from then on), and bringing a
retired person back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Person
from ..services.registry import (
    person_delete,
    person_has_history,
    person_reactivate,
    person_retire,
)
from .forms import WhyForm
from .selectors import person_get
from .views_common import REGISTRY, found, private


@dataclass(frozen=True)
class Ending:
    title: Promise
    explanation: Promise
    label: Promise
    button: Promise
    done: Promise
    service: Callable[..., object]
    danger: bool = False


DELETE = Ending(
    title=_("Delete from the registry"),
    explanation=_(
        "The person was never on a cycle's list, so the entry can be deleted, for instance "
        "when it was entered by mistake. Deleting cannot be undone; the audit log keeps "
        "that it happened and why."
    ),
    label=_("Why is this entry deleted?"),
    button=_("Delete"),
    done=_("The person was deleted from the registry."),
    service=person_delete,
    danger=True,
)
RETIRE = Ending(
    title=_("Retire from the registry"),
    explanation=_(
        "A retired person stays in the registry with every list they were on, but is left "
        "out of every list computed from now on (moved away, died, registered twice). Lists "
        "already computed are not changed: remove them from a list under review there."
    ),
    label=_("Why is this person retired?"),
    button=_("Retire"),
    done=_("The person was retired."),
    service=person_retire,
)
REACTIVATE = Ending(
    title=_("Return to the registry"),
    explanation=_("Lists computed from now on may include this person again."),
    label=_("Why does this person return?"),
    button=_("Return to the registry"),
    done=_("The person is active again."),
    service=person_reactivate,
)


def _confirm(request: RegionRequest, pk: int, ending: Ending) -> HttpResponse:
    """GET: the confirmation page with the reason field; POST: the service, then the
    person's page (or the registry, once deleted) or the page again with its errors."""
    target: Person = found(request, person_get, pk)
    region = current_region(request)
    bound = request.method == "POST"
    form = WhyForm(request.POST if bound else None, label=ending.label)
    status = 200
    if bound:
        status = 422
        if form.is_valid():
            try:
                ending.service(
                    region=region,
                    actor=request.user,
                    person=target,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, str(ending.done))
                if ending is DELETE:
                    return redirect("core:grants:bansos-persons", region_slug=region.slug)
                return redirect("core:grants:bansos-person", region_slug=region.slug, pk=pk)
    context = {
        "person": target,
        "ending": ending,
        "form": form,
        "has_history": ending is DELETE and person_has_history(region, target),
    }
    return private(render(request, "grants/bansos/person_end.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_delete_page(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _confirm(request, pk, DELETE)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_retire_page(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _confirm(request, pk, RETIRE)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_reactivate_page(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _confirm(request, pk, REACTIVATE)


urlpatterns: list[URLPattern] = [
    path("bansos/registry/<int:pk>/delete/", person_delete_page, name="bansos-person-delete"),
    path("bansos/registry/<int:pk>/retire/", person_retire_page, name="bansos-person-retire"),
    path(
        "bansos/registry/<int:pk>/reactivate/",
        person_reactivate_page,
        name="bansos-person-reactivate",
    ),
]
