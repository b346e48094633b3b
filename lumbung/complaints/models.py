"""Complaints and aspirations (LAKSA): categories, reports, their timeline, photos,
supporters, answer templates and the Open311 clients a region lets in."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped, WorkflowCase


class SlaClass(models.TextChoices):
    """How long resolving a category's reports may take, in working days (the pinned
    defaults; a region overrides them as "in_progress:<class>" deadlines)."""

    URGENT = "c2", _("Urgent: 2 working days")
    ORDINARY = "c5", _("Ordinary: 5 working days")
    COMPLEX = "c14", _("Complex: 14 working days")
    PROGRAMME = "c60", _("Needs a programme: 60 working days")


class Source(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311 client")


class Category(RegionScoped):
    """What a report is about. Its code is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=40)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_id = models.CharField(_("description (Indonesian)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True)
    sla_class = models.CharField(
        _("deadline class"), max_length=3, choices=SlaClass.choices, default=SlaClass.ORDINARY
    )
    default_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("default unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_by_default = models.BooleanField(_("reports public by default"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="complaint_category_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def description(self) -> str:
        english = (get_language() or "id").startswith("en")
        return (self.description_en if english else self.description_id) or ""


class Complaint(WorkflowCase):
    """One citizen's report. Contact fields are personal data: never on public pages, and
    a staff member's look at them is audited."""

    WORKFLOW_KEY = "complaints.report"

    ticket = models.CharField(_("ticket"), max_length=40)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints")
    # Copied from the category when filed: a later change of class does not move deadlines.
    sla_class = models.CharField(max_length=3, choices=SlaClass.choices)
    description = models.TextField(_("description"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Where the problem is (a street, a landmark): a place, not the reporter's home.
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    kelurahan_code = models.CharField(_("kelurahan"), max_length=13, blank=True)
    kelurahan_name = models.CharField(max_length=100, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    # SHA-256 of the secret in the tracking link; the secret itself is shown once.
    tracking_hash = models.CharField(max_length=64)
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    supporters_count = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    client = models.ForeignKey(
        "complaints.Open311Client",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_on_time = models.BooleanField(null=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_on_time = models.BooleanField(null=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "ticket"], name="complaint_ticket"),
            models.UniqueConstraint(fields=["region", "year", "number"], name="complaint_number"),
        ]
        indexes = [
            # The public list, newest first, read page by page with a keyset.
            models.Index(
                fields=["region", "is_public", "-created_at", "-id"], name="complaint_public"
            ),
            models.Index(fields=["region", "unit", "state", "due_at"], name="complaint_queue"),
            models.Index(fields=["region", "state", "due_at"], name="complaint_state_due"),
            models.Index(fields=["region", "created_at"], name="complaint_created"),
            models.Index(fields=["region", "category", "created_at"], name="complaint_category"),
            models.Index(fields=["region", "reporter"], name="complaint_reporter"),
        ]

    def __str__(self) -> str:
        return self.ticket

    def sla_variant(self, state: str) -> str:
        return self.sla_class if state == "in_progress" else ""

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "core:complaints:staff-detail",
            kwargs={"region_slug": self.region.slug, "ticket": self.ticket},
        )


class UpdateKind(models.TextChoices):
    STATUS = "status", _("Status change")
    ANSWER = "answer", _("Official answer")
    NOTE = "note", _("Internal note")
    ROUTING = "routing", _("Routed to a unit")
    ASSIGNMENT = "assignment", _("Assigned")
    RATING = "rating", _("Rating")


class ComplaintUpdate(RegionScoped):
    """One entry of a report's timeline. Public entries show on the tracking page and the
    public list; internal notes, routing and assignment only to staff."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices)
    is_public = models.BooleanField(default=True)
    action = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    body = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Which unit said it: the public sees the agency, never the officer's name.
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["region", "complaint", "created_at"], name="complaint_update"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.kind}"


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Reporter's photo")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


def photo_path(instance: ComplaintPhoto, filename: str) -> str:
    # An unguessable name: photos are served through a view that checks who may see them.
    ext = filename.rsplit(".", 1)[-1].lower()[:4]
    return f"complaints/{instance.region_id}/{uuid.uuid4().hex}.{ext}"


class ComplaintPhoto(RegionScoped):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    update = models.ForeignKey(
        ComplaintUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    kind = models.CharField(max_length=10, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    image = models.ImageField(upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["region", "complaint"], name="complaint_photo")]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.kind}"


class Supporter(RegionScoped):
    """Someone who has the same problem and said so instead of filing a duplicate. `key`
    is "u:<user id>" for a signed-in person, else a hash of their browser session."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="supporters")
    key = models.CharField(max_length=70)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "complaint", "key"], name="complaint_supporter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.key}"


class AnswerTemplate(RegionScoped):
    """A region's ready text for a common answer; officers edit it before sending."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Open311Client(RegionScoped):
    """An outside application allowed to file reports through Open311 with its api_key.
    Only the key's SHA-256 is kept."""

    name = models.CharField(_("name"), max_length=120)
    contact_email = models.EmailField(_("contact email"), blank=True)
    key_prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key_hash"], name="open311_client_key")
        ]

    def __str__(self) -> str:
        return self.name
