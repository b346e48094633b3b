"""The registry's staff pages: search (NIK masked), one person with their entitlements and
the audited "show personal data" action, and adding or changing a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Person
from ..selectors_bansos import person_search
from ..services.registry import person_has_history, person_personal_read, person_save
from .forms import PersonalReadForm, PersonFilterForm, PersonForm
from .selectors import kelurahan_label, person_entitlements, person_get
from .views_common import PAGE, REGISTRY, found, private, query_without_page


@require_safe
@require_perm(REGISTRY)
def persons(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = PersonFilterForm(request.GET or None, region=region)
    rows = person_search(region, **form.filters())
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "grants/bansos/persons.html", context)


def _person_page(
    request: RegionRequest,
    person: Person,
    *,
    personal: dict[str, str] | None = None,
    form: PersonalReadForm | None = None,
) -> HttpResponse:
    region = current_region(request)
    context: dict[str, Any] = {
        "person": person,
        "kelurahan": kelurahan_label(region, person.kelurahan_code),
        "entitlements": person_entitlements(region, person)[:50],
        "has_history": person_has_history(region, person),
        "personal": personal,
        "read_form": form or PersonalReadForm(),
    }
    return private(render(request, "grants/bansos/person.html", context))


@require_safe
@require_perm(REGISTRY)
def person(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _person_page(request, found(request, person_get, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_personal(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST shows the full NIK, KK, phone and address once, on this answer only (the read
    is audited); a GET goes back to the masked page."""
    target = found(request, person_get, pk)
    if request.method != "POST":
        return redirect("core:grants:bansos-person", region_slug=region_slug, pk=target.pk)
    form = PersonalReadForm(request.POST)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    personal = person_personal_read(
        region=current_region(request), actor=request.user, person=target, purpose=purpose
    )
    return _person_page(request, target, personal=personal, form=form)


def _initial(person: Person) -> dict[str, Any]:
    names = ("nik", "name", "kk", "birth_date", "sex", "address", "kelurahan_code", "phone")
    initial: dict[str, Any] = {name: getattr(person, name) for name in names}
    initial["welfare_decile"] = str(person.welfare_decile or "")
    initial["source"] = person.source
    return initial


def _person_form(request: RegionRequest, target: Person | None) -> HttpResponse:
    region = current_region(request)
    if request.method != "POST":
        form = PersonForm(initial=_initial(target) if target else None, region=region)
        return private(
            render(request, "grants/bansos/person_form.html", {"form": form, "person": target})
        )
    form = PersonForm(request.POST, region=region)
    status = 422
    if form.is_valid():
        try:
            saved = person_save(
                region=region, actor=request.user, data=form.to_input(), person=target
            )
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, _("The person was saved."))
            if saved.possible_duplicates:
                names = ", ".join(f"{p.name} ({p.nik_masked})" for p in saved.possible_duplicates)
                messages.warning(
                    request,
                    _("Possible duplicate: same name, birth date and kelurahan as %(names)s.")
                    % {"names": names},
                )
            return redirect(
                "core:grants:bansos-person", region_slug=region.slug, pk=saved.person.pk
            )
    context = {"form": form, "person": target}
    return private(render(request, "grants/bansos/person_form.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_new(request: RegionRequest, region_slug: str) -> HttpResponse:
    return _person_form(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def person_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """The form shows the full NIK and contact details to change them: opening it is a
    read of personal data, audited like the "show" action."""
    target = found(request, person_get, pk)
    if request.method != "POST":
        person_personal_read(
            region=current_region(request), actor=request.user, person=target, purpose=_("edit")
        )
    return _person_form(request, target)


urlpatterns: list[URLPattern] = [
    path("bansos/registry/", persons, name="bansos-persons"),
    path("bansos/registry/new/", person_new, name="bansos-person-new"),
    path("bansos/registry/<int:pk>/", person, name="bansos-person"),
    path("bansos/registry/<int:pk>/personal/", person_personal, name="bansos-person-personal"),
    path("bansos/registry/<int:pk>/edit/", person_edit, name="bansos-person-edit"),
]
