"""Bansos pages: the registry (masked NIKs, the audited personal-data action, field errors
with nothing written), the import journey with its progress and report, programmes with
the rules editor, a cycle from compute to close with four-eyes approval, and the public
aggregates and lookup (yes/no, NIK never echoed); each in Indonesian and English."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import login
from lumbung.core.models import AuditEvent, ModuleActivation
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import BansosProgramme, Cycle, Entitlement, Handover, ImportJob, Person
from ..services.cycles import cycle_approve, cycle_compute, cycle_create, programme_save
from .bansos_factories import KELURAHAN_A, add_person, enable_grants, make_nik
from .test_imports import csv_file, report_rows, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def url(world: RegionWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": world.region.slug, **kwargs})


def as_(client: Client, world: RegionWorld, role: Role) -> Client:
    return login(client, world.users[role])


def programme(world: RegionWorld, **over: Any) -> BansosProgramme:
    data = {
        "code": "lansia",
        "name_id": "Bantuan Lansia",
        "name_en": "Elderly aid",
        "year": 2026,
        "benefit_kind": "cash",
        "benefit_amount": Decimal("300000"),
        "cycles_per_year": 4,
        "eligibility": [{"field": "age", "op": "gte", "value": 60}],
        **over,
    }
    with region_scope(world.region):
        return programme_save(region=world.region, actor=world.users[Role.REGION_ADMIN], data=data)


def computed(world: RegionWorld, by: Role = Role.OFFICER) -> tuple[Cycle, list[Person]]:
    """A cycle whose list (two elderly people) was computed by `by`."""
    prog = programme(world)
    old = [add_person(world, birth_date=dt.date(1950, 1, d), name=f"Lansia {d}") for d in (1, 2)]
    add_person(world, birth_date=dt.date(1990, 1, 1), name="Muda Sekali")
    with region_scope(world.region):
        cycle = cycle_create(
            region=world.region,
            actor=world.users[by],
            programme=prog,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
        )
        cycle_compute(region=world.region, actor=world.users[by], cycle=cycle)
    cycle.refresh_from_db()
    return cycle, old


def approved(world: RegionWorld) -> tuple[Cycle, list[Person]]:
    cycle, old = computed(world)
    with region_scope(world.region):
        cycle_approve(region=world.region, actor=world.users[Role.UNIT_HEAD], cycle=cycle)
    cycle.refresh_from_db()
    return cycle, old


def entitlement_of(cycle: Cycle, person: Person) -> Entitlement:
    return Entitlement.objects.get(region=cycle.region, cycle=cycle, person=person)


def audits(action: str, object_id: Any) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action, object_id=str(object_id)))


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return SimpleUploadedFile("serah.png", out.getvalue(), "image/png")


# Languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders_in_both_languages(
    client: Client, ga: RegionWorld, language: str
) -> None:
    # given a person, a computed cycle and an import, and the admin in one language
    cycle, old = computed(ga)
    job = ImportJob.objects.create(region=ga.region, filename="a.csv", source="import")
    admin = as_(client, ga, Role.REGION_ADMIN)
    admin.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        url(ga, "bansos-persons"),
        url(ga, "bansos-person", pk=old[0].pk),
        url(ga, "bansos-person-new"),
        url(ga, "bansos-imports"),
        url(ga, "bansos-import-new"),
        url(ga, "bansos-import", pk=job.pk),
        url(ga, "bansos-programmes"),
        url(ga, "bansos-programme-new"),
        url(ga, "bansos-programme", pk=cycle.programme_id),
        url(ga, "bansos-programme-edit", pk=cycle.programme_id),
        url(ga, "bansos-cycle", pk=cycle.pk),
        url(ga, "bansos-entitlement-remove", pk=entitlement_of(cycle, old[0]).pk),
        url(ga, "bansos-public"),
        url(ga, "bansos-lookup"),
    ]
    # when each page is opened, then it answers in that language
    for page in pages:
        response = admin.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{language}"' in response.content.decode(), page


# Registry ----------------------------------------------------------------------------------


def test_the_registry_lists_masked_niks_and_filters(client: Client, ga: RegionWorld) -> None:
    siti = add_person(ga, name="Siti Aminah", welfare_decile=2)
    add_person(ga, name="Budi Santoso", welfare_decile=9)
    officer = as_(client, ga, Role.OFFICER)
    page = officer.get(url(ga, "bansos-persons"), {"q": "siti"}).content.decode()
    assert "Siti Aminah" in page
    assert "Budi Santoso" not in page
    assert siti.nik not in page
    assert siti.nik_masked in page
    poorest = officer.get(url(ga, "bansos-persons"), {"decile_max": "3"}).content.decode()
    assert "Siti Aminah" in poorest
    assert "Budi Santoso" not in poorest


def test_the_registry_is_for_its_staff_only(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga)
    for role in (Role.CITIZEN, Role.AUDITOR):
        assert as_(client, ga, role).get(url(ga, "bansos-persons")).status_code == 403
        assert as_(client, ga, role).get(url(ga, "bansos-person", pk=person.pk)).status_code == 403
    client.logout()
    assert client.get(url(ga, "bansos-persons")).status_code == 302


def test_showing_personal_data_is_a_post_and_is_audited(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga, name="Siti Aminah", phone="081234567890", address="Jl. Sukajadi 5")
    officer = as_(client, ga, Role.OFFICER)
    masked = officer.get(url(ga, "bansos-person", pk=person.pk))
    assert person.nik not in masked.content.decode()
    assert "Jl. Sukajadi 5" not in masked.content.decode()
    assert audits("pdp.read", person.pk) == []
    # when the officer asks to see it, with a purpose
    shown = officer.post(url(ga, "bansos-person-personal", pk=person.pk), {"purpose": "verifikasi"})
    # then the full data is on that answer only, never cached, and the read is recorded
    body = shown.content.decode()
    assert shown.status_code == 200
    assert person.nik in body
    assert "Jl. Sukajadi 5" in body
    assert shown["Cache-Control"] == "no-store"
    (event,) = audits("pdp.read", person.pk)
    assert event.reason == "verifikasi"
    assert event.actor_id == ga.users[Role.OFFICER].pk


def test_adding_a_person_through_the_form(client: Client, ga: RegionWorld) -> None:
    nik = make_nik(dt.date(1975, 8, 17), "P")
    officer = as_(client, ga, Role.OFFICER)
    data = {"nik": nik, "name": "Dewi Lestari", "kelurahan_code": KELURAHAN_A, "source": "region"}
    response = officer.post(url(ga, "bansos-person-new"), data)
    person = Person.objects.get(region=ga.region, nik=nik)
    assert response.status_code == 302
    assert response["Location"] == url(ga, "bansos-person", pk=person.pk)
    assert (person.birth_date, person.sex) == (dt.date(1975, 8, 17), "P")
    assert len(audits("grants.person_add", person.pk)) == 1


def test_field_errors_come_from_the_service_and_nothing_is_written(
    client: Client, ga: RegionWorld
) -> None:
    nik = make_nik(dt.date(1975, 8, 17), "P")
    officer = as_(client, ga, Role.OFFICER)
    data = {"nik": nik, "name": "Dewi", "birth_date": "1975-08-18", "sex": "L", "source": "region"}
    response = officer.post(url(ga, "bansos-person-new"), data)
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"birth_date", "sex"}  # neither matches the NIK
    assert Person.objects.filter(region=ga.region).count() == 0
    bad_nik = officer.post(url(ga, "bansos-person-new"), {**data, "nik": "123", "sex": ""})
    assert bad_nik.status_code == 422
    assert "nik" in bad_nik.context["form"].errors
    assert Person.objects.filter(region=ga.region).count() == 0


def test_changing_to_another_persons_nik_is_refused_on_the_field(
    client: Client, ga: RegionWorld
) -> None:
    first, second = add_person(ga), add_person(ga)
    officer = as_(client, ga, Role.OFFICER)
    form = officer.get(url(ga, "bansos-person-edit", pk=second.pk))
    assert form.status_code == 200
    assert len(audits("pdp.read", second.pk)) == 1  # the form shows the full NIK
    data = {"nik": first.nik, "name": "Nama Baru", "source": "region"}
    response = officer.post(url(ga, "bansos-person-edit", pk=second.pk), data)
    assert response.status_code == 409
    assert "nik" in response.context["form"].errors
    second.refresh_from_db()
    assert second.name != "Nama Baru"


def test_another_regions_person_is_a_404(client: Client, ga: RegionWorld, gb: RegionWorld) -> None:
    theirs = add_person(gb)
    officer = as_(client, ga, Role.OFFICER)
    for name in ("bansos-person", "bansos-person-edit", "bansos-person-personal"):
        assert officer.get(url(ga, name, pk=theirs.pk)).status_code == 404
    posted = officer.post(url(ga, "bansos-person-personal", pk=theirs.pk))
    assert posted.status_code == 404
    assert audits("pdp.read", theirs.pk) == []


# Imports -----------------------------------------------------------------------------------


def upload(client: Client, world: RegionWorld, capture: Any, mode: str) -> ImportJob:
    rows = [row(1), row(2, nik="123"), row(3)]
    with capture(execute=True):
        response = client.post(
            url(world, "bansos-import-new"),
            {"file": csv_file(rows), "source": "import", "mode": mode},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get(region=world.region)
    assert response["Location"] == url(world, "bansos-import", pk=job.pk)
    return job


def test_an_all_or_nothing_import_with_an_error_row_fails_with_its_report(
    client: Client, ga: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    officer = as_(client, ga, Role.OFFICER)
    job = upload(officer, ga, django_capture_on_commit_callbacks, "all")
    # then nothing is written, and the job's page shows the counts and the report link
    assert job.status == ImportJob.Status.FAILED
    assert Person.objects.filter(region=ga.region).count() == 0
    page = officer.get(url(ga, "bansos-import", pk=job.pk)).content.decode()
    assert "every 2s" not in page  # finished: no more polling
    assert url(ga, "bansos-import-report", pk=job.pk) in page
    report = officer.get(url(ga, "bansos-import-report", pk=job.pk))
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment")
    body = b"".join(report.streaming_content).decode()
    assert "row,column,value,message,kind" in body
    assert [(r["row"], r["column"]) for r in report_rows(job)] == [("3", "nik")]
    assert len(audits("pdp.read", job.pk)) == 1


def test_a_valid_rows_only_import_imports_the_rest(
    client: Client, ga: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    officer = as_(client, ga, Role.OFFICER)
    job = upload(officer, ga, django_capture_on_commit_callbacks, "valid")
    assert job.status == ImportJob.Status.DONE
    assert (job.imported_rows, job.error_rows) == (2, 1)
    assert Person.objects.filter(region=ga.region).count() == 2
    listed = officer.get(url(ga, "bansos-imports")).content.decode()
    assert "daftar.csv" in listed


def test_a_running_import_shows_its_progress_and_polls(client: Client, ga: RegionWorld) -> None:
    job = ImportJob.objects.create(
        region=ga.region,
        filename="besar.csv",
        source="import",
        status=ImportJob.Status.RUNNING,
        total_rows=40_000,
        processed_rows=10_000,
    )
    officer = as_(client, ga, Role.OFFICER)
    page = officer.get(url(ga, "bansos-import", pk=job.pk)).content.decode()
    part = officer.get(url(ga, "bansos-import-progress", pk=job.pk))
    for body in (page, part.content.decode()):
        assert 'hx-trigger="every 2s"' in body
        assert url(ga, "bansos-import-progress", pk=job.pk) in body
        assert '<progress max="40000" value="10000"' in body
        assert "25%" in body
    assert "<html" not in part.content.decode()  # only the part the page swaps
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, processed_rows=40_000)
    done = officer.get(url(ga, "bansos-import-progress", pk=job.pk)).content.decode()
    assert "every 2s" not in done


def test_a_bad_upload_is_refused_on_the_file_field(client: Client, ga: RegionWorld) -> None:
    officer = as_(client, ga, Role.OFFICER)
    binary = SimpleUploadedFile("daftar.csv", b"\x00\x01\x02binary", "text/csv")
    response = officer.post(
        url(ga, "bansos-import-new"), {"file": binary, "source": "import", "mode": "all"}
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert ImportJob.objects.filter(region=ga.region).count() == 0


def test_an_import_of_another_region_is_a_404(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    with region_scope(gb.region):
        theirs = ImportJob.objects.create(region=gb.region, filename="b.csv", source="import")
    officer = as_(client, ga, Role.OFFICER)
    for name in ("bansos-import", "bansos-import-progress", "bansos-import-report"):
        assert officer.get(url(ga, name, pk=theirs.pk)).status_code == 404


# Programmes --------------------------------------------------------------------------------


def programme_post(**over: Any) -> dict[str, Any]:
    data = {
        "code": "pkh-daerah",
        "year": "2026",
        "name_id": "PKH Daerah",
        "name_en": "",
        "benefit_kind": "cash",
        "benefit_amount": "Rp 250.000",
        "benefit_item": "",
        "cycles_per_year": "4",
        "is_active": "on",
        "rules-TOTAL_FORMS": "3",
        "rules-INITIAL_FORMS": "0",
        "rules-0-field": "welfare_decile",
        "rules-0-op": "in",
        "rules-0-value": "1, 2, 3",
        "rules-1-field": "age",
        "rules-1-op": "gte",
        "rules-1-value": "18",
        "rules-2-field": "",
    }
    data.update(over)
    return data


def test_a_programme_is_created_with_its_rules(client: Client, ga: RegionWorld) -> None:
    admin = as_(client, ga, Role.REGION_ADMIN)
    response = admin.post(url(ga, "bansos-programme-new"), programme_post())
    saved = BansosProgramme.objects.get(region=ga.region, code="pkh-daerah")
    assert response.status_code == 302
    assert saved.benefit_amount == Decimal("250000")
    assert saved.eligibility == [
        {"field": "welfare_decile", "op": "in", "value": [1, 2, 3]},
        {"field": "age", "op": "gte", "value": 18},
    ]
    edit = admin.get(url(ga, "bansos-programme-edit", pk=saved.pk)).content.decode()
    assert 'value="1, 2, 3"' in edit


def test_a_bad_rule_is_shown_on_its_row_and_nothing_is_saved(
    client: Client, ga: RegionWorld
) -> None:
    admin = as_(client, ga, Role.REGION_ADMIN)
    data = programme_post(**{"rules-1-op": "eq", "rules-1-value": "200"})
    response = admin.post(url(ga, "bansos-programme-new"), data)
    assert response.status_code == 422
    rows = response.context["formset"].forms
    assert rows[0].errors == {}
    assert rows[1].non_field_errors()
    assert "2" in rows[1].non_field_errors()[0]  # "Rule 2: …"
    assert not BansosProgramme.objects.filter(region=ga.region).exists()


def test_programmes_are_the_region_admins_to_write(client: Client, ga: RegionWorld) -> None:
    officer = as_(client, ga, Role.OFFICER)
    assert officer.get(url(ga, "bansos-programmes")).status_code == 200
    assert officer.get(url(ga, "bansos-programme-new")).status_code == 403
    assert officer.post(url(ga, "bansos-programme-new"), programme_post()).status_code == 403
    assert not BansosProgramme.objects.filter(region=ga.region).exists()


# Cycles ------------------------------------------------------------------------------------


def test_a_cycle_from_opening_to_the_computed_list(client: Client, ga: RegionWorld) -> None:
    prog = programme(ga)
    old = add_person(ga, birth_date=dt.date(1950, 1, 1), name="Nenek Ijah")
    add_person(ga, birth_date=dt.date(1995, 1, 1), name="Anak Muda")
    officer = as_(client, ga, Role.OFFICER)
    opened = officer.post(
        url(ga, "bansos-cycle-new", pk=prog.pk),
        {"period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    cycle = Cycle.objects.get(region=ga.region, programme=prog)
    assert opened["Location"] == url(ga, "bansos-cycle", pk=cycle.pk)
    computed_ = officer.post(url(ga, "bansos-cycle-compute", pk=cycle.pk), follow=True)
    body = computed_.content.decode()
    assert "1 people" in body or "1 orang" in body
    assert "300.000" in body
    assert "Nenek Ijah" in body
    assert old.nik not in body
    assert old.nik_masked in body
    assert "Anak Muda" not in body


def test_a_bad_period_is_a_field_error(client: Client, ga: RegionWorld) -> None:
    prog = programme(ga)
    officer = as_(client, ga, Role.OFFICER)
    response = officer.post(
        url(ga, "bansos-cycle-new", pk=prog.pk),
        {"period_start": "2026-03-01", "period_end": "2026-01-01"},
    )
    assert response.status_code == 422
    assert "period_end" in response.context["cycle_form"].errors
    assert not Cycle.objects.filter(region=ga.region).exists()


def test_whoever_computed_the_list_cannot_approve_it(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga, by=Role.OFFICER)
    officer = as_(client, ga, Role.OFFICER)
    officer.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages as written
    page = officer.get(url(ga, "bansos-cycle", pk=cycle.pk)).content.decode()
    assert "someone else must approve it" in page
    refused = officer.post(url(ga, "bansos-cycle-approve", pk=cycle.pk), {"note": ""})
    assert refused.status_code == 403
    assert "Someone other than who computed the list must approve it." in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == "computed"
    head = as_(client, ga, Role.UNIT_HEAD)
    assert (
        head.post(url(ga, "bansos-cycle-approve", pk=cycle.pk), {"note": "ok"}).status_code == 302
    )
    cycle.refresh_from_db()
    assert cycle.state == "approved"
    assert cycle.approved_by_id == ga.users[Role.UNIT_HEAD].pk


def test_removing_needs_a_reason(client: Client, ga: RegionWorld) -> None:
    cycle, old = computed(ga)
    target = entitlement_of(cycle, old[0])
    officer = as_(client, ga, Role.OFFICER)
    empty = officer.post(url(ga, "bansos-entitlement-remove", pk=target.pk), {"reason": " "})
    assert empty.status_code == 422
    assert "reason" in empty.context["form"].errors
    target.refresh_from_db()
    assert target.status == "listed"
    done = officer.post(url(ga, "bansos-entitlement-remove", pk=target.pk), {"reason": "Meninggal"})
    assert done.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.note) == ("removed", "Meninggal")


def test_handover_with_a_photo_then_close_with_a_note(client: Client, ga: RegionWorld) -> None:
    cycle, old = approved(ga)
    first, second = entitlement_of(cycle, old[0]), entitlement_of(cycle, old[1])
    officer = as_(client, ga, Role.OFFICER)
    data = {"paid_on": "2026-02-01", "channel": "bank", "reference": "TRF-001", "photo": png()}
    done = officer.post(url(ga, "bansos-handover", pk=first.pk), data)
    assert done.status_code == 302
    handover = Handover.objects.get(region=ga.region, entitlement=first)
    assert (handover.reference, bool(handover.photo)) == ("TRF-001", True)
    again = officer.post(
        url(ga, "bansos-handover", pk=first.pk),
        {"paid_on": "2026-02-01", "channel": "bank", "reference": "TRF-002"},
    )
    assert again.status_code == 409
    # closing with someone still listed needs a note
    refused = officer.post(url(ga, "bansos-cycle-close", pk=cycle.pk), {"note": ""})
    assert refused.status_code == 400
    cycle.refresh_from_db()
    assert cycle.state == "approved"
    closed = officer.post(url(ga, "bansos-cycle-close", pk=cycle.pk), {"note": "Pindah alamat"})
    assert closed.status_code == 302
    second.refresh_from_db()
    assert second.status == "failed"


def test_a_cycle_of_another_region_is_a_404(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    cycle, old = computed(gb)
    with region_scope(gb.region):
        target = entitlement_of(cycle, old[0])
    officer = as_(client, ga, Role.OFFICER)
    for name, pk in (
        ("bansos-cycle", cycle.pk),
        ("bansos-programme", cycle.programme_id),
        ("bansos-entitlement-remove", target.pk),
        ("bansos-handover", target.pk),
    ):
        assert officer.get(url(ga, name, pk=pk)).status_code == 404, name
    refused = officer.post(url(ga, "bansos-cycle-approve", pk=cycle.pk), {"note": ""})
    assert refused.status_code == 404
    with region_scope(gb.region):
        cycle.refresh_from_db()
    assert cycle.state == "computed"


# Public ------------------------------------------------------------------------------------


def test_the_public_page_shows_aggregates_and_names_only_when_published(
    client: Client, ga: RegionWorld
) -> None:
    cycle, old = approved(ga)
    page = client.get(url(ga, "bansos-public")).content.decode()
    assert "Bantuan Lansia" in page
    assert "600.000" in page  # two people at Rp 300.000
    assert "Lansia 1" not in page
    names = client.get(url(ga, "bansos-public-cycle", pk=cycle.pk)).content.decode()
    assert "Lansia 1" not in names
    ModuleActivation.objects.filter(region=ga.region, module="grants").update(
        settings={"publish_bansos_names": True}
    )
    names = client.get(url(ga, "bansos-public-cycle", pk=cycle.pk)).content.decode()
    assert "Lansia 1" in names
    assert old[0].nik not in names
    assert "*" * 12 + old[0].nik[-4:] in names


def test_a_list_not_approved_yet_is_not_public(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    assert client.get(url(ga, "bansos-public-cycle", pk=cycle.pk)).status_code == 404
    assert "Bantuan Lansia" not in client.get(url(ga, "bansos-public")).content.decode()


def test_the_lookup_answers_yes_or_no_and_never_echoes_the_nik(
    client: Client, ga: RegionWorld
) -> None:
    _cycle, old = approved(ga)
    other = add_person(ga, name="Orang Lain")
    yes = client.post(url(ga, "bansos-lookup"), {"nik": old[0].nik, "name": "lansia 1"})
    body = yes.content.decode()
    assert yes.status_code == 200
    assert "Bantuan Lansia" in body
    assert old[0].nik not in body
    assert old[0].nik[-4:] in body
    assert yes["Cache-Control"] == "no-store"
    # a wrong name answers as an unknown NIK; someone on no list gets "no"
    wrong = client.post(url(ga, "bansos-lookup"), {"nik": old[0].nik, "name": "Orang Lain"})
    none = client.post(url(ga, "bansos-lookup"), {"nik": other.nik, "name": "Orang Lain"})
    for answer in (wrong, none):
        text = answer.content.decode()
        assert answer.context["answer"].on_list is False
        assert "Bantuan Lansia" not in text
        assert old[0].nik not in text
        assert other.nik not in text


def test_the_lookup_is_rate_limited_with_the_wait(
    client: Client, ga: RegionWorld, settings: Any
) -> None:
    settings.LUMBUNG_BANSOS_LOOKUP_LIMITS = {"address": "2/h", "nik": "5/h"}
    nik = make_nik()
    for _ in range(2):
        assert client.post(url(ga, "bansos-lookup"), {"nik": nik, "name": "X"}).status_code == 200
    limited = client.post(url(ga, "bansos-lookup"), {"nik": nik, "name": "X"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "minute" in limited.content.decode() or "menit" in limited.content.decode()
    assert nik not in limited.content.decode()


def test_the_public_nav_links_the_bansos_pages(client: Client, ga: RegionWorld) -> None:
    page = client.get(url(ga, "register")).content.decode()
    assert url(ga, "bansos-public") in page
    assert url(ga, "bansos-lookup") in page
