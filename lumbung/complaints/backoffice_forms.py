"""Forms of the staff pages. They only shape the input; the services decide what is valid
in the domain and their errors are shown on these forms (core's apply_domain_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.selectors import staff_with_role

from .models import AnswerTemplate, Category, PhotoKind, SlaClass
from .selectors import category_list, template_list
from .services import MAX_PHOTOS
from .workflow import REPORT_FLOW


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images in one input; the service checks their content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault(
            "help_text", _("JPEG, PNG or WebP, at most %(n)d, 5 MB each.") % {"n": MAX_PHOTOS}
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class TemplateSelect(forms.Select):
    """A select of answer templates whose options carry their text (for staff.js)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        template = getattr(option["value"], "instance", None)
        if isinstance(template, AnswerTemplate):
            option["attrs"]["data-body"] = template.body
        return option


def _units(region: Region) -> Any:
    return Unit.objects.filter(region=region, is_active=True).order_by("name")


def case_workers(region: Region) -> list[User]:
    """Everyone in the region a report may be assigned to, by name."""
    seen: dict[int, User] = {}
    for role in (Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN):
        for user in staff_with_role(region, role):
            seen[user.pk] = user
    return sorted(seen.values(), key=lambda u: (u.display_name.lower(), u.pk))


# --- The queue -------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Ticket or word"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    state = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    unrouted = forms.BooleanField(label=_("Not routed yet"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)  # type: ignore[attr-defined]
        state = self.fields["state"]
        state.choices = [("", _("Every open one")), *((s.key, s.label) for s in REPORT_FLOW.states)]  # type: ignore[attr-defined]
        category = self.fields["category"]
        category.choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *((c.code, c.name) for c in category_list(region, active_only=False)),
        ]


# --- The case page ----------------------------------------------------------------------------


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the reporter with the new status."),
    )

    def __init__(self, *args: Any, with_photos: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_photos:
            self.fields["photos"] = PhotosField(label=_("Photos after the work"))


class DuplicateForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    original = forms.CharField(
        label=_("Ticket of the original report"),
        max_length=40,
        help_text=_("Its reporter and supporters become the original's supporters."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Start from a template"),
        queryset=AnswerTemplate.objects.none(),
        required=False,
        empty_label=_("No template"),
        widget=TemplateSelect,
        help_text=_("Fills the text below; with the text left empty the template is sent."),
    )
    body = forms.CharField(
        label=_("Text"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    public = forms.TypedChoiceField(
        label=_("Who sees it"),
        choices=[
            ("1", _("Public answer: the reporter and the tracking page")),
            ("0", _("Internal note: staff only")),
        ],
        coerce=lambda v: v == "1",
        initial="1",
    )
    photos = PhotosField()
    photo_kind = forms.ChoiceField(
        label=_("The photos show"),
        choices=[(PhotoKind.BEFORE, _("Before the work")), (PhotoKind.AFTER, _("After the work"))],
        initial=PhotoKind.AFTER,
        required=False,
    )

    def __init__(self, *args: Any, region: Region, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = template_list(region).filter(category__isnull=True) | template_list(region).filter(
            category=category
        )
        self.fields["template"].queryset = found.order_by("title", "id")  # type: ignore[attr-defined]
        self.fields["body"].widget.attrs["id"] = "answer-body"
        self.fields["template"].widget.attrs["data-fills"] = "answer-body"

    def text(self) -> str:
        body = str(self.cleaned_data.get("body") or "").strip()
        template = self.cleaned_data.get("template")
        return body or (template.body if template else "")


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    note = forms.CharField(
        label=_("Note for the unit"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Internal: staff only."),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(region)  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Officer"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.choices = [  # type: ignore[attr-defined]
            ("", _("Nobody")),
            *((u.pk, u.display_name) for u in case_workers(region)),
        ]


class ContactForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why you need them"),
        max_length=200,
        initial=_("Following up the report"),
        help_text=_("Kept in the audit log with your name."),
    )


# --- Region administration ---------------------------------------------------------------------


class CategoryForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens; the Open311 service_code."),
    )
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    description_id = forms.CharField(
        label=_("Description (Indonesian)"), max_length=300, required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=300, required=False
    )
    group = forms.CharField(label=_("Group"), max_length=60, required=False)
    sla_class = forms.ChoiceField(label=_("Deadline class"), choices=SlaClass.choices)
    default_unit = forms.ModelChoiceField(
        label=_("Default unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("New reports of this category go to this unit."),
    )
    public_by_default = forms.BooleanField(label=_("Reports public by default"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_unit"].queryset = _units(region)  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        unit = data.get("default_unit")
        data["default_unit"] = unit.pk if unit else None
        return data

    @staticmethod
    def initial_of(category: Category | None) -> dict[str, Any]:
        if category is None:
            return {"public_by_default": True, "is_active": True, "order": 100, "sla_class": "c5"}
        return {
            "code": category.code,
            "name_id": category.name_id,
            "name_en": category.name_en,
            "description_id": category.description_id,
            "description_en": category.description_en,
            "group": category.group,
            "sla_class": category.sla_class,
            "default_unit": category.default_unit_id,
            "public_by_default": category.public_by_default,
            "is_active": category.is_active,
            "order": category.order,
        }


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Any category"),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list(region, active_only=False)  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(template: AnswerTemplate | None) -> dict[str, Any]:
        if template is None:
            return {"is_active": True}
        return {
            "title": template.title,
            "body": template.body,
            "category": template.category_id,
            "is_active": template.is_active,
        }


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Application name"), max_length=120)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
