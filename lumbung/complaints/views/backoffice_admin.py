"""The region admin's pages of the module: categories (and the starter set), answer
templates, and the Open311 clients allowed to file reports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..backoffice_forms import CategoryForm, ClientForm, TemplateForm
from ..models import AnswerTemplate, Category
from ..selectors import category_list, template_list
from ..selectors_backoffice import category_get, client_get, client_list, template_get
from ..services import (
    categories_adopt_starter,
    category_save,
    client_issue,
    client_revoke,
    template_save,
)
from ..workflow import REPORT_FLOW


def _status(form: object) -> int:
    return 422 if getattr(form, "errors", None) else 200


def _posted_pk(request: RegionRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


# --- Categories ------------------------------------------------------------------------------


@require_perm("complaints.manage_categories")
def categories(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    if request.method == "POST" and "adopt" in request.POST:
        added = categories_adopt_starter(region=region, actor=request.user)
        messages.success(
            request,
            ngettext("%(n)d category added.", "%(n)d categories added.", len(added))
            % {"n": len(added)},
        )
        return redirect("core:complaints:categories", region_slug=region.slug)
    return _category_form(request, None)


@require_perm("complaints.manage_categories")
def category_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    try:
        category = category_get(current_region(request), pk)
    except NotFound:
        raise Http404 from None
    return _category_form(request, category)


def _category_form(request: RegionRequest, category: Category | None) -> HttpResponse:
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    form = CategoryForm(data, region=region, initial=CategoryForm.initial_of(category))
    if form.is_bound and form.is_valid():
        try:
            category_save(
                region=region, actor=request.user, data=form.service_data(), category=category
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Category saved."))
            return redirect("core:complaints:categories", region_slug=region.slug)
    context = {
        "form": form,
        "category": category,
        "categories": category_list(region, active_only=False) if category is None else [],
        "sla_states": [s for s in REPORT_FLOW.states if s.sla_days],
    }
    return render(request, "complaints/backoffice/categories.html", context, status=_status(form))


# --- Answer templates --------------------------------------------------------------------------


@require_perm("complaints.manage_templates")
def templates(request: RegionRequest, region_slug: str) -> HttpResponse:
    return _template_form(request, None)


@require_perm("complaints.manage_templates")
def template_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    try:
        template = template_get(current_region(request), pk)
    except NotFound:
        raise Http404 from None
    return _template_form(request, template)


def _template_form(request: RegionRequest, template: AnswerTemplate | None) -> HttpResponse:
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    form = TemplateForm(data, region=region, initial=TemplateForm.initial_of(template))
    if form.is_bound and form.is_valid():
        try:
            template_save(
                region=region, actor=request.user, data=form.cleaned_data, template=template
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("core:complaints:templates", region_slug=region.slug)
    context = {
        "form": form,
        "template": template,
        "templates": template_list(region, active_only=False) if template is None else [],
    }
    return render(request, "complaints/backoffice/templates.html", context, status=_status(form))


# --- Open311 clients ---------------------------------------------------------------------------


@never_cache
@require_perm("complaints.manage_clients")
def clients(request: RegionRequest, region_slug: str) -> HttpResponse:
    """Issue and revoke Open311 keys. A new key is shown in this one answer and never again:
    only its hash is kept."""
    region = current_region(request)
    if request.method == "POST" and "revoke" in request.POST:
        try:
            client = client_get(region, _posted_pk(request, "revoke"))
        except NotFound:
            raise Http404 from None
        client_revoke(region=region, actor=request.user, client=client)
        messages.success(request, _("Key revoked: the application can no longer file reports."))
        return redirect("core:complaints:clients", region_slug=region.slug)
    form = ClientForm(request.POST if request.method == "POST" else None)
    issued = None
    if form.is_bound and form.is_valid():
        try:
            issued = client_issue(region=region, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = ClientForm()
    context = {"form": form, "clients": client_list(region), "issued": issued}
    return render(request, "complaints/backoffice/clients.html", context, status=_status(form))


urlpatterns: list[URLPattern] = [
    path("staff/categories/", categories, name="categories"),
    path("staff/categories/<int:pk>/", category_edit, name="category-edit"),
    path("staff/templates/", templates, name="templates"),
    path("staff/templates/<int:pk>/", template_edit, name="template-edit"),
    path("staff/open311/", clients, name="clients"),
]
