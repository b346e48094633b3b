"""The region admin takes a document off a permit type: deleted when nobody uploaded one,
retired when someone did (no longer asked of anyone; the documents uploaded stay as they
were, and the officers still check them), restored by adding it again. On the page and in
the API, each change audited, another region's type or document a 404, bad input refused and
staff without the admin's rights refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..errors import PermitsError
from ..models import Application, ApplicationDocument, PermitType, Requirement
from ..selectors import requirements_for
from ..services.applications import application_resubmit
from ..services.catalogue import requirement_save
from ..services.catalogue_removal import requirement_remove, requirement_restore
from ..services.stages import application_request_correction
from .factories import PHARMACY, PermitsWorld, apply, pdf, png, reload, to_stage
from .test_api_public import as_

pytestmark = pytest.mark.django_db


def events(pw: PermitsWorld, action: str) -> list[AuditEvent]:
    with region_scope(pw.region):
        return list(AuditEvent.objects.filter(region=pw.region, action=action))


def requirement(pw: PermitsWorld, code: str, t: PermitType | None = None) -> Requirement:
    """The type's requirement with this code, retired or not."""
    with region_scope(pw.region):
        return Requirement.with_retired.get(
            region=pw.region, permit_type=t or pw.permit_type, code=code
        )


def asked(pw: PermitsWorld) -> list[str]:
    """The documents an applicant for a pharmacy is asked for now."""
    with region_scope(pw.region):
        plan = requirements_for(pw.region, [PHARMACY], Decimal("300000000"))
    return [r.code for r in plan.requirements]


def documents(app: Application) -> list[ApplicationDocument]:
    with region_scope(app.region):
        found = ApplicationDocument.objects.filter(region=app.region, application=app)
        return list(found.select_related("requirement").order_by("pk"))


def remove(pw: PermitsWorld, code: str) -> str:
    with region_scope(pw.region):
        return requirement_remove(
            region=pw.region, actor=pw.user(Role.REGION_ADMIN), requirement=requirement(pw, code)
        )


# The services ------------------------------------------------------------------------------


def test_a_document_nobody_uploaded_is_deleted(pworld_a: PermitsWorld) -> None:
    # given the optional photo, which nobody has uploaded
    pk = requirement(pworld_a, "foto").pk
    # when the admin removes it
    outcome = remove(pworld_a, "foto")
    # then it is gone, and the audit log says what it was
    assert outcome == "deleted"
    with region_scope(pworld_a.region):
        assert not Requirement.with_retired.filter(region=pworld_a.region, pk=pk).exists()
    (event,) = events(pworld_a, "permits.requirement.delete")
    assert (event.object_id, event.changes["code"]) == (str(pk), "foto")
    assert asked(pworld_a) == ["denah", "ktp"]


def test_a_document_already_uploaded_is_retired_and_the_uploads_stay(
    pworld_a: PermitsWorld,
) -> None:
    # given an application that uploaded the site plan
    app = apply(pworld_a)
    before = [(d.pk, d.requirement_id, d.filename, d.size) for d in documents(app)]
    # when the admin removes the site plan
    outcome = remove(pworld_a, "denah")
    # then it is retired: no longer asked of anyone, its uploads as they were
    assert outcome == "retired"
    assert asked(pworld_a) == ["ktp", "foto"]
    kept = documents(app)
    assert [(d.pk, d.requirement_id, d.filename, d.size) for d in kept] == before
    assert kept[0].requirement.code == "denah"  # the document still names what it was for
    assert [e.changes["code"] for e in events(pworld_a, "permits.requirement.retire")] == ["denah"]
    # and a second removal changes nothing
    assert remove(pworld_a, "denah") == "retired"
    assert len(events(pworld_a, "permits.requirement.retire")) == 1


def test_the_application_goes_on_with_its_documents_and_new_ones_need_not_send_it(
    pworld_a: PermitsWorld,
) -> None:
    app = apply(pworld_a)
    remove(pworld_a, "denah")
    # the officer still checks both documents the applicant sent, and the case moves on
    moved = to_stage(pworld_a, app, "recommendation")
    assert moved.state == "recommendation"
    assert all(d.check_passed for d in documents(app))
    # a new applicant is not asked for the site plan any more
    newcomer = apply(pworld_a, documents={"ktp": png()})
    assert newcomer.state == "document_check"
    assert [d.requirement.code for d in documents(newcomer)] == ["ktp"]


