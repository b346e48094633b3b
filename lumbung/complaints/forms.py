"""Forms of the module's public pages. They check shape only; the services hold the rules
(and report every field problem of a filing at once)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lumbung.core.kelurahan import kelurahan_groups
from lumbung.core.models import Region

from .selectors import PUBLIC_STATES, PublicFilters, category_list
from .services import MAX_PHOTOS
from .workflow import REPORT_FLOW

VISIBILITY_DEFAULT, VISIBILITY_PUBLIC, VISIBILITY_PRIVATE = "default", "public", "private"


class QuickSelect(forms.Select):
    """A <select> written in Python. Django renders every <option> through a template; the
    region's ~150 kelurahan took a quarter of the public list's time that way."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = mark_safe("".join(_options(self.choices, chosen)))  # noqa: S308 - escaped below
        return format_html("<select{}>{}</select>", flatatt(final), options)


def _options(choices: Any, chosen: set[str]) -> Iterator[str]:
    for value, label in choices:
        if isinstance(label, list | tuple):  # an <optgroup> of (value, label) pairs
            inner = mark_safe("".join(_options(label, chosen)))  # noqa: S308 - escaped below
            yield format_html('<optgroup label="{}">{}</optgroup>', value, inner)
        else:
            selected = mark_safe(" selected") if str(value) in chosen else ""
            yield format_html('<option value="{}"{}>{}</option>', value, selected, label)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Up to MAX_PHOTOS images; their content is checked by the service."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        return files


def _category_choices(region: Region) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in category_list(region)]


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"))
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    location_text = forms.CharField(
        label=_("Where is it?"),
        max_length=300,
        required=False,
        help_text=_("A street, a house number or a landmark. Needed if you set no pin."),
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan/desa"), required=False, widget=QuickSelect)
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At least 10 characters. Do not write personal data of other people."),
    )
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "Up to 5 photos (JPEG, PNG or WebP, at most 5 MB each). Location data "
            "in the files is removed."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the report?"),
        choices=[
            (VISIBILITY_DEFAULT, _("As usual for the category")),
            (VISIBILITY_PUBLIC, _("Everyone: show it on the public list and map")),
            (VISIBILITY_PRIVATE, _("Only me and the officers handling it")),
        ],
        initial=VISIBILITY_DEFAULT,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    contact_email = forms.CharField(label=_("Your email"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = list(category_list(region))
        self.private_categories = [c.name for c in categories if not c.public_by_default]
        category = self.fields["category"]
        category.choices = [("", _("Choose a category")), *[(c.code, c.name) for c in categories]]  # type: ignore[attr-defined]
        kelurahan = self.fields["kelurahan"]
        kelurahan.choices = [("", _("Not sure")), *kelurahan_groups(region)]  # type: ignore[attr-defined]
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "multiple": True})
        self.fields["contact_email"].widget.input_type = "email"
        self.fields["contact_phone"].widget.input_type = "tel"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def is_public(self) -> bool | None:
        """None lets the category decide."""
        chosen = self.cleaned_data.get("visibility")
        return {VISIBILITY_PUBLIC: True, VISIBILITY_PRIVATE: False}.get(chosen or "")


class PublicFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    kelurahan = forms.ChoiceField(label=_("Kelurahan/desa"), required=False, widget=QuickSelect)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["category"].choices = [*everything, *_category_choices(region)]  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            *everything,
            *[(s, REPORT_FLOW.state(s).label) for s in PUBLIC_STATES],
        ]
        self.fields["kelurahan"].choices = [*everything, *kelurahan_groups(region)]  # type: ignore[attr-defined]
        if not self.fields["kelurahan"].choices[1:]:  # type: ignore[attr-defined]
            del self.fields["kelurahan"]  # a province has no kelurahan of its own

    def filters(self) -> PublicFilters:
        """The valid part of the query: a bad field is ignored, not an error page."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        return PublicFilters(**data)


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> dict[str, Any]:
        self.is_valid()
        found = getattr(self, "cleaned_data", {})
        return {"since": found.get("since"), "until": found.get("until")}


CONFIRM, DISPUTE = "confirm", "dispute"


class ReplyForm(forms.Form):
    """The reporter's answer to a resolution: fixed or not, and how it was handled."""

    answer = forms.ChoiceField(
        label=_("Is the problem fixed?"),
        choices=[(CONFIRM, _("Yes, it is fixed")), (DISPUTE, _("No, it is not fixed"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if it is not fixed: the report reopens with your reason."),
    )
    rating = forms.TypedChoiceField(
        label=_("How was it handled?"),
        choices=[("", _("No rating")), *[(str(n), f"{n} / 5") for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("A comment on the handling"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == DISPUTE and not str(data.get("reason") or "").strip():
            self.add_error("reason", _("Say what is still wrong."))
        return data
