"""Helpers shared by the back-office view tests."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.core.models import AuditEvent, Region, Unit, User
from lumbung.core.tenancy import region_scope

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# A valid region profile form.
PROFILE: dict[str, Any] = {
    "display_name": "Pemerintah Kota Bandung",
    "tagline": "Bandung Juara",
    "primary_color": "#123456",
    "contact_email": "humas@bandung.go.id",
    "contact_phone": "022-4234793",
    "address": "Jl. Wastukencana No. 2",
    "website": "https://bandung.go.id",
    "observes_cuti_bersama": "on",
}


def signed_in(client: Client, user: User) -> Client:
    """The test client, signed in as `user`."""
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def url(name: str, region: Region) -> str:
    return reverse(f"core:{name}", kwargs={"region_slug": region.slug})


def events(region: Region, action: str) -> list[AuditEvent]:
    with region_scope(region):
        return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def event_count(region: Region) -> int:
    with region_scope(region):
        return AuditEvent.objects.count()


def units_of(region: Region) -> dict[str, Unit]:
    with region_scope(region):
        return {u.code: u for u in Unit.objects.select_related("parent")}


def timezone_year() -> int:
    return timezone.localdate().year


def upload(text: str, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
