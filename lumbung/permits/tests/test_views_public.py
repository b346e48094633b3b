"""The public pages: the catalogue and its activity search with the lane at a capital,
"what do I need?", the verification page for every answer, and the figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..codes import code_for
from ..models import Permit
from ..services.issuing import permit_revoke, permit_suspend
from .factories import NIK, PHARMACY, WARUNG, PermitsWorld, issue, permit_of, register

pytestmark = pytest.mark.django_db


def url(pw: PermitsWorld, tail: str = "") -> str:
    return f"/{pw.region.slug}/permits/{tail}"


def test_catalogue_lists_types_with_levy_documents_and_deadlines(
    client: Client, pworld_a: PermitsWorld
) -> None:
    page = client.get(url(pworld_a))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Izin Apotek" in body
    assert "Rp 100.000 + Rp 2.500" in body  # the levy formula in words
    assert "Denah lokasi" in body
    assert "Foto tempat" in body
    assert 'data-kbli="56102"' in body


def test_kbli_search_shows_the_risk_and_lane_at_a_capital(
    client: Client, pworld_a: PermitsWorld
) -> None:
    small = client.get(url(pworld_a), {"q": WARUNG, "capital": "50000000"}).content.decode()
    assert 'data-lane="report_only"' in small
    assert 'data-risk="rendah"' in small
    pharmacy = client.get(url(pworld_a), {"q": PHARMACY, "capital": "50000000"}).content.decode()
    assert 'data-lane="permit"' in pharmacy
    assert f'data-kbli="{WARUNG}"' not in pharmacy


def test_what_do_i_need_gives_the_lane_and_the_documents(
    client: Client, pworld_a: PermitsWorld
) -> None:
    instant = client.get(url(pworld_a, "what-do-i-need/"), {"kbli": WARUNG, "capital": "1000000"})
    assert 'data-lane="report_only"' in instant.content.decode()
    needs = client.get(url(pworld_a, "what-do-i-need/"), {"kbli": PHARMACY, "capital": "300000000"})
    body = needs.content.decode()
    assert 'data-lane="permit"' in body
    assert "Denah lokasi" in body
    assert "KTP pemilik" in body


def test_what_do_i_need_refuses_an_unknown_activity_at_its_field(
    client: Client, pworld_a: PermitsWorld
) -> None:
    page = client.get(url(pworld_a, "what-do-i-need/"), {"kbli": "99999", "capital": "1"})
    assert page.status_code == 422
    assert 'class="field-error"' in page.content.decode()


def _code(permit: Permit) -> str:
    return code_for(permit.region_id, permit.token)


def test_verification_states_valid_with_no_personal_data(
    client: Client, pworld_a: PermitsWorld
) -> None:
    permit = issue(pworld_a)
    page = client.get(url(pworld_a, f"verify/{_code(permit)}/"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="valid"' in body
    assert permit.number in body
    assert "Apotek Sehat Sentosa" in body
    assert NIK not in body
    assert "Euis Komariah" not in body
    assert "Jl. Braga" not in body
    assert page["Cache-Control"] == "no-store"


def test_verification_of_a_receipt_suspended_and_revoked(
    client: Client, pworld_a: PermitsWorld
) -> None:
    receipt = permit_of(register(pworld_a))
    assert (
        'data-status="valid"'
        in client.get(url(pworld_a, f"verify/{_code(receipt)}/")).content.decode()
    )
    head = pworld_a.user(Role.UNIT_HEAD)
    with region_scope(pworld_a.region):
        permit_suspend(region=pworld_a.region, actor=head, permit=receipt, reason="Audit")
    assert (
        'data-status="suspended"'
        in client.get(url(pworld_a, f"verify/{_code(receipt)}/")).content.decode()
    )
    with region_scope(pworld_a.region):
        receipt.refresh_from_db()
        permit_revoke(region=pworld_a.region, actor=head, permit=receipt, reason="Tutup")
    assert (
        'data-status="revoked"'
        in client.get(url(pworld_a, f"verify/{_code(receipt)}/")).content.decode()
    )


def test_verification_of_an_expired_permit(client: Client, pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    with region_scope(pworld_a.region):
        Permit.objects.filter(region=pworld_a.region, pk=permit.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=3)
        )
    body = client.get(url(pworld_a, f"verify/{_code(permit)}/")).content.decode()
    assert 'data-status="expired"' in body


def test_a_forged_or_another_regions_code_is_unknown_with_a_404(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    permit = issue(pworld_a)
    code = _code(permit)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    for tried in (forged, "nonsense"):
        page = client.get(url(pworld_a, f"verify/{tried}/"))
        assert page.status_code == 404
        assert 'data-status="unknown"' in page.content.decode()
    elsewhere = client.get(url(pworld_b, f"verify/{code}/"))
    assert elsewhere.status_code == 404
    assert permit.number not in elsewhere.content.decode()


def test_figures_page_and_downloads(client: Client, pworld_a: PermitsWorld) -> None:
    issue(pworld_a)
    register(pworld_a)
    page = client.get(url(pworld_a, "figures/"))
    assert page.status_code == 200
    assert 'data-key="apotek"' in page.content.decode()
    rows = list(
        csv.DictReader(io.StringIO(client.get(url(pworld_a, "figures.csv")).content.decode()))
    )
    apotek = next(r for r in rows if r["key"] == "apotek")
    assert apotek["issued"] == "1"
    data = json.loads(client.get(url(pworld_a, "figures.json")).content)
    assert {r["key"] for r in data["rows"]} == {"apotek", "report_only"}
    assert NIK not in json.dumps(data)


def test_figures_chart_carries_the_tables_figures(client: Client, pworld_a: PermitsWorld) -> None:
    issue(pworld_a)
    register(pworld_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url(pworld_a, "figures/"))
    body = page.content.decode()
    assert 'data-chart="permits-chart"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    chart = page.context["chart"]
    issued = next(d for d in chart["data"]["datasets"] if d["label"] == "Issued")
    by_label = dict(zip(chart["data"]["labels"], issued["data"], strict=True))
    apotek = next(r for r in page.context["rows"] if r["key"] == "apotek")
    assert by_label[str(apotek["name"])] == 1


def test_figures_page_without_applications_draws_no_chart(
    client: Client, pworld_a: PermitsWorld
) -> None:
    body = client.get(url(pworld_a, "figures/")).content.decode()
    assert 'data-chart="permits-chart"' not in body
