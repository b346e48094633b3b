"""Forms of the public pages: the register's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.kelurahan import kelurahan_groups
from lumbung.core.models import Region
from lumbung.core.workflow_selectors import state_labels

from .selectors_public import RegisterFilters, register_programmes, register_years
from .workflow import HIBAH_FLOW


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Budget year"), required=False, coerce=int)
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int)
    state = forms.ChoiceField(label=_("Stage"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        fields: dict[str, Any] = self.fields
        fields["year"].choices = [*everything, *((y, str(y)) for y in register_years(region))]
        fields["programme"].choices = [
            *everything,
            *((p.pk, f"{p.name} ({p.year})") for p in register_programmes(region)),
        ]
        names = state_labels(region, HIBAH_FLOW.key)  # the region's own names for its steps
        fields["state"].choices = [*everything, *((s.key, names[s.key]) for s in HIBAH_FLOW.states)]
        groups = kelurahan_groups(region)
        if groups:
            fields["kelurahan"].choices = [*everything, *groups]
        else:
            del fields["kelurahan"]  # a province has no kelurahan of its own

    def filters(self) -> RegisterFilters:
        """The valid part of the query: a bad field is ignored, not an error page."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        return RegisterFilters(**data)
