"""Oversight routes of the API: red flags (list, refresh, dismiss), suspicions (raise, open
list, review), 360Giving open data and the PDFs, each with its permission, its bad input and
another region's ids."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from conftest import login
from lumbung.complaints.tests.factories import enable_complaints
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import RegionWorld

from ..models import FlagKind, Proposal, RedFlag, Suspicion
from ..services.flags import flags_refresh
from ..services.suspicions import SuspicionError
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


def api(world: RegionWorld, path: str) -> str:
    return f"/api/v1/regions/{world.region.slug}/grants{path}"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def as_(client: Client, world: RegionWorld, role: Role) -> Client:
    return login(client, world.users[role])


def rising(world: RegionWorld) -> Proposal:
    p = f.proposal(world.region, state="tapd")
    f.amount_change(world.region, p, "requested", 100, None)
    f.amount_change(world.region, p, "considered", 120, 100)
    return p


# Red flags ----------------------------------------------------------------------------------


def test_refresh_then_list_flags_with_their_explanation_and_evidence(
    client: Client, ga: RegionWorld, english: Any
) -> None:
    proposal = rising(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    refreshed = post(auditor, api(ga, "/flags/refresh"), {})
    assert refreshed.status_code == 200
    assert refreshed.json() == {"created": 1, "current": 1, "resolved": 0}
    listed = auditor.get(api(ga, "/flags")).json()
    assert listed["count"] == 1
    [item] = listed["items"]
    assert item["kind"] == FlagKind.AMOUNT_RISE
    assert "above the previous stage" in item["explanation"]
    evidence = {e["model"]: e for e in item["evidence"]}
    assert evidence["proposal"]["public_id"] == str(proposal.public_id)
    assert evidence["proposal"]["id"] == proposal.pk
    assert "amount_change" in evidence
    assert auditor.get(api(ga, "/flags"), {"status": "dismissed"}).json()["count"] == 0
    kind = {"kind": FlagKind.SHARED_BANK, "status": "all"}
    assert auditor.get(api(ga, "/flags"), kind).json()["count"] == 0


def test_dismiss_needs_a_reason_and_the_role(client: Client, ga: RegionWorld) -> None:
    rising(ga)
    flags_refresh(region=ga.region)
    flag = RedFlag.objects.get(region=ga.region)
    url = api(ga, f"/flags/{flag.pk}/dismiss")
    # an officer sees flags but may not dismiss them
    denied = post(as_(client, ga, Role.OFFICER), url, {"reason": "beres"})
    assert denied.status_code == 403
    auditor = as_(client, ga, Role.AUDITOR)
    empty = post(auditor, url, {"reason": "   "})
    assert empty.status_code == 422
    assert "reason" in problem_of(empty)["errors"]
    flag.refresh_from_db()
    assert flag.dismissed_at is None
    assert not AuditEvent.objects.filter(region=ga.region, action="grants.flag.dismiss").exists()
    done = post(auditor, url, {"reason": "Harga bahan naik, ada SPH."})
    assert done.status_code == 200
    assert done.json()["dismissal_reason"] == "Harga bahan naik, ada SPH."
    assert (
        AuditEvent.objects.get(region=ga.region, action="grants.flag.dismiss").actor
        == (ga.users[Role.AUDITOR])
    )
    again = post(auditor, url, {"reason": "lagi"})
    assert again.status_code == 409


def test_citizens_and_strangers_see_no_flags(client: Client, ga: RegionWorld) -> None:
    assert client.get(api(ga, "/flags")).status_code == 401
    assert as_(client, ga, Role.CITIZEN).get(api(ga, "/flags")).status_code == 403
    assert post(client, api(ga, "/flags/refresh"), {}).status_code == 403


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
    assert auditor.get(api(ga, "/flags"), {"status": "all"}).json()["count"] == 0
    gone = post(auditor, api(ga, f"/flags/{theirs.pk}/dismiss"), {"reason": "x"})
    assert gone.status_code == 404
    assert problem_of(gone)["code"] == "not_found"
    reviewed = post(auditor, api(ga, f"/suspicions/{suspicion.pk}/review"), {"outcome": "x"})
    assert reviewed.status_code == 404
    assert auditor.get(api(ga, "/suspicions")).json()["count"] == 0


# Suspicions -------------------------------------------------------------------------------


def test_an_anonymous_suspicion_becomes_a_review_task(client: Client, ga: RegionWorld) -> None:
    proposal = f.proposal(ga.region)
    sent = post(client, api(ga, "/suspicions"), {"proposal": str(proposal.public_id), "text": TEXT})
    assert sent.status_code == 201
    assert sent.json() == {"handled_as": "review", "ticket": ""}
    raised = Suspicion.objects.get(region=ga.region)
    auditor = as_(client, ga, Role.AUDITOR)
    [item] = auditor.get(api(ga, "/suspicions")).json()["items"]
    assert item["id"] == raised.pk
    assert item["proposal_public_id"] == str(proposal.public_id)
    assert item["has_contact"] is False
    empty = post(auditor, api(ga, f"/suspicions/{raised.pk}/review"), {"outcome": ""})
    assert empty.status_code == 422
    assert "outcome" in problem_of(empty)["errors"]
    done = post(auditor, api(ga, f"/suspicions/{raised.pk}/review"), {"outcome": "Ada kegiatan."})
    assert done.status_code == 200
    assert done.json()["outcome"] == "Ada kegiatan."
    assert auditor.get(api(ga, "/suspicions")).json()["count"] == 0
    unit_head = as_(client, ga, Role.UNIT_HEAD)
    assert unit_head.get(api(ga, "/suspicions")).status_code == 403


def test_with_complaints_a_suspicion_is_a_private_complaint(
    client: Client, ga: RegionWorld
) -> None:
    enable_complaints(ga)
    programme = f.bansos_cycle(ga.region, 2026).programme
    body = {"programme": programme.pk, "recipient_name": "Budi Santoso", "text": TEXT}
    sent = post(client, api(ga, "/suspicions"), body)
    assert sent.status_code == 201
    raised = Suspicion.objects.get(region=ga.region)
    assert raised.complaint is not None
    assert sent.json() == {"handled_as": "complaint", "ticket": raised.complaint.ticket}


def test_bad_suspicions_write_nothing(client: Client, ga: RegionWorld, gb: RegionWorld) -> None:
    proposal = f.proposal(ga.region)
    with region_scope(gb.region):
        theirs = f.proposal(gb.region)
    short = post(client, api(ga, "/suspicions"), {"proposal": str(proposal.public_id), "text": "x"})
    assert short.status_code == 422
    assert "text" in problem_of(short)["errors"]
    neither = post(client, api(ga, "/suspicions"), {"text": TEXT})
    assert neither.status_code == 422
    foreign = post(
        client, api(ga, "/suspicions"), {"proposal": str(theirs.public_id), "text": TEXT}
    )
    assert foreign.status_code == 404
    assert not Suspicion.objects.filter(region=ga.region).exists()


def test_anonymous_suspicions_are_limited(client: Client, ga: RegionWorld, settings: Any) -> None:
    settings.LUMBUNG_GRANTS_SUSPICION_LIMITS = {"address": "1/h", "contact": "5/h"}
    body = {"proposal": str(f.proposal(ga.region).public_id), "text": TEXT}
    assert post(client, api(ga, "/suspicions"), body).status_code == 201
    limited = post(client, api(ga, "/suspicions"), body)
    assert limited.status_code == 429
    assert problem_of(limited)["code"] == SuspicionError.LIMITED
    assert int(limited["Retry-After"]) > 0


# Open data and PDFs -----------------------------------------------------------------------


def test_open_data_is_public_and_the_regions_own(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    awarded = f.proposal(ga.region, state="decided", final=90_000_000)
    f.proposal(ga.region, state="evaluation")
    older = f.proposal(ga.region, year=2025, state="closed", final=10_000_000)
    with region_scope(gb.region):
        theirs = f.proposal(gb.region, state="decided", final=70_000_000)
    package = client.get(api(ga, "/opendata/360giving.json")).json()
    assert {g["title"] for g in package["grants"]} == {awarded.title, older.title}
    assert theirs.title not in json.dumps(package)
    year = client.get(api(ga, "/opendata/360giving.json"), {"year": 2025}).json()
    assert [g["title"] for g in year["grants"]] == [older.title]
    sheet = client.get(api(ga, "/opendata/360giving.csv"))
    assert sheet["Content-Type"].startswith("text/csv")
    assert {r["Title"] for r in csv.DictReader(io.StringIO(sheet.content.decode()))} == {
        awarded.title,
        older.title,
    }
    assert client.get(api(ga, "/opendata/360giving.csv"), {"year": 1}).status_code == 422


def test_pdfs_for_staff_of_the_region(client: Client, ga: RegionWorld, gb: RegionWorld) -> None:
    proposal = f.proposal(ga.region, state="disbursed", final=90_000_000)
    tranche = f.tranche(ga.region, proposal, dt.date(2026, 3, 9), 45_000_000)
    with region_scope(gb.region):
        theirs = f.proposal(gb.region, state="disbursed", final=90_000_000)
    paths = [
        f"/documents/nominative/{proposal.programme_id}",
        f"/documents/nphd/{proposal.pk}",
        f"/documents/disbursement/{tranche.pk}",
    ]
    assert client.get(api(ga, paths[1])).status_code == 401
    assert as_(client, ga, Role.CITIZEN).get(api(ga, paths[1])).status_code == 403
    officer = as_(client, ga, Role.OFFICER)
    for path in paths:
        response = officer.get(api(ga, path))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment; filename=")
    assert officer.get(api(ga, f"/documents/nphd/{theirs.pk}")).status_code == 404
    nominative = officer.get(api(ga, f"/documents/nominative/{theirs.programme_id}"))
    assert nominative.status_code == 404