def test_adding_the_same_code_again_restores_it(pworld_a: PermitsWorld) -> None:
    apply(pworld_a)
    remove(pworld_a, "denah")
    with region_scope(pworld_a.region):
        again = requirement_save(
            region=pworld_a.region, actor=None, permit_type=pworld_a.permit_type, code="denah",
            name_id="Denah lokasi usaha", name_en="Site plan", format="pdf",
        )  # fmt: skip
    assert again.pk == requirement(pworld_a, "denah").pk  # the same row, its uploads with it
    assert again.is_active
    assert asked(pworld_a) == ["denah", "ktp", "foto"]
    last = events(pworld_a, "permits.requirement.save")[-1]
    assert (last.changes["restored"], last.changes["created"]) == (True, False)


def test_a_retired_document_is_required_again(pworld_a: PermitsWorld) -> None:
    apply(pworld_a)
    remove(pworld_a, "denah")
    with region_scope(pworld_a.region):
        requirement_restore(
            region=pworld_a.region, actor=None, requirement=requirement(pworld_a, "denah")
        )
    assert asked(pworld_a) == ["denah", "ktp", "foto"]
    assert len(events(pworld_a, "permits.requirement.restore")) == 1


def test_another_regions_document_is_not_found_by_the_services(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = requirement(pworld_b, "foto")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        requirement_remove(region=pworld_a.region, actor=None, requirement=theirs)
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert requirement(pworld_b, "foto").is_active


# The pages ---------------------------------------------------------------------------------


def page(pw: PermitsWorld, t: PermitType | None = None) -> str:
    return f"/{pw.region.slug}/permits/staff/catalogue/types/{(t or pw.permit_type).pk}/"


def test_the_type_page_removes_a_document_and_brings_it_back(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    plan = requirement(pworld_a, "denah")
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    shown = client.get(page(pworld_a)).content.decode()
    assert f'name="requirement" value="{plan.pk}"' in shown
    removed = client.post(page(pworld_a), {"form": "remove", "requirement": plan.pk})
    assert removed.status_code == 302
    assert not requirement(pworld_a, "denah").is_active
    assert len(documents(app)) == 2
    after = client.get(page(pworld_a)).content.decode()
    assert 'name="form" value="restore"' in after  # listed as removed, with the way back
    restored = client.post(page(pworld_a), {"form": "restore", "requirement": plan.pk})
    assert restored.status_code == 302
    assert requirement(pworld_a, "denah").is_active
    photo = requirement(pworld_a, "foto")
    assert (
        client.post(page(pworld_a), {"form": "remove", "requirement": photo.pk}).status_code == 302
    )
    assert len(events(pworld_a, "permits.requirement.delete")) == 1


def test_the_staff_case_page_still_shows_a_retired_documents_upload(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    remove(pworld_a, "denah")
    client.force_login(pworld_a.user(Role.OFFICER))
    case = client.get(f"/{pworld_a.region.slug}/permits/staff/applications/{app.pk}/")
    assert case.status_code == 200
    assert "Denah lokasi" in case.content.decode()


@pytest.mark.parametrize("posted", ["", "x1", "999999999"])
def test_a_document_that_is_not_the_types_is_a_404(
    client: Client, pworld_a: PermitsWorld, posted: str
) -> None:
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    assert client.post(page(pworld_a), {"form": "remove", "requirement": posted}).status_code == 404


def test_another_types_or_regions_document_is_a_404_and_stays(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    admin = pworld_a.user(Role.REGION_ADMIN)
    with region_scope(pworld_a.region):
        other = PermitType.objects.create(
            region=pworld_a.region, code="reklame", name_id="Reklame", name_en="Billboard"
        )
        requirement_save(region=pworld_a.region, actor=admin, permit_type=other, code="desain",
                         name_id="Desain", name_en="Design", format="image")  # fmt: skip
    design, theirs = requirement(pworld_a, "desain", other), requirement(pworld_b, "foto")
    client.force_login(admin)
    # another type's document under this type's page
    assert (
        client.post(page(pworld_a), {"form": "remove", "requirement": design.pk}).status_code == 404
    )
    # another region's document under this region's type, and under its own type's id
    assert (
        client.post(page(pworld_a), {"form": "remove", "requirement": theirs.pk}).status_code == 404
    )
    foreign = f"/{pworld_a.region.slug}/permits/staff/catalogue/types/{pworld_b.permit_type.pk}/"
    assert client.post(foreign, {"form": "remove", "requirement": theirs.pk}).status_code == 404
    assert requirement(pworld_a, "desain", other).is_active
    assert requirement(pworld_b, "foto").is_active


def test_staff_without_the_admins_rights_cannot_remove_a_document(
    client: Client, pworld_a: PermitsWorld
) -> None:
    photo = requirement(pworld_a, "foto")
    for role in (Role.OFFICER, Role.UNIT_HEAD, Role.REGION_HEAD):
        client.force_login(pworld_a.user(role))
        answer = client.post(page(pworld_a), {"form": "remove", "requirement": photo.pk})
        assert answer.status_code == 403
    assert requirement(pworld_a, "foto").is_active


# The API -----------------------------------------------------------------------------------


def removal(pw: PermitsWorld, t: PermitType | None = None) -> str:
    return f"/types/{(t or pw.permit_type).pk}/requirements/remove"


def test_the_api_removes_documents_saying_how(client: Client, pworld_a: PermitsWorld) -> None:
    apply(pworld_a)
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    retired = admin.post(removal(pworld_a), {"code": "denah"})
    assert retired.status_code == 200, retired.content
    assert retired.json() == {"code": "denah", "outcome": "retired"}
    deleted = admin.post(removal(pworld_a), {"code": "foto"})
    assert deleted.json() == {"code": "foto", "outcome": "deleted"}
    listed = admin.get("/types").json()
    (pharmacy,) = [t for t in listed if t["id"] == pworld_a.permit_type.pk]
    assert [r["code"] for r in pharmacy["requirements"]] == ["ktp"]
    # adding the code again restores the retired one
    back = {"code": "denah", "name_id": "Denah lokasi", "name_en": "Site plan", "format": "pdf"}
    restored = admin.post(f"/types/{pworld_a.permit_type.pk}/requirements", back)
    assert [r["code"] for r in restored.json()["requirements"]] == ["denah", "ktp"]
    assert events(pworld_a, "permits.requirement.save")[-1].changes["restored"] is True


@pytest.mark.parametrize("body", [{"code": "nope"}, {"code": "Bad Code"}, {}])
def test_the_api_refuses_an_unknown_or_bad_code(
    client: Client, pworld_a: PermitsWorld, body: dict[str, str]
) -> None:
    answer = as_(client, pworld_a, Role.REGION_ADMIN).post(removal(pworld_a), body)
    assert answer.status_code == 422
    problem = problem_of(answer)
    assert problem["code"] == "validation_error"
    if body.get("code") == "nope":
        assert "code" in problem["errors"]


def test_the_api_answers_404_for_another_regions_type(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    answer = admin.post(removal(pworld_a, pworld_b.permit_type), {"code": "foto"})
    assert answer.status_code == 404
    assert problem_of(answer)["code"] == "not_found"
    assert requirement(pworld_b, "foto").is_active


def test_the_api_refuses_staff_without_the_admins_rights(
    client: Client, pworld_a: PermitsWorld
) -> None:
    answer = as_(client, pworld_a, Role.OFFICER).post(removal(pworld_a), {"code": "foto"})
    assert answer.status_code == 403
    assert problem_of(answer)["code"] == "permission_denied"
    assert requirement(pworld_a, "foto").is_active


def test_an_application_made_before_keeps_its_documents_through_a_resubmission(
    pworld_a: PermitsWorld,
) -> None:
    """The applicant sent back for correction is asked only for what is still required."""
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        returned = application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=app,
            note="KTP buram",
        )  # fmt: skip
    remove(pworld_a, "denah")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_resubmit(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN), application=returned,
            documents={"denah": pdf()},
        )  # fmt: skip
    assert caught.value.code == PermitsError.DOCUMENT_UNKNOWN  # no longer asked for
    with region_scope(pworld_a.region):
        again = application_resubmit(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN), application=returned,
            documents={"ktp": png()},
        )  # fmt: skip
    assert reload(again).state == "document_check"
    current = [d for d in documents(app) if d.is_current]
    assert sorted(d.requirement.code for d in current) == ["denah", "ktp"]
