"""Back-office forms of core. They validate shape only; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import Region, Unit
from .models.people import Role
from .models.units import UnitKind
from .modules import registry
from .services.regions import PROFILE_FIELDS
from .workflow import workflows


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's DomainError on the form: per field where it names fields."""
    if not error.field_errors:
        form.add_error(None, str(error.message))
        return
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.none(), required=False
    )
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(region=region)  # type: ignore[attr-defined]


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: code, name, kind, parent_code, short_name, email (UTF-8)."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.PLATFORM_OPERATOR]
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("Position"), max_length=150, required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region)  # type: ignore[attr-defined]


class ModulesForm(forms.Form):
    def __init__(self, *args: Any, enabled: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for config in registry.switchable():
            self.fields[config.module_key] = forms.BooleanField(
                label=str(config.title),
                help_text=str(config.description),
                required=False,
                initial=config.module_key in enabled,
            )


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=200)
    is_working_day = forms.BooleanField(
        label=_("This is a declared working day (not a holiday)"), required=False
    )


class SlaForm(forms.Form):
    target = forms.ChoiceField(label=_("Workflow state"))
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty to return to the default."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (f"{w.key}:{target}", _sla_label(w.key, s.label, target))
            for w in workflows.all()
            for s in w.states
            if not s.terminal
            for target in s.sla_targets()
        ]


class StateLabelForm(forms.Form):
    """The region's own names for one step; the form is used with prefix "label"."""

    target = forms.ChoiceField(label=_("Workflow step"))
    label_id = forms.CharField(label=_("Name in Indonesian"), max_length=100, required=False)
    label_en = forms.CharField(
        label=_("Name in English"),
        max_length=100,
        required=False,
        help_text=_("Leave a name empty to use the default name in that language."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (f"{w.key}:{s.key}", f"{w.key} — {s.label}")
            for w in sorted(workflows.all(), key=lambda w: w.key)
            for s in w.states
        ]


def _sla_label(workflow: str, label: object, target: str) -> str:
    variant = target.split(":", 1)[1] if ":" in target else ""
    return f"{workflow} — {label}" + (f" ({variant})" if variant else "")


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 2 MB. Photo metadata is removed."),
    )

    class Meta:
        model = Region
        fields = list(PROFILE_FIELDS)  # exactly what the service accepts
        widgets = {"primary_color": forms.TextInput(attrs={"type": "color"})}


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
