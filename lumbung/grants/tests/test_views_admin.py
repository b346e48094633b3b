"""The region admin's hibah pages: programmes with their ceiling and its usage, and the
checklist items of each step (computed items stay computed). Both languages, the happy
paths, bad input at its field with nothing written, access and other regions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import ChecklistItem, HibahProgramme
from ..services.checklists import checklist_adopt_starter
from .factories import GrantsWorld, proposal_at

pytestmark = pytest.mark.django_db


def url(gw: GrantsWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": gw.region.slug, **kwargs})


def admin(client: Client, gw: GrantsWorld) -> Client:
    return login(client, gw.user(Role.REGION_ADMIN))


def programme_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name_id": "Hibah Rumah Ibadah",
        "name_en": "Grants to houses of worship",
        "code": "rumah-ibadah",
        "year": "2026",
        "ceiling": "Rp 2.500.000.000",
        "opens_on": "2026-01-05",
        "closes_on": "2026-06-30",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def programmes_of(gw: GrantsWorld) -> list[str]:
    with region_scope(gw.region):
        return list(HibahProgramme.objects.filter(region=gw.region).values_list("code", flat=True))


def _item(gw: GrantsWorld, key: str) -> ChecklistItem:
    with region_scope(gw.region):
        if not ChecklistItem.objects.filter(region=gw.region).exists():
            checklist_adopt_starter(region=gw.region, actor=None)
        return ChecklistItem.objects.get(region=gw.region, key=key)


def test_admin_pages_render_in_indonesian_and_english(client: Client, gworld_a) -> None:
    item = _item(gworld_a, "doc-deed")
    pages = [
        url(gworld_a, "programmes"),
        url(gworld_a, "programme-edit", pk=gworld_a.programme.pk),
        url(gworld_a, "checklist"),
        url(gworld_a, "checklist-edit", pk=item.pk),
    ]
    page_admin = admin(client, gworld_a)
    for page in pages:
        response = page_admin.get(page)
        assert response.status_code == 200
        assert b'<html lang="id"' in response.content
    page_admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in pages:
        response = page_admin.get(page)
        assert response.status_code == 200
        assert b'<html lang="en"' in response.content
    assert b"Community grants" in page_admin.get(pages[0]).content


def test_officers_get_403_and_other_regions_404(client: Client, gworld_a, gworld_b) -> None:
    pages = [url(gworld_a, "programmes"), url(gworld_a, "checklist")]
    officer = login(client, gworld_a.user(Role.OFFICER))
    assert [officer.get(p).status_code for p in pages] == [403, 403]
    refused = officer.post(pages[0], programme_post())
    assert refused.status_code == 403
    assert "rumah-ibadah" not in programmes_of(gworld_a)
    page_admin = admin(client, gworld_a)
    foreign = page_admin.get(url(gworld_a, "programme-edit", pk=gworld_b.programme.pk))
    assert foreign.status_code == 404
    theirs = _item(gworld_b, "doc-deed")
    assert page_admin.get(url(gworld_a, "checklist-edit", pk=theirs.pk)).status_code == 404


def test_create_a_programme_and_see_its_usage(client: Client, gworld_a) -> None:
    # given a programme with a proposal at its final amount
    proposal_at(gworld_a, "nominative")
    page_admin = admin(client, gworld_a)

    # when the admin adds another programme
    response = page_admin.post(url(gworld_a, "programmes"), programme_post())

    # then it is there with its exact ceiling, and the list shows the first one's usage
    assert response.status_code == 302
    with region_scope(gworld_a.region):
        created = HibahProgramme.objects.get(region=gworld_a.region, code="rumah-ibadah")
    assert created.ceiling == Decimal("2500000000")
    listed = page_admin.get(url(gworld_a, "programmes"))
    usage = {u.programme.pk: u for u in listed.context["usages"]}
    assert usage[gworld_a.programme.pk].approved == Decimal("40000000")
    assert usage[created.pk].approved == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ceiling": "-1"}, "ceiling"),
        ({"ceiling": "banyak"}, "ceiling"),
        ({"code": "Bukan Kode"}, "code"),
        ({"closes_on": "2025-12-31"}, "closes_on"),
        ({"name_id": ""}, "name_id"),
    ],
)
def test_a_bad_programme_field_is_shown_and_nothing_is_written(
    client: Client, gworld_a, overrides: dict[str, str], field: str
) -> None:
    before = programmes_of(gworld_a)
    response = admin(client, gworld_a).post(
        url(gworld_a, "programmes"), programme_post(**overrides)
    )
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert programmes_of(gworld_a) == before


def test_the_ceiling_cannot_go_below_the_approved_total(client: Client, gworld_a) -> None:
    proposal_at(gworld_a, "nominative")  # 40,000,000 approved
    edit = url(gworld_a, "programme-edit", pk=gworld_a.programme.pk)
    data = programme_post(
        name_id="Hibah Kemasyarakatan",
        name_en="Community grants",
        code=gworld_a.programme.code,
        year=str(gworld_a.programme.year),
        ceiling="10.000.000",
        opens_on="",
        closes_on="",
    )
    response = admin(client, gworld_a).post(edit, data)
    assert response.status_code in (409, 422)
    assert 'id="id_ceiling_error"' in response.content.decode()
    with region_scope(gworld_a.region):
        gworld_a.programme.refresh_from_db()
    assert gworld_a.programme.ceiling == Decimal("1000000000")


def test_edit_a_checklist_item_and_a_computed_one_stays_computed(client: Client, gworld_a) -> None:
    # given a manual and a computed item of the administrative check
    manual = _item(gworld_a, "doc-deed")
    computed = _item(gworld_a, "all-documents")
    page_admin = admin(client, gworld_a)
    form = page_admin.get(url(gworld_a, "checklist-edit", pk=computed.pk)).context["form"]
    assert "computed_check" not in form.fields

    # when the admin renames both and even posts a check name for the computed one
    common = {"position": "5", "required": "on", "is_active": "on"}
    renamed = page_admin.post(
        url(gworld_a, "checklist-edit", pk=manual.pk),
        {"name_id": "Akta notaris sah", "name_en": "Notarial deed valid", **common},
    )
    sneaky = page_admin.post(
        url(gworld_a, "checklist-edit", pk=computed.pk),
        {
            "name_id": "Dokumen lengkap",
            "name_en": "Documents complete",
            "computed_check": "",
            **common,
        },
    )

    # then the names change and the computed item keeps its check
    assert (renamed.status_code, sneaky.status_code) == (302, 302)
    with region_scope(gworld_a.region):
        manual.refresh_from_db()
        computed.refresh_from_db()
    assert (manual.name_id, manual.position) == ("Akta notaris sah", 5)
    assert computed.name_en == "Documents complete"
    assert computed.computed_check == "documents_attached"


def test_add_a_checklist_item_and_refuse_a_bad_key(client: Client, gworld_a) -> None:
    _item(gworld_a, "doc-deed")
    page_admin = admin(client, gworld_a)
    data = {
        "state": "evaluation",
        "key": "visited-twice",
        "name_id": "Dikunjungi dua kali",
        "name_en": "Visited twice",
        "position": "200",
        "required": "on",
        "is_active": "on",
        "needs_date": "on",
    }
    bad = page_admin.post(url(gworld_a, "checklist"), {**data, "key": "Dua Kali!"})
    assert bad.status_code == 422
    assert 'id="id_key_error"' in bad.content.decode()
    good = page_admin.post(url(gworld_a, "checklist"), data)
    assert good.status_code == 302
    with region_scope(gworld_a.region):
        added = ChecklistItem.objects.get(region=gworld_a.region, key="visited-twice")
        assert not ChecklistItem.objects.filter(region=gworld_a.region, key="dua kali!").exists()
    assert (added.state, added.needs_date, added.computed_check) == ("evaluation", True, "")
