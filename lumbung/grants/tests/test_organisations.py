"""Organisations: registration with checked legal facts, changes that send a verified
organisation back to verification, verification by staff, documents checked by content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.core.attachments import MAX_DOCUMENT_BYTES
from lumbung.core.errors import ErrorCode
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, UserFactory

from ..errors import GrantsError
from ..models import Document, Organisation, Verification
from ..services.documents import document_attach
from ..services.organisations import (
    organisation_register,
    organisation_reject,
    organisation_update,
    organisation_verify,
)
from .factories import GrantsWorld, enable_grants, events, organisation_data, pdf, png, refusal

SUKARASA = "32.73.01.1001"  # a kelurahan of Kota Bandung
SUKARASA_TANGERANG = "36.71.01.1001"


def count(region: object) -> int:
    with region_scope(region):  # type: ignore[arg-type]
        return Organisation.objects.filter(region=region).count()


def test_registering_makes_the_citizen_an_account_and_waits_for_verification(
    world_a: RegionWorld,
) -> None:
    # given the module on, and a citizen
    enable_grants(world_a)
    region, citizen = world_a.region, world_a.users[Role.CITIZEN]

    # when the citizen registers an organisation, NPWP typed with its dots
    with region_scope(region):
        organisation = organisation_register(
            region=region,
            actor=citizen,
            data=organisation_data("7", kelurahan_code=SUKARASA),
        )
        accounts = list(organisation.accounts.all())

    # then it is pending, the NPWP is stored as digits, the citizen acts for it
    assert organisation.verification == Verification.PENDING
    assert organisation.npwp == "012345678901000"
    assert accounts == [citizen]
    [event] = events(region, "grants.organisation.register", organisation)
    assert event.actor_id == citizen.pk
    assert event.changes["legal_number"][1] == organisation.legal_number


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("npwp", "12.345"),
        ("legal_date", dt.date(2999, 1, 1)),
        ("kind", "pt"),
        ("bank_account_number", "12ab"),
        ("kelurahan_code", SUKARASA_TANGERANG),
        ("officers", [{"position": "ketua", "name": "Asep"}]),
        ("name", "  "),
    ],
)
def test_bad_facts_are_refused_field_by_field_and_nothing_is_written(
    world_a: RegionWorld, field: str, value: object
) -> None:
    enable_grants(world_a)
    region = world_a.region
    before = count(region)

    error = refusal(
        region,
        organisation_register,
        actor=world_a.users[Role.CITIZEN],
        data=organisation_data("8", **{field: value}),
    )

    assert error.code == ErrorCode.VALIDATION
    assert field in error.field_errors
    assert count(region) == before


def test_a_legal_number_is_registered_once(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    taken = gworld_a.organisation.legal_number

    error = refusal(
        region,
        organisation_register,
        actor=gworld_a.world.users[Role.CITIZEN],
        data=organisation_data("9", legal_number=taken.lower()),
    )

    assert error.code == GrantsError.ORGANISATION_EXISTS


def test_a_changed_legal_fact_sends_a_verified_organisation_back_to_verification(
    gworld_a: GrantsWorld,
) -> None:
    # given a verified organisation
    region, organisation = gworld_a.region, gworld_a.organisation
    assert organisation.verification == Verification.VERIFIED

    # when its account changes the bank account number
    with region_scope(region):
        changed = organisation_update(
            region=region,
            actor=gworld_a.applicant,
            organisation=organisation,
            data={"bank_account_number": "9988776655"},
        )

    # then it waits for verification again, audited with before and after
    assert changed.verification == Verification.PENDING
    assert changed.verified_by is None
    [event] = events(region, "grants.organisation.update", organisation)
    assert event.changes["verification"] == ["verified", "pending"]
    old, new = event.changes["bank_account_number"]
    assert old != new


def test_a_change_of_an_ordinary_fact_keeps_the_verification(gworld_a: GrantsWorld) -> None:
    region, organisation = gworld_a.region, gworld_a.organisation

    with region_scope(region):
        changed = organisation_update(
            region=region,
            actor=gworld_a.applicant,
            organisation=organisation,
            data={"address": "Jl. Asia Afrika 8", "email": "halo@yayasan.test"},
        )

    assert changed.verification == Verification.VERIFIED
    [event] = events(region, "grants.organisation.update", organisation)
    assert event.changes["email"] == ["", "halo@yayasan.test"]
    assert "verification" not in event.changes


def test_someone_else_cannot_change_an_organisation(gworld_a: GrantsWorld) -> None:
    error = refusal(
        gworld_a.region,
        organisation_update,
        actor=gworld_a.world.users[Role.CITIZEN],
        organisation=gworld_a.organisation,
        data={"name": "Yayasan Lain"},
    )

    assert error.code == ErrorCode.PERMISSION_DENIED


def test_staff_verify_once_and_a_citizen_cannot(world_a: RegionWorld) -> None:
    enable_grants(world_a)
    region = world_a.region
    with region_scope(region):
        organisation = organisation_register(
            region=region, actor=world_a.users[Role.CITIZEN], data=organisation_data("11")
        )

    refused = refusal(
        region, organisation_verify, actor=world_a.users[Role.CITIZEN], organisation=organisation
    )
    assert refused.code == ErrorCode.PERMISSION_DENIED

    with region_scope(region):
        organisation_verify(
            region=region, actor=world_a.users[Role.OFFICER], organisation=organisation
        )
    again = refusal(
        region, organisation_verify, actor=world_a.users[Role.OFFICER], organisation=organisation
    )
    assert again.code == GrantsError.ORGANISATION_NOT_PENDING
    [event] = events(region, "grants.organisation.verify", organisation)
    assert event.actor_id == world_a.users[Role.OFFICER].pk


def test_rejecting_needs_a_reason_which_is_audited(world_a: RegionWorld) -> None:
    enable_grants(world_a)
    region, officer = world_a.region, world_a.users[Role.OFFICER]
    with region_scope(region):
        organisation = organisation_register(
            region=region, actor=world_a.users[Role.CITIZEN], data=organisation_data("12")
        )

    error = refusal(
        region, organisation_reject, actor=officer, organisation=organisation, reason=" "
    )
    assert error.code == ErrorCode.VALIDATION

    with region_scope(region):
        rejected = organisation_reject(
            region=region, actor=officer, organisation=organisation, reason="Alamat fiktif"
        )
    assert rejected.verification == Verification.REJECTED
    [event] = events(region, "grants.organisation.reject", organisation)
    assert event.reason == "Alamat fiktif"


def test_documents_are_checked_by_content_and_audited(gworld_a: GrantsWorld) -> None:
    region, organisation = gworld_a.region, gworld_a.organisation
    fake = SimpleUploadedFile("akta.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    bad = refusal(
        region,
        document_attach,
        actor=gworld_a.applicant,
        upload=fake,
        kind=Document.Kind.DEED,
        organisation=organisation,
    )
    big = refusal(
        region,
        document_attach,
        actor=gworld_a.applicant,
        upload=pdf(size=MAX_DOCUMENT_BYTES),
        kind=Document.Kind.DEED,
        organisation=organisation,
    )
    with region_scope(region):
        scan = document_attach(
            region=region,
            actor=gworld_a.applicant,
            upload=png(),
            kind=Document.Kind.DOMICILE,
            organisation=organisation,
        )

    assert bad.code == big.code == ErrorCode.VALIDATION
    assert scan.content_type == "image/png"
    assert events(region, "grants.document.attach", scan)


def test_an_applicant_attaches_only_applicant_documents_and_only_its_own(
    gworld_a: GrantsWorld,
) -> None:
    region, organisation = gworld_a.region, gworld_a.organisation

    staff_kind = refusal(
        region,
        document_attach,
        actor=gworld_a.applicant,
        upload=pdf(),
        kind=Document.Kind.NPHD,
        organisation=organisation,
    )
    stranger = refusal(
        region,
        document_attach,
        actor=UserFactory.create(),
        upload=pdf(),
        kind=Document.Kind.DEED,
        organisation=organisation,
    )

    assert staff_kind.code == ErrorCode.PERMISSION_DENIED
    assert stranger.code == GrantsError.NOT_APPLICANT


def test_another_regions_organisation_is_not_found(
    gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    officer_a = gworld_a.world.users[Role.OFFICER]
    foreign = gworld_b.organisation

    for error in (
        refusal(gworld_a.region, organisation_verify, actor=officer_a, organisation=foreign),
        refusal(
            gworld_a.region,
            organisation_update,
            actor=officer_a,
            organisation=foreign,
            data={"name": "X"},
        ),
        refusal(
            gworld_a.region,
            document_attach,
            actor=officer_a,
            upload=pdf(),
            kind=Document.Kind.OTHER,
            organisation=foreign,
        ),
    ):
        assert error.code == ErrorCode.NOT_FOUND
