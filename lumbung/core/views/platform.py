"""The platform operator's console: find any of the 552 regions and make it a tenant."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import DomainError
from ..forms import apply_domain_error
from ..models.regions import RegionType
from ..modules import registry
from ..permissions import can
from ..selectors import region_modules_map, region_reference_search
from ..services.regions import region_add


class RegionSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or code"), required=False, max_length=80)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All")), *RegionType.choices],
    )


class RegionAddForm(forms.Form):
    code = forms.CharField(max_length=5, widget=forms.HiddenInput)
    modules = forms.MultipleChoiceField(
        label=gettext_lazy("Modules to switch on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["modules"].choices = [  # type: ignore[attr-defined]
            (m.module_key, str(m.title)) for m in registry.switchable()
        ]


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "core.add_region"):
        raise PermissionDenied
    add_form = RegionAddForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        try:
            region = region_add(
                code=add_form.cleaned_data["code"],
                actor=request.user,  # type: ignore[arg-type]
                modules=add_form.cleaned_data["modules"],
            )
        except DomainError as error:
            apply_domain_error(add_form, error)
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(name)s is now active.") % {"name": region.name})
            return redirect("core:platform-regions")
    search = RegionSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    page = Paginator(region_reference_search(**filters), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/platform/regions.html",
        {
            "search": search,
            "page": page,
            "rows": rows,
            "modules": region_modules_map([r for r in rows if r.is_active]),
            "add_form": RegionAddForm(),
            "query": query.urlencode(),
        },
        status=422 if add_form.errors else 200,
    )
