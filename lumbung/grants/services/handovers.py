"""Opening the photo taken at a handover. It shows a recipient, so it is personal data
(UU 27/2022): served only through an authorised view, never a public media URL, to the
grants staff and auditors, and every opening is recorded like any read of personal data."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import NotFound
from lumbung.core.models import Region, User
from lumbung.core.services.audit import personal_data_read

from ..models import Entitlement, Handover
from .registry import require, same_region

# Auditors check the proof of payments as much as the staff who record them.
VIEW = "grants.view_queue"


def handover_photo_open(*, region: Region, actor: User, entitlement: Entitlement) -> Handover:
    """The handover of `entitlement`, whose photo the caller is about to serve: the read
    is recorded (`pdp.read` of the field `photo`). No handover or no photo: NotFound."""
    require(actor, region, VIEW)
    same_region(region, entitlement)
    handover = Handover.objects.filter(region=region, entitlement=entitlement).first()
    if handover is None or not handover.photo:
        raise NotFound(_("This handover has no photo."))
    with transaction.atomic():
        personal_data_read(
            region=region,
            actor=actor,
            obj=entitlement,
            fields=["photo"],
            purpose=_("handover proof"),
        )
    return handover
