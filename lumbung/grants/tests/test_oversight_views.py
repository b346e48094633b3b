"""Oversight pages: red flags with their explanation and evidence, dismissal with a reason,
suspicions from the public (both routes) and their review, PDFs, and the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.complaints.tests.factories import enable_complaints
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import FlagKind, Person, Proposal, RedFlag, Suspicion
from ..services.flags import flag_dismiss, flags_refresh
from . import flag_factories as f

pytestmark = pytest.mark.django_db
TEXT = "Alamat yayasan ini ternyata rumah kosong, tidak ada kegiatan."


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    f.enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return f.enable_grants(world_b)


def url(world: RegionWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": world.region.slug, **kwargs})


def as_(client: Client, world: RegionWorld, role: Role) -> Client:
    return login(client, world.users[role])


def rising(world: RegionWorld) -> Proposal:
    """A proposal whose considered amount rose without a justification."""
    p = f.proposal(world.region, state="tapd")
    f.amount_change(world.region, p, "requested", 100, None)
    f.amount_change(world.region, p, "considered", 120, 100)
    return p


def twins(world: RegionWorld) -> None:
    """Two people with the same name, birth date and village: a possible duplicate."""
    for _ in range(2):
        f.person(world.region, name="Siti Aminah")


# Red flags ----------------------------------------------------------------------------------


def test_refresh_then_list_explains_each_flag_and_links_its_evidence(
    client: Client, ga: RegionWorld, english: Any
) -> None:
    # given records that raise two flags, and an auditor who presses "refresh now"
    proposal = rising(ga)
    twins(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    refreshed = auditor.post(url(ga, "flags-refresh"))
    assert refreshed.status_code == 302
    assert RedFlag.objects.filter(region=ga.region, is_current=True).count() == 2
    # when they open the list
    page = auditor.get(url(ga, "flags")).content.decode()
    # then each flag is explained, and the proposal links to the staff's page of it
    assert "is above the previous stage" in page
    assert "may be one person registered twice" in page
    assert url(ga, "case", pk=proposal.pk) in page
    assert "Flags refreshed: 2 new" in page


def test_a_flag_page_shows_masked_nik_and_speaks_both_languages(
    client: Client, ga: RegionWorld
) -> None:
    rising(ga)
    twins(ga)
    flags_refresh(region=ga.region)
    dup = RedFlag.objects.get(region=ga.region, kind=FlagKind.DUPLICATE_PERSON)
    rise = RedFlag.objects.get(region=ga.region, kind=FlagKind.AMOUNT_RISE)
    officer = as_(client, ga, Role.OFFICER)
    people = officer.get(url(ga, "flag", pk=dup.pk)).content.decode()
    assert "Siti Aminah" in people
    for person in Person.objects.filter(region=ga.region, pk__in=dup.evidence["persons"]):
        assert person.nik not in people
        assert f"••••{person.nik[-4:]}" in people
    indonesian = officer.get(url(ga, "flag", pk=rise.pk)).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = officer.get(url(ga, "flag", pk=rise.pk)).content.decode()
    assert '<html lang="id"' in indonesian
    assert "Hibah Kemasyarakatan 2026" in indonesian
    assert '<html lang="en"' in english
    assert "Community grants 2026" in english
    # an officer sees flags but may not dismiss them: no form
    assert 'name="reason"' not in english


def test_the_list_filters_by_kind_and_status(client: Client, ga: RegionWorld) -> None:
    rising(ga)
    twins(ga)
    flags_refresh(region=ga.region)
    dup = RedFlag.objects.get(region=ga.region, kind=FlagKind.DUPLICATE_PERSON)
    rise = RedFlag.objects.get(region=ga.region, kind=FlagKind.AMOUNT_RISE)
    flag_dismiss(region=ga.region, actor=ga.users[Role.AUDITOR], flag=dup, reason="Kembar.")
    auditor = as_(client, ga, Role.AUDITOR)

    def shown(**query: str) -> set[int]:
        page = auditor.get(url(ga, "flags"), query).content.decode()
        return {x.pk for x in (dup, rise) if url(ga, "flag", pk=x.pk) in page}

    assert shown() == {rise.pk}  # current by default
    assert shown(status="dismissed") == {dup.pk}
    assert shown(status="all") == {dup.pk, rise.pk}
    assert shown(status="all", kind=FlagKind.DUPLICATE_PERSON) == {dup.pk}
    RedFlag.objects.filter(pk=rise.pk).update(is_current=False)
    assert shown(status="gone") == {rise.pk}
    assert shown() == set()


def test_dismissing_needs_a_reason_and_is_audited(
    client: Client, ga: RegionWorld, english: Any
) -> None:
    rising(ga)
    flags_refresh(region=ga.region)
    flag = RedFlag.objects.get(region=ga.region)
    auditor = as_(client, ga, Role.AUDITOR)
    # when the reason is left empty
    empty = auditor.post(url(ga, "flag-dismiss", pk=flag.pk), {"reason": "  "})
    # then the form says so by the field, and nothing is written
    assert empty.status_code == 422
    assert 'id="id_reason_error"' in empty.content.decode()
    flag.refresh_from_db()
    assert flag.dismissed_at is None
    assert not AuditEvent.objects.filter(region=ga.region, action="grants.flag.dismiss").exists()
    # when a reason is given
    done = auditor.post(url(ga, "flag-dismiss", pk=flag.pk), {"reason": "Harga naik, ada SPH."})
    assert done.status_code == 302
    flag.refresh_from_db()
    assert flag.dismissal_reason == "Harga naik, ada SPH."
    event = AuditEvent.objects.get(region=ga.region, action="grants.flag.dismiss")
    assert event.actor == ga.users[Role.AUDITOR]
    # a second dismissal is refused
    again = auditor.post(url(ga, "flag-dismiss", pk=flag.pk), {"reason": "lagi"})
    assert again.status_code == 409
    assert "already dismissed" in again.content.decode()
    flag.refresh_from_db()
    assert flag.dismissal_reason == "Harga naik, ada SPH."


def test_an_officer_cannot_dismiss(client: Client, ga: RegionWorld) -> None:
    rising(ga)
    flags_refresh(region=ga.region)
    flag = RedFlag.objects.get(region=ga.region)
    response = as_(client, ga, Role.OFFICER).post(
        url(ga, "flag-dismiss", pk=flag.pk), {"reason": "bukan urusan saya"}
    )
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.dismissed_at is None


@pytest.mark.parametrize(
    "name", ["flags", "suspicions", "flags-refresh"], ids=["flags", "suspicions", "refresh"]
)
def test_citizens_get_403_and_strangers_the_login_page(
    client: Client, ga: RegionWorld, name: str
) -> None:
    stranger = client.get(url(ga, name))
    assert stranger.status_code == 302
    assert django_settings.LOGIN_URL in stranger["Location"] or "login" in stranger["Location"]
    assert as_(client, ga, Role.CITIZEN).get(url(ga, name)).status_code == 403


def test_the_suspicions_are_for_auditors_and_region_admins(client: Client, ga: RegionWorld) -> None:
    assert as_(client, ga, Role.OFFICER).get(url(ga, "suspicions")).status_code == 403
    assert as_(client, ga, Role.UNIT_HEAD).get(url(ga, "suspicions")).status_code == 403
    assert as_(client, ga, Role.REGION_ADMIN).get(url(ga, "suspicions")).status_code == 200


def test_another_regions_flag_and_suspicion_are_not_found(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    with region_scope(gb.region):
        rising(gb)
        flags_refresh(region=gb.region)
        theirs = RedFlag.objects.get(region=gb.region)
        suspicion = Suspicion.objects.create(
            region=gb.region, proposal=f.proposal(gb.region), text=TEXT
        )
    auditor = as_(client, ga, Role.AUDITOR)
    assert auditor.get(url(ga, "flag", pk=theirs.pk)).status_code == 404
    assert auditor.post(url(ga, "flag-dismiss", pk=theirs.pk), {"reason": "x"}).status_code == 404
    assert auditor.get(url(ga, "suspicion", pk=suspicion.pk)).status_code == 404
    posted = auditor.post(url(ga, "suspicion", pk=suspicion.pk), {"outcome": "x"})
    assert posted.status_code == 404
    with region_scope(gb.region):
        theirs.refresh_from_db()
        suspicion.refresh_from_db()
    assert theirs.dismissed_at is None
    assert suspicion.reviewed_at is None


# Suspicions from the public ---------------------------------------------------------------


def test_the_proposal_page_links_to_the_report_form(client: Client, ga: RegionWorld) -> None:
    proposal = f.proposal(ga.region)
    page = client.get(url(ga, "proposal", public_id=proposal.public_id)).content.decode()
    assert url(ga, "suspicion-proposal", public_id=proposal.public_id) in page


def test_without_complaints_an_anonymous_report_waits_for_the_auditors(
    client: Client, ga: RegionWorld, english: Any
) -> None:
    # given a proposal, and an anonymous visitor on its report form
    proposal = f.proposal(ga.region, state="decided", final=90_000_000)
    form_url = url(ga, "suspicion-proposal", public_id=proposal.public_id)
    assert proposal.number in client.get(form_url).content.decode()
    # when they send it
    sent = client.post(form_url, {"text": TEXT, "contact_email": ""})
    # then they see a confirmation, once, and the auditors have a review task
    assert sent.status_code == 302
    confirmation = client.get(sent["Location"])
    assert "auditors were told" in confirmation.content.decode()
    assert client.get(sent["Location"]).status_code == 302  # shown once
    raised = Suspicion.objects.get(region=ga.region)
    assert raised.proposal == proposal
    assert raised.complaint is None
    assert raised.reporter is None
    auditor = as_(client, ga, Role.AUDITOR)
    listed = auditor.get(url(ga, "suspicions")).content.decode()
    assert url(ga, "suspicion", pk=raised.pk) in listed
    # the review needs an outcome, then takes it off the list
    empty = auditor.post(url(ga, "suspicion", pk=raised.pk), {"outcome": ""})
    assert empty.status_code == 422
    assert 'id="id_outcome_error"' in empty.content.decode()
    done = auditor.post(url(ga, "suspicion", pk=raised.pk), {"outcome": "Dicek: ada kegiatan."})
    assert done.status_code == 302
    raised.refresh_from_db()
    assert raised.outcome == "Dicek: ada kegiatan."
    assert (
        url(ga, "suspicion", pk=raised.pk)
        not in auditor.get(url(ga, "suspicions")).content.decode()
    )


def test_with_complaints_a_report_becomes_a_private_complaint(
    client: Client, ga: RegionWorld
) -> None:
    enable_complaints(ga)
    proposal = f.proposal(ga.region)
    sent = client.post(
        url(ga, "suspicion-proposal", public_id=proposal.public_id),
        {"text": TEXT, "contact_email": "warga@example.test"},
    )
    raised = Suspicion.objects.get(region=ga.region)
    assert raised.complaint is not None
    assert raised.complaint.is_public is False
    confirmation = client.get(sent["Location"]).content.decode()
    assert raised.complaint.ticket in confirmation
    auditor = as_(client, ga, Role.AUDITOR)
    assert (
        url(ga, "suspicion", pk=raised.pk)
        not in auditor.get(url(ga, "suspicions")).content.decode()
    )


def test_a_report_about_a_bansos_recipient(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    programme = f.bansos_cycle(ga.region, 2026).programme
    with region_scope(gb.region):
        foreign = f.bansos_cycle(gb.region, 2026, code="pkh").programme
    form_url = url(ga, "suspicion-recipient")
    page = client.get(form_url).content.decode()
    assert f'value="{programme.pk}"' in page
    assert f'value="{foreign.pk}"' not in page
    data = {"programme": programme.pk, "recipient_name": "Budi Santoso", "text": TEXT}
    # another region's programme is not a choice here
    refused = client.post(form_url, {**data, "programme": foreign.pk})
    assert refused.status_code == 422
    assert not Suspicion.objects.filter(region=ga.region).exists()
    assert client.post(form_url, data).status_code == 302
    raised = Suspicion.objects.get(region=ga.region)
    assert (raised.programme, raised.recipient_name) == (programme, "Budi Santoso")


def test_bad_input_is_shown_by_the_field_and_writes_nothing(
    client: Client, ga: RegionWorld
) -> None:
    proposal = f.proposal(ga.region)
    response = client.post(
        url(ga, "suspicion-proposal", public_id=proposal.public_id),
        {"text": "pendek", "contact_email": "bukan-email"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_text_error"' in body
    assert 'id="id_contact_email_error"' in body
    assert not Suspicion.objects.filter(region=ga.region).exists()


def test_too_many_anonymous_reports_get_a_429_with_the_wait(
    client: Client, ga: RegionWorld, settings: Any, english: Any
) -> None:
    settings.LUMBUNG_GRANTS_SUSPICION_LIMITS = {"address": "1/h", "contact": "5/h"}
    proposal = f.proposal(ga.region)
    form_url = url(ga, "suspicion-proposal", public_id=proposal.public_id)
    assert client.post(form_url, {"text": TEXT}).status_code == 302
    limited = client.post(form_url, {"text": TEXT})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "Try again in" in limited.content.decode()
    assert Suspicion.objects.filter(region=ga.region).count() == 1


def test_another_regions_proposal_has_no_report_form(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    with region_scope(gb.region):
        theirs = f.proposal(gb.region)
    form_url = url(ga, "suspicion-proposal", public_id=theirs.public_id)
    assert client.get(form_url).status_code == 404
    assert client.post(form_url, {"text": TEXT}).status_code == 404


# PDFs -------------------------------------------------------------------------------------


def funded(world: RegionWorld) -> tuple[Proposal, Any]:
    proposal = f.proposal(world.region, state="disbursed", final=90_000_000)
    return proposal, f.tranche(world.region, proposal, dt.date(2026, 3, 9), 45_000_000)


def test_the_documents_are_pdf_attachments(client: Client, ga: RegionWorld) -> None:
    proposal, tranche = funded(ga)
    officer = as_(client, ga, Role.OFFICER)
    for name, pk in (
        ("pdf-nominative", proposal.programme_id),
        ("pdf-nphd", proposal.pk),
        ("pdf-disbursement", tranche.pk),
    ):
        response = officer.get(url(ga, name, pk=pk))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert b"%%EOF" in response.content[-64:]
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert response["Content-Disposition"].endswith('.pdf"')
    nphd = officer.get(url(ga, "pdf-nphd", pk=proposal.pk))
    assert f"{proposal.number}-NPHD.pdf" in nphd["Content-Disposition"]


def test_documents_are_for_staff_and_of_the_region_only(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    mine, _ = funded(ga)
    unfinished = f.proposal(ga.region)  # no final amount: no NPHD yet
    with region_scope(gb.region):
        theirs, their_tranche = funded(gb)
    assert client.get(url(ga, "pdf-nphd", pk=mine.pk)).status_code == 302  # to the login
    assert as_(client, ga, Role.CITIZEN).get(url(ga, "pdf-nphd", pk=mine.pk)).status_code == 403
    auditor = as_(client, ga, Role.AUDITOR)
    assert auditor.get(url(ga, "pdf-nphd", pk=mine.pk)).status_code == 200
    assert auditor.get(url(ga, "pdf-nphd", pk=unfinished.pk)).status_code == 404
    assert auditor.get(url(ga, "pdf-nphd", pk=theirs.pk)).status_code == 404
    assert auditor.get(url(ga, "pdf-nominative", pk=theirs.programme_id)).status_code == 404
    assert auditor.get(url(ga, "pdf-disbursement", pk=their_tranche.pk)).status_code == 404


# Open data --------------------------------------------------------------------------------


def test_open_data_has_the_regions_awarded_grants_only(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    awarded = f.proposal(ga.region, state="decided", final=90_000_000)
    waiting = f.proposal(ga.region, state="evaluation")
    older = f.proposal(ga.region, year=2025, state="closed", final=10_000_000)
    with region_scope(gb.region):
        theirs = f.proposal(gb.region, state="decided", final=70_000_000)
    page = client.get(url(ga, "opendata")).content.decode()
    assert url(ga, "opendata-json") in page
    assert "CC BY 4.0" in page
    package = client.get(url(ga, "opendata-json")).json()
    titles = {g["title"] for g in package["grants"]}
    assert titles == {awarded.title, older.title}
    assert theirs.title not in titles
    assert waiting.title not in titles
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    year = client.get(url(ga, "opendata-json"), {"year": 2025}).json()
    assert [g["title"] for g in year["grants"]] == [older.title]
    sheet = client.get(url(ga, "opendata-csv"))
    assert sheet["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode())))
    assert {r["Title"] for r in rows} == {awarded.title, older.title}
    assert client.get(url(ga, "opendata-csv"), {"year": "20x5"}).status_code == 400
