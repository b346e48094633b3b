"""The organisations' own pages: registering an organisation, submitting a proposal with
its RAB, and the proposal's later steps (resubmit, withdraw, LPJ, documents). Each page
renders in both languages; each form's happy path writes and moves, each bad input shows
its field error with nothing written; other people's and other regions' objects are 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import UserFactory

from ..forms import parse_rupiah
from ..models import Document, Organisation, Proposal
from .factories import GrantsWorld, events, pdf, proposal_at, reload

pytestmark = pytest.mark.django_db


def url(gw: GrantsWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": gw.region.slug, **kwargs})


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def count(region: Region, model: Any) -> int:
    with region_scope(region):
        return int(model.objects.filter(region=region).count())


def organisation_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Paguyuban Seni Sunda",
        "kind": "perkumpulan",
        "legal_number": "AHU-0099.AH.01.07.2019",
        "legal_date": "2019-05-02",
        "npwp": "01.234.567.8-901.000",
        "address": "Jl. Asia Afrika No. 8",
        "phone": "0812 2233 4455",
        "email": "paguyuban@example.test",
        "bank_name": "Bank BJB",
        "bank_account_number": "0012-3456-789",
        "bank_account_name": "Paguyuban Seni Sunda",
        "officers-TOTAL_FORMS": "3",
        "officers-INITIAL_FORMS": "0",
        "officers-0-position": "ketua",
        "officers-0-name": "Asep",
        "officers-1-position": "sekretaris",
        "officers-1-name": "Euis",
        "officers-2-position": "bendahara",
        "officers-2-name": "Dadang",
    }
    data.update(overrides)
    return data


def proposal_post(gw: GrantsWorld, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": gw.organisation.pk,
        "programme": gw.programme.pk,
        "title": "Pentas seni akhir tahun",
        "purpose": "Panggung untuk seniman muda",
        "location": "Taman Musik",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Sewa panggung",
        "lines-0-quantity": "1",
        "lines-0-unit": "paket",
        "lines-0-unit_price": "Rp 7.500.000",
        "lines-1-description": "Konsumsi",
        "lines-1-quantity": "100",
        "lines-1-unit": "porsi",
        "lines-1-unit_price": "25.000,50",
    }
    data.update(overrides)
    return data


# --- Pages, languages, access -------------------------------------------------------------------


def test_every_citizen_page_renders_in_indonesian_and_english(client: Client, gworld_a) -> None:
    # given an organisation's account with a returned and a disbursed proposal
    returned = proposal_at(gworld_a, "returned")
    disbursed = proposal_at(gworld_a, "disbursed")
    pages = [
        url(gworld_a, "organisation-new"),
        url(gworld_a, "my-organisations"),
        url(gworld_a, "my-organisation", pk=gworld_a.organisation.pk),
        url(gworld_a, "proposal-new"),
        url(gworld_a, "my-proposals"),
        url(gworld_a, "my-proposal", pk=returned.pk),
        url(gworld_a, "my-proposal", pk=disbursed.pk),
    ]
    login(client, gworld_a.applicant)

    # when each is opened in Indonesian, then in English
    indonesian = [client.get(p) for p in pages]
    english(client)
    in_english = [client.get(p) for p in pages]

    # then each answers in its language, with the module's sub-navigation (translations
    # of the new texts are filled later, so the language shows in the page's lang)
    for page in indonesian:
        assert page.status_code == 200
        assert b'<html lang="id"' in page.content
        assert url(gworld_a, "my-proposals").encode() in page.content
    for page in in_english:
        assert page.status_code == 200
        assert b'<html lang="en"' in page.content
        assert b"My proposals" in page.content


def test_signed_out_visitors_go_to_the_login_page(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    for page in (
        url(gworld_a, "organisation-new"),
        url(gworld_a, "my-organisations"),
        url(gworld_a, "proposal-new"),
        url(gworld_a, "my-proposals"),
        url(gworld_a, "my-proposal", pk=proposal.pk),
        url(gworld_a, "document", pk=1),
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_another_citizen_and_another_region_get_404(client: Client, gworld_a, gworld_b) -> None:
    # given a proposal in each region, and a citizen who acts for neither organisation
    mine = proposal_at(gworld_a, "returned")
    theirs = proposal_at(gworld_b, "returned")
    stranger = UserFactory.create(email="orang-lain@example.test")
    with region_scope(gworld_a.region):
        document = Document.objects.filter(region=gworld_a.region, proposal=mine).first()
    assert document is not None

    # when the stranger, then the real account, ask for them
    login(client, stranger)
    refused = [
        client.get(url(gworld_a, "my-proposal", pk=mine.pk)),
        client.get(url(gworld_a, "my-organisation", pk=gworld_a.organisation.pk)),
        client.get(url(gworld_a, "document", pk=document.pk)),
        client.post(url(gworld_a, "my-proposal-withdraw", pk=mine.pk), {"confirm": "on"}),
    ]
    login(client, gworld_a.applicant)
    foreign = [
        client.get(url(gworld_a, "my-proposal", pk=theirs.pk)),
        client.get(url(gworld_a, "my-organisation", pk=gworld_b.organisation.pk)),
        client.post(
            url(gworld_a, "my-proposal-withdraw", pk=theirs.pk),
            {"confirm": "on", "expected_version": theirs.version},
        ),
    ]

    # then every answer is the same 404 and nothing moved
    assert [r.status_code for r in refused + foreign] == [404] * 7
    assert reload(mine).state == "returned"
    assert reload(theirs).state == "returned"


def test_documents_are_served_to_the_accounts_and_staff_only(client: Client, gworld_a) -> None:
    with region_scope(gworld_a.region):
        document = Document.objects.filter(
            region=gworld_a.region, organisation=gworld_a.organisation
        ).first()
    assert document is not None
    own = login(client, gworld_a.applicant).get(url(gworld_a, "document", pk=document.pk))
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    staff = login(client, gworld_a.user(Role.OFFICER)).get(
        url(gworld_a, "document", pk=document.pk)
    )
    assert staff.status_code == 200


# --- Registering an organisation ----------------------------------------------------------------


def test_register_an_organisation_with_officers_and_a_document(client: Client, gworld_a) -> None:
    # given a signed-in citizen
    citizen = UserFactory.create(email="ketua@example.test")
    login(client, citizen)

    # when they register with the three officers and the deed
    response = client.post(
        url(gworld_a, "organisation-new"), organisation_post(doc_deed=pdf("akta.pdf"))
    )

    # then the organisation waits for verification, they act for it, and the deed is kept
    with region_scope(gworld_a.region):
        organisation = Organisation.objects.get(
            region=gworld_a.region, legal_number="AHU-0099.AH.01.07.2019"
        )
        assert organisation.accounts.filter(pk=citizen.pk).exists()
        kinds = list(organisation.documents.values_list("kind", flat=True))
    assert response.status_code == 302
    assert response["Location"] == url(gworld_a, "my-organisation", pk=organisation.pk)
    assert organisation.verification == "pending"
    assert organisation.bank_account_number == "00123456789"
    assert [o["position"] for o in organisation.officers] == ["ketua", "sekretaris", "bendahara"]
    assert kinds == ["deed"]
    assert events(gworld_a.region, "grants.organisation.register", organisation)
    mine = client.get(url(gworld_a, "my-organisations")).content.decode()
    assert "Paguyuban Seni Sunda" in mine


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"npwp": "123"}, "npwp"),
        ({"legal_date": "2999-01-01"}, "legal_date"),
        ({"officers-2-name": ""}, "officers-2-name"),
        ({"kelurahan_code": "36.71.01.1001"}, "kelurahan_code"),
    ],
)
def test_a_bad_organisation_field_is_shown_and_nothing_is_written(
    client: Client, gworld_a, overrides: dict[str, str], field: str
) -> None:
    login(client, UserFactory.create())
    before = count(gworld_a.region, Organisation)
    response = client.post(url(gworld_a, "organisation-new"), organisation_post(**overrides))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert count(gworld_a.region, Organisation) == before


def test_a_refused_document_rolls_the_registration_back(client: Client, gworld_a) -> None:
    # given a "PDF" that is really text
    fake = SimpleUploadedFile("akta.pdf", b"not a pdf at all", "application/pdf")
    login(client, UserFactory.create())
    before = count(gworld_a.region, Organisation)

    # when it comes with an otherwise valid registration
    response = client.post(url(gworld_a, "organisation-new"), organisation_post(doc_deed=fake))

    # then the error is at that document and no organisation was registered
    assert response.status_code == 422
    assert 'id="id_doc_deed_error"' in response.content.decode()
    assert count(gworld_a.region, Organisation) == before


def test_a_taken_legal_number_is_refused_at_its_field(client: Client, gworld_a) -> None:
    login(client, UserFactory.create())
    taken = gworld_a.organisation.legal_number
    response = client.post(url(gworld_a, "organisation-new"), organisation_post(legal_number=taken))
    assert response.status_code == 409
    assert 'id="id_legal_number_error"' in response.content.decode()


def test_adding_a_document_to_ones_organisation(client: Client, gworld_a) -> None:
    login(client, gworld_a.applicant)
    page = url(gworld_a, "my-organisation", pk=gworld_a.organisation.pk)
    before = count(gworld_a.region, Document)
    bad = client.post(page, {"kind": "other", "file": SimpleUploadedFile("x.pdf", b"xx")})
    assert bad.status_code == 422
    assert 'id="id_file_error"' in bad.content.decode()
    assert count(gworld_a.region, Document) == before
    good = client.post(page, {"kind": "other", "file": pdf("lain.pdf")})
    assert good.status_code == 302
    assert count(gworld_a.region, Document) == before + 1


# --- Submitting a proposal ----------------------------------------------------------------------


def test_submit_a_proposal_with_its_rab_in_indonesian_notation(client: Client, gworld_a) -> None:
    # given the organisation's account
    login(client, gworld_a.applicant)

    # when they submit two RAB lines written the Indonesian way, with the proposal document
    response = client.post(
        url(gworld_a, "proposal-new"), proposal_post(gworld_a, doc_proposal=pdf("usulan.pdf"))
    )

    # then the proposal is at the administrative check, asking the exact sum of the lines
    with region_scope(gworld_a.region):
        proposal = Proposal.objects.get(region=gworld_a.region, title="Pentas seni akhir tahun")
        lines = list(proposal.budget_lines.values_list("total", flat=True))
        kinds = list(proposal.documents.values_list("kind", flat=True))
    assert response.status_code == 302
    assert response["Location"] == url(gworld_a, "my-proposal", pk=proposal.pk)
    assert proposal.state == "submitted"
    assert lines == [Decimal("7500000.00"), Decimal("2500050.00")]
    assert proposal.amount_requested == Decimal("10000050.00")
    assert kinds == ["proposal"]
    listed = client.get(url(gworld_a, "my-proposals")).content.decode()
    assert proposal.number in listed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lines-1-unit_price": "-5000"}, "lines-1-unit_price"),
        ({"lines-0-quantity": "dua"}, "lines-0-quantity"),
        ({"title": ""}, "title"),
        (
            {
                "lines-0-description": "",
                "lines-0-quantity": "",
                "lines-0-unit": "",
                "lines-0-unit_price": "",
            },
            "lines-0-description",
        ),
    ],
)
def test_a_bad_proposal_field_is_shown_and_nothing_is_written(
    client: Client, gworld_a, overrides: dict[str, str], field: str
) -> None:
    login(client, gworld_a.applicant)
    before = count(gworld_a.region, Proposal)
    response = client.post(url(gworld_a, "proposal-new"), proposal_post(gworld_a, **overrides))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert count(gworld_a.region, Proposal) == before


def test_a_closed_programme_and_a_foreign_one_are_refused(
    client: Client, gworld_a, gworld_b
) -> None:
    login(client, gworld_a.applicant)
    with region_scope(gworld_a.region):
        gworld_a.programme.is_active = False
        gworld_a.programme.save()
    closed = client.post(url(gworld_a, "proposal-new"), proposal_post(gworld_a))
    foreign = client.post(
        url(gworld_a, "proposal-new"), proposal_post(gworld_a, programme=gworld_b.programme.pk)
    )
    for response in (closed, foreign):
        assert response.status_code == 422
        assert 'id="id_programme_error"' in response.content.decode()
    assert count(gworld_a.region, Proposal) == 0


def test_a_citizen_without_an_organisation_is_asked_to_register(client: Client, gworld_a) -> None:
    login(client, UserFactory.create())
    page = client.get(url(gworld_a, "proposal-new")).content.decode()
    assert url(gworld_a, "organisation-new") in page
    assert 'name="title"' not in page


# --- The proposal's later steps -----------------------------------------------------------------


def test_resubmit_after_a_send_back_shows_the_note_and_replaces_the_rab(
    client: Client, gworld_a
) -> None:
    # given a proposal the officer sent back with a note
    proposal = proposal_at(gworld_a, "returned")
    login(client, gworld_a.applicant)
    page = client.get(url(gworld_a, "my-proposal", pk=proposal.pk))
    assert "Akta belum dilegalisir" in page.content.decode()

    # when the account resubmits with one new RAB line
    response = client.post(
        url(gworld_a, "my-proposal-resubmit", pk=proposal.pk),
        {
            "expected_version": proposal.version,
            "note": "Akta sudah dilegalisir",
            "replace_lines": "on",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Sewa panggung",
            "lines-0-quantity": "1",
            "lines-0-unit": "paket",
            "lines-0-unit_price": "30.000.000",
        },
    )

    # then it is back at the check with the new requested amount
    fresh = reload(proposal)
    assert response.status_code == 302
    assert fresh.state == "submitted"
    assert fresh.amount_requested == Decimal("30000000")


def test_a_stale_resubmit_is_a_conflict_and_changes_nothing(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "returned")
    login(client, gworld_a.applicant)
    response = client.post(
        url(gworld_a, "my-proposal-resubmit", pk=proposal.pk),
        {"expected_version": proposal.version - 1, "note": ""},
    )
    assert response.status_code == 409
    assert 'data-error="page"' in response.content.decode()
    assert reload(proposal).state == "returned"


def test_withdraw_needs_the_confirmation(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    login(client, gworld_a.applicant)
    target = url(gworld_a, "my-proposal-withdraw", pk=proposal.pk)
    unconfirmed = client.post(target, {"expected_version": proposal.version})
    assert unconfirmed.status_code == 422
    assert 'id="id_confirm_error"' in unconfirmed.content.decode()
    assert reload(proposal).state == "submitted"
    done = client.post(target, {"expected_version": proposal.version, "confirm": "on"})
    assert done.status_code == 302
    assert reload(proposal).state == "withdrawn"


def test_the_lpj_needs_its_document(client: Client, gworld_a) -> None:
    # given a disbursed proposal
    proposal = proposal_at(gworld_a, "disbursed")
    login(client, gworld_a.applicant)
    target = url(gworld_a, "my-proposal-lpj", pk=proposal.pk)

    # when the LPJ comes without its file, then with it
    missing = client.post(target, {"expected_version": proposal.version})
    kept = reload(proposal).state
    done = client.post(target, {"expected_version": proposal.version, "document": pdf("lpj.pdf")})

    # then the first is refused at the file and the second hands the LPJ in
    assert missing.status_code == 422
    assert 'id="id_document_error"' in missing.content.decode()
    assert kept == "disbursed"
    assert done.status_code == 302
    assert reload(proposal).state == "lpj_submitted"


def test_adding_a_document_to_a_proposal(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    login(client, gworld_a.applicant)
    target = url(gworld_a, "my-proposal-document", pk=proposal.pk)
    assert client.get(target).status_code == 302  # a GET goes back to the page
    with region_scope(gworld_a.region):
        before = proposal.documents.count()
    bad = client.post(target, {"kind": "nphd", "file": pdf()})  # staff's kind only
    assert bad.status_code == 422
    assert 'id="id_kind_error"' in bad.content.decode()
    good = client.post(target, {"kind": "rab", "file": pdf("rab.pdf")})
    assert good.status_code == 302
    with region_scope(gworld_a.region):
        assert proposal.documents.count() == before + 1


def test_parse_rupiah_reads_both_notations_and_refuses_words() -> None:
    assert parse_rupiah("Rp 1.500.000") == Decimal("1500000")
    assert parse_rupiah("1.250.000,50") == Decimal("1250000.50")
    assert parse_rupiah("2500.75") == Decimal("2500.75")
    assert parse_rupiah("1.500") == Decimal("1500")
    assert parse_rupiah("satu juta") is None
    assert parse_rupiah("NaN") is None
