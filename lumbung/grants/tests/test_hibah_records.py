"""A payment's proofs added after it was recorded (service, page and API), uploaded
documents downloaded through the API, the generated PDFs linked from the staff's pages,
and the overdue LPJ list in the API; another region's ids are 404s."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.errors import DomainError, NotFound, ValidationFailed
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import Document, Proposal, Tranche
from ..services.disbursement import tranche_proof_attach
from ..services.documents import document_attach
from ..workflow import AGREEMENT, DISBURSED
from .factories import FINAL, GrantsWorld, events, pdf, png, proposal_at, reload
from .test_disbursement import pay

pytestmark = pytest.mark.django_db


def paid(gw: GrantsWorld, **kwargs: object) -> Tranche:
    """A proposal paid in one tranche (half the final amount)."""
    return pay(gw, proposal_at(gw, AGREEMENT), FINAL / 2, **kwargs)


def api(gw: GrantsWorld, path: str) -> str:
    return f"/api/v1/regions/{gw.region.slug}/grants{path}"


def page(gw: GrantsWorld, name: str, **kwargs: object) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": gw.region.slug, **kwargs})


def proofs(tranche: Tranche) -> list[Document]:
    with region_scope(tranche.region):
        return list(Document.objects.filter(region=tranche.region, tranche=tranche))


# A payment's proofs ---------------------------------------------------------------------


def test_a_proof_at_payment_and_later_ones_belong_to_the_tranche(gworld_a: GrantsWorld) -> None:
    # given a tranche recorded with its transfer proof
    tranche = paid(gworld_a, proof=png())
    officer = gworld_a.world.users[Role.OFFICER]
    # when the SP2D arrives later and is attached to the same payment
    with region_scope(gworld_a.region):
        later = tranche_proof_attach(
            region=gworld_a.region, actor=officer, tranche=tranche, upload=pdf("sp2d.pdf")
        )
    # then the tranche has both, as transfer proofs of its proposal, each audited
    found = proofs(tranche)
    assert [d.kind for d in found] == ["transfer", "transfer"]
    assert {d.proposal_id for d in found} == {tranche.proposal_id}
    assert (later.filename, later.content_type) == ("sp2d.pdf", "application/pdf")
    attached = events(gworld_a.region, "grants.document.attach", later)
    assert attached[0].changes["tranche"] == 1


def test_a_proof_is_checked_by_content_and_only_officers_attach(gworld_a: GrantsWorld) -> None:
    tranche = paid(gworld_a)
    region, users = gworld_a.region, gworld_a.world.users
    fake = SimpleUploadedFile("sp2d.pdf", b"MZ not a pdf", "application/pdf")
    with region_scope(region):
        with pytest.raises(ValidationFailed) as refused:
            tranche_proof_attach(
                region=region, actor=users[Role.OFFICER], tranche=tranche, upload=fake
            )
        assert "file" in refused.value.field_errors
        with pytest.raises(DomainError) as auditor:
            tranche_proof_attach(
                region=region, actor=users[Role.AUDITOR], tranche=tranche, upload=pdf()
            )
        assert auditor.value.code == "action_not_allowed"
    assert proofs(tranche) == []


def test_another_regions_tranche_is_not_found(gworld_a: GrantsWorld, gworld_b: GrantsWorld) -> None:
    tranche = paid(gworld_b)
    with region_scope(gworld_a.region), pytest.raises(NotFound):
        tranche_proof_attach(
            region=gworld_a.region,
            actor=gworld_a.world.users[Role.OFFICER],
            tranche=tranche,
            upload=pdf(),
        )
    assert proofs(tranche) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_case_page_lists_proofs_and_attaches_one(
    client: Client, gworld_a: GrantsWorld, language: str
) -> None:
    # given a paid proposal, and its officer on the case page in one language
    tranche = paid(gworld_a)
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    case = officer.get(page(gworld_a, "case", pk=tranche.proposal_id)).content.decode()
    form_url = page(gworld_a, "tranche-proof", pk=tranche.pk)
    assert form_url in case
    assert page(gworld_a, "pdf-disbursement", pk=tranche.pk) in case
    assert page(gworld_a, "pdf-nphd", pk=tranche.proposal_id) in case
    form = officer.get(form_url)
    assert form.status_code == 200
    assert f'<html lang="{language}"' in form.content.decode()
    # when a proof is posted, then it is attached and listed on the case page
    done = officer.post(form_url, {"proof": pdf("sp2d.pdf")}, follow=True)
    assert done.redirect_chain[-1][0] == page(gworld_a, "case", pk=tranche.proposal_id)
    [proof] = proofs(tranche)
    assert page(gworld_a, "document", pk=proof.pk) in done.content.decode()


def test_the_proof_page_shows_field_errors_and_refuses_other_regions(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    tranche, theirs = paid(gworld_a), paid(gworld_b)
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    empty = officer.post(page(gworld_a, "tranche-proof", pk=tranche.pk), {})
    assert empty.status_code == 422
    assert 'id="id_proof_error"' in empty.content.decode()
    bad = officer.post(
        page(gworld_a, "tranche-proof", pk=tranche.pk),
        {"proof": ContentFile(b"plain text", name="x.pdf")},
    )
    assert bad.status_code == 422
    assert 'id="id_proof_error"' in bad.content.decode()
    for method in (officer.get, officer.post):
        assert method(page(gworld_a, "tranche-proof", pk=theirs.pk)).status_code == 404
    assert proofs(tranche) == []
    assert proofs(theirs) == []


def test_the_api_attaches_a_proof_and_lists_it_with_the_tranche(
    client: Client, gworld_a: GrantsWorld
) -> None:
    tranche = paid(gworld_a)
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    created = officer.post(api(gworld_a, f"/tranches/{tranche.pk}/proofs"), {"file": png()})
    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["tranche_id"], body["content_type"]) == (
        "transfer",
        tranche.pk,
        "image/png",
    )
    listed = officer.get(api(gworld_a, f"/proposals/{tranche.proposal_id}/tranches")).json()
    assert [p["id"] for p in listed[0]["proofs"]] == [body["id"]]


def test_the_api_refuses_proofs_with_problem_details(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    tranche, theirs = paid(gworld_a), paid(gworld_b)
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    bad = officer.post(
        api(gworld_a, f"/tranches/{tranche.pk}/proofs"),
        {"file": ContentFile(b"plain text", name="x.pdf")},
    )
    assert (bad.status_code, problem_of(bad)["code"]) == (422, "validation_error")
    assert "file" in problem_of(bad)["errors"]
    foreign = officer.post(api(gworld_a, f"/tranches/{theirs.pk}/proofs"), {"file": pdf()})
    assert (foreign.status_code, problem_of(foreign)["code"]) == (404, "not_found")
    applicant = login(client, gworld_a.applicant)
    denied = applicant.post(api(gworld_a, f"/tranches/{tranche.pk}/proofs"), {"file": pdf()})
    assert (denied.status_code, problem_of(denied)["code"]) == (403, "action_not_allowed")
    assert proofs(tranche) == []
    assert proofs(theirs) == []


# Uploaded documents through the API -------------------------------------------------------


def _document(gw: GrantsWorld) -> Document:
    proposal = proposal_at(gw, "submitted")
    with region_scope(gw.region):
        return document_attach(
            region=gw.region,
            actor=gw.applicant,
            upload=pdf("rab.pdf"),
            kind="rab",
            proposal=proposal,
        )


def test_staff_and_the_organisations_accounts_download_a_document(
    client: Client, gworld_a: GrantsWorld
) -> None:
    document = _document(gworld_a)
    for user in (gworld_a.world.users[Role.AUDITOR], gworld_a.applicant):
        response = login(client, user).get(api(gworld_a, f"/documents/{document.pk}"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="rab.pdf"'
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_anyone_else_gets_a_404_for_a_document(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    document, theirs = _document(gworld_a), _document(gworld_b)
    stranger = login(client, gworld_a.world.users[Role.CITIZEN])
    response = stranger.get(api(gworld_a, f"/documents/{document.pk}"))
    assert (response.status_code, problem_of(response)["code"]) == (404, "not_found")
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    foreign = officer.get(api(gworld_a, f"/documents/{theirs.pk}"))
    assert (foreign.status_code, problem_of(foreign)["code"]) == (404, "not_found")


def test_the_api_downloads_the_generated_pdfs(client: Client, gworld_a: GrantsWorld) -> None:
    tranche = paid(gworld_a)
    officer = login(client, gworld_a.world.users[Role.OFFICER])
    for path in (
        f"/documents/disbursement/{tranche.pk}",
        f"/documents/nphd/{tranche.proposal_id}",
        f"/documents/nominative/{gworld_a.programme.pk}",
    ):
        response = officer.get(api(gworld_a, path))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf", path


# The overdue LPJ list through the API -----------------------------------------------------


def _overdue(gw: GrantsWorld, tranche: Tranche, days: int) -> Proposal:
    with region_scope(gw.region):
        Proposal.objects.filter(region=gw.region, pk=tranche.proposal_id).update(
            lpj_due_on=dt.date.today() - dt.timedelta(days=days)
        )
    return reload(tranche.proposal)


def test_the_api_lists_overdue_lpjs_longest_first(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    # given two overdue grants here (3 and 40 days), one not yet due and one elsewhere
    # (paid first: an organisation with an overdue LPJ cannot submit another proposal)
    tranches = [paid(gworld_a) for _n in range(3)]
    recent, oldest = _overdue(gworld_a, tranches[0], 3), _overdue(gworld_a, tranches[1], 40)
    theirs = _overdue(gworld_b, paid(gworld_b), 10)
    # when the auditor reads the list
    auditor = login(client, gworld_a.world.users[Role.AUDITOR])
    response = auditor.get(api(gworld_a, "/lpj-overdue"))
    # then only this region's overdue ones, the longest overdue first
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [oldest.pk, recent.pk]
    assert theirs.pk not in [i["id"] for i in items]
    first = items[0]
    assert first["number"] == oldest.number
    assert first["organisation"]["name"] == gworld_a.organisation.name
    assert first["lpj_due_on"] == str(oldest.lpj_due_on)
    assert first["days_overdue"] >= 39  # the region's today may be a day from the server's
    assert Decimal(first["amount_disbursed"]) == FINAL / 2
    assert oldest.state == DISBURSED


def test_the_overdue_list_is_for_staff_and_auditors(client: Client, gworld_a: GrantsWorld) -> None:
    citizen = login(client, gworld_a.applicant)
    response = citizen.get(api(gworld_a, "/lpj-overdue"))
    assert (response.status_code, problem_of(response)["code"]) == (403, "permission_denied")
