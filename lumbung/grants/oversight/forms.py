"""Forms of the oversight pages: the flag list's filters, dismissing a flag, reviewing a
suspicion, and the public's report of something suspicious. The services check again: the
forms only give the person a field-level message early."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import Region

from ..models import BansosProgramme, FlagKind
from ..services.flags import REASON_MAX
from ..services.suspicions import NAME_MAX, OUTCOME_MAX, TEXT_MAX, TEXT_MIN
from .selectors import FlagFilters, FlagStatus, bansos_programmes

STATUS_CHOICES = [
    (FlagStatus.CURRENT.value, _("Current")),
    (FlagStatus.GONE.value, _("No longer found")),
    (FlagStatus.DISMISSED.value, _("Dismissed")),
    (FlagStatus.ALL.value, _("All")),
]


class FlagFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *FlagKind.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def filters(self) -> FlagFilters:
        """The valid filters; an invalid value is shown on the form and left out."""
        if not self.is_bound:
            return FlagFilters()
        self.is_valid()
        data = self.cleaned_data
        status = FlagStatus(data.get("status") or FlagStatus.CURRENT)
        return FlagFilters(kind=data.get("kind") or "", status=status)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this flag dismissed?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log with your name."),
    )


class ReviewForm(forms.Form):
    outcome = forms.CharField(
        label=_("What did the review find?"),
        max_length=OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _SuspicionFields(forms.Form):
    text = forms.CharField(
        label=_("What looks wrong?"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you saw and where. Do not write other people's NIK or phone numbers."),
    )
    contact_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_(
            "Only the officers handling your report see it. Leave it empty to stay anonymous."
        ),
    )


class ProposalSuspicionForm(_SuspicionFields):
    """About one proposal of the register (the page it was opened from names it)."""


class RecipientSuspicionForm(_SuspicionFields):
    """About a named recipient of one of the region's bansos programmes."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=BansosProgramme.objects.none()
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=NAME_MAX)
    kelurahan_code = forms.CharField(
        label=_("Kelurahan/desa code (optional)"), max_length=13, required=False
    )
    field_order = ["programme", "recipient_name", "kelurahan_code", "text", "contact_email"]

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = bansos_programmes(region)  # type: ignore[attr-defined]
        self.fields["programme"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.name} ({p.year})"
        )
