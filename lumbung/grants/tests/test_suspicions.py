"""Citizens' suspicions: a private complaint when the complaints module is on, otherwise a
review task for the auditors; bad input writes nothing; anonymous senders are limited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from lumbung.complaints.models import Category, Complaint
from lumbung.complaints.tests.factories import enable_complaints
from lumbung.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import AuditEvent, Notification
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.units import unit_create
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Proposal, Suspicion
from ..services.suspicions import (
    CATEGORY_CODE,
    SuspicionError,
    SuspicionLimited,
    suspicion_raise,
    suspicion_review,
)
from . import flag_factories as f

TEXT = "Alamat yayasan ini ternyata rumah kosong, tidak ada kegiatan."


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    f.enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def proposal_a(ga: RegionWorld) -> Proposal:
    return f.proposal(ga.region, state="decided", final=90_000_000)


def test_without_complaints_it_is_a_task_for_the_auditors(
    ga: RegionWorld, proposal_a: Proposal
) -> None:
    # when an anonymous citizen raises a suspicion about a proposal
    raised = suspicion_raise(
        region=ga.region, actor=None, proposal=proposal_a, text=TEXT, address="10.0.0.1"
    )
    # then it waits for review, the auditor is told, and it is audited
    assert raised.complaint is None
    assert raised.reviewed_at is None
    auditor = ga.users[Role.AUDITOR]
    note = Notification.objects.get(region=ga.region, recipient=auditor, kind="grants.suspicion")
    assert proposal_a.number in note.body
    assert not Notification.objects.filter(
        region=ga.region, recipient=ga.users[Role.OFFICER], kind="grants.suspicion"
    ).exists()
    event = AuditEvent.objects.get(region=ga.region, action="grants.suspicion.raise")
    assert event.actor is None
    assert event.object_id == str(raised.pk)


def test_the_auditor_records_the_outcome_once(ga: RegionWorld, proposal_a: Proposal) -> None:
    raised = suspicion_raise(region=ga.region, actor=None, proposal=proposal_a, text=TEXT)
    auditor = ga.users[Role.AUDITOR]
    with pytest.raises(ValidationFailed) as empty:
        suspicion_review(region=ga.region, actor=auditor, suspicion=raised, outcome="  ")
    assert "outcome" in empty.value.field_errors
    # reviewing is oversight: not the units' work, even a unit head's
    for role in (Role.OFFICER, Role.UNIT_HEAD):
        with pytest.raises(PermissionDenied):
            suspicion_review(region=ga.region, actor=ga.users[role], suspicion=raised, outcome="ok")
    done = suspicion_review(
        region=ga.region, actor=auditor, suspicion=raised, outcome="Dicek di lapangan: ada."
    )
    assert done.reviewed_by == auditor
    assert done.outcome == "Dicek di lapangan: ada."
    event = AuditEvent.objects.get(region=ga.region, action="grants.suspicion.review")
    assert event.actor == auditor
    with pytest.raises(Conflict) as again:
        suspicion_review(region=ga.region, actor=auditor, suspicion=raised, outcome="lagi")
    assert again.value.code == SuspicionError.REVIEWED


def test_a_region_admin_may_review_too(ga: RegionWorld, proposal_a: Proposal) -> None:
    raised = suspicion_raise(region=ga.region, actor=None, proposal=proposal_a, text=TEXT)
    admin = ga.users[Role.REGION_ADMIN]
    done = suspicion_review(region=ga.region, actor=admin, suspicion=raised, outcome="Sesuai.")
    assert done.reviewed_by == admin


def test_with_complaints_it_becomes_a_private_complaint(
    ga: RegionWorld, proposal_a: Proposal, django_capture_on_commit_callbacks: Any
) -> None:
    # given the complaints module on, and an inspectorate unit
    enable_complaints(ga)
    with transaction.atomic():
        insp = unit_create(
            region=ga.region,
            actor=None,
            data={"code": "INSP", "name": "Inspektorat", "kind": UnitKind.BADAN},
        )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        raised = suspicion_raise(
            region=ga.region,
            actor=None,
            proposal=proposal_a,
            text=TEXT,
            contact_email="Warga@Example.test",
        )
    # then a private complaint in the suspicions' own category, routed to the inspectorate
    complaint = Complaint.objects.get(region=ga.region, pk=raised.complaint_id)
    assert complaint.is_public is False
    assert complaint.category.code == CATEGORY_CODE
    assert complaint.category.public_by_default is False
    assert complaint.unit == insp
    assert proposal_a.number in complaint.description
    assert TEXT in complaint.description
    assert complaint.contact_email == "warga@example.test"
    assert any(complaint.ticket in m.subject for m in mail.outbox)  # the tracking link
    # a second suspicion reuses the category
    suspicion_raise(region=ga.region, actor=ga.users[Role.CITIZEN], proposal=proposal_a, text=TEXT)
    assert Category.objects.filter(region=ga.region, code=CATEGORY_CODE).count() == 1
    assert Complaint.objects.filter(region=ga.region, category=complaint.category).count() == 2
    # and it is handled in the complaints module, not reviewed here
    with pytest.raises(Conflict) as elsewhere:
        suspicion_review(
            region=ga.region, actor=ga.users[Role.AUDITOR], suspicion=raised, outcome="x"
        )
    assert elsewhere.value.code == SuspicionError.IN_COMPLAINTS


def test_a_recipient_of_a_bansos_programme(ga: RegionWorld) -> None:
    enable_complaints(ga)
    programme = f.bansos_cycle(ga.region, 2026).programme
    raised = suspicion_raise(
        region=ga.region,
        actor=None,
        programme=programme,
        recipient_name="Budi Santoso",
        kelurahan_code="32.73.01.1001",
        text="Penerima ini punya mobil dan rumah besar.",
    )
    complaint = Complaint.objects.get(region=ga.region, pk=raised.complaint_id)
    assert "Budi Santoso" in complaint.description
    assert complaint.is_public is False
    assert complaint.location_text != "32.73.01.1001"  # the kelurahan's name, not its code


def test_a_switched_off_category_leaves_it_to_the_auditors(
    ga: RegionWorld, proposal_a: Proposal
) -> None:
    enable_complaints(ga)
    suspicion_raise(region=ga.region, actor=None, proposal=proposal_a, text=TEXT)
    Category.objects.filter(region=ga.region, code=CATEGORY_CODE).update(is_active=False)
    later = suspicion_raise(region=ga.region, actor=None, proposal=proposal_a, text=TEXT)
    assert later.complaint is None
    assert Notification.objects.filter(region=ga.region, kind="grants.suspicion").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "pendek"}, "text"),
        ({"text": TEXT, "contact_email": "bukan-email"}, "contact_email"),
        ({"text": TEXT, "proposal": None}, "proposal"),
        ({"text": TEXT, "recipient_name": ""}, "recipient_name"),
    ],
)
def test_bad_input_writes_nothing(
    ga: RegionWorld, proposal_a: Proposal, kwargs: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"proposal": proposal_a}
    if field == "recipient_name":
        values = {"programme": f.bansos_cycle(ga.region, 2026).programme}
    values.update(kwargs)
    with pytest.raises(ValidationFailed) as refused:
        suspicion_raise(region=ga.region, actor=None, **values)  # type: ignore[arg-type]
    assert field in refused.value.field_errors
    assert not Suspicion.objects.filter(region=ga.region).exists()
    assert not AuditEvent.objects.filter(region=ga.region, action__startswith="grants.").exists()


def test_another_regions_proposal_or_suspicion_is_not_found(
    ga: RegionWorld, world_b: RegionWorld
) -> None:
    f.enable_grants(world_b)
    with region_scope(world_b.region):
        foreign = f.proposal(world_b.region)
        theirs = suspicion_raise(region=world_b.region, actor=None, proposal=foreign, text=TEXT)
    with pytest.raises(NotFound):
        suspicion_raise(region=ga.region, actor=None, proposal=foreign, text=TEXT)
    with pytest.raises(NotFound):
        suspicion_review(
            region=ga.region, actor=ga.users[Role.AUDITOR], suspicion=theirs, outcome="x"
        )
    assert not Suspicion.objects.filter(region=ga.region).exists()


def test_anonymous_senders_are_limited(
    ga: RegionWorld, proposal_a: Proposal, settings: Any
) -> None:
    settings.LUMBUNG_GRANTS_SUSPICION_LIMITS = {"address": "2/h", "contact": "5/h"}
    for _ in range(2):
        suspicion_raise(
            region=ga.region, actor=None, proposal=proposal_a, text=TEXT, address="10.0.0.9"
        )
    with pytest.raises(SuspicionLimited) as limited:
        suspicion_raise(
            region=ga.region, actor=None, proposal=proposal_a, text=TEXT, address="10.0.0.9"
        )
    assert limited.value.code == SuspicionError.LIMITED
    assert limited.value.retry_after > 0
    # another address, and a signed-in citizen from the same one, are not limited
    suspicion_raise(
        region=ga.region, actor=None, proposal=proposal_a, text=TEXT, address="10.0.0.10"
    )
    suspicion_raise(
        region=ga.region,
        actor=ga.users[Role.CITIZEN],
        proposal=proposal_a,
        text=TEXT,
        address="10.0.0.9",
    )
    assert Suspicion.objects.filter(region=ga.region).count() == 4
