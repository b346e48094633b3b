"""The verification page's fast path: a standalone page rendered without the request's
context processors, and a written-out SQL lookup. What it states, in which language, at
what cost in statements, and that the SQL answers as the ORM would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..codes import code_for
from ..models import Permit
from ..selectors import UNKNOWN, permit_status, verify
from ..services.issuing import permit_revoke, permit_suspend
from .factories import NIK, PermitsWorld, issue, permit_of, register

pytestmark = pytest.mark.django_db


def _path(pw: PermitsWorld, code: str) -> str:
    return f"/{pw.region.slug}/permits/verify/{code}/"


def _code(permit: Permit) -> str:
    return code_for(permit.region_id, permit.token)


def _statements(client: Client, path: str) -> list[str]:
    """The statements one request sends, once the region's setup is remembered."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [q["sql"] for q in captured.captured_queries]


def _verdict(client: Client, path: str) -> str:
    body = client.get(path).content.decode()
    return body.split('<p class="verdict"><strong>', 1)[1].split("</strong>", 1)[0]


def test_a_known_code_costs_one_lookup_and_an_unknown_one_none(
    client: Client, pworld_a: PermitsWorld
) -> None:
    # given a permit and a code whose signature was altered
    code = _code(issue(pworld_a))
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    # when each is asked for
    known = _statements(client, _path(pworld_a, code))
    unknown = _statements(client, _path(pworld_a, altered))
    # then the known code reads one row, with nothing else of the permits module
    assert len([q for q in known if "permits_" in q]) == 1
    # and the altered one fails its HMAC before the database
    assert not [q for q in unknown if "permits_" in q]
    # and nothing else of the request reads the database: no session, user, roles or
    # notifications. Tests read the region and its modules every time (the public cache is
    # off); PostgreSQL adds the region's transaction (a savepoint inside the test's own),
    # the wall's switch, and putting it back after the savepoint.
    region_setup = 2
    wall = 5 if connection.vendor == "postgresql" else 0
    assert len(known) == region_setup + wall + 1
    assert len(unknown) == region_setup + wall


def test_each_status_in_indonesian_and_english(client: Client, pworld_a: PermitsWorld) -> None:
    # given a valid, an expired, a suspended and a revoked document
    valid, expired = issue(pworld_a), permit_of(register(pworld_a))
    suspended = permit_of(register(pworld_a, business_name="Warung Dua"))
    revoked = permit_of(register(pworld_a, business_name="Warung Tiga"))
    head = pworld_a.user(Role.UNIT_HEAD)
    with region_scope(pworld_a.region):
        Permit.objects.filter(region=pworld_a.region, pk=expired.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
        permit_suspend(region=pworld_a.region, actor=head, permit=suspended, reason="Audit")
        permit_revoke(region=pworld_a.region, actor=head, permit=revoked, reason="Tutup")
    cases = [
        (valid, "valid", "Berlaku", "Valid"),
        (expired, "expired", "Kedaluwarsa", "Expired"),
        (suspended, "suspended", "Dibekukan", "Suspended"),
        (revoked, "revoked", "Dicabut", "Revoked"),
    ]
    for permit, status, indonesian, english in cases:
        path = _path(pworld_a, _code(permit))
        # then Bahasa Indonesia by default
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        page = client.get(path)
        assert page.status_code == 200
        assert f'data-status="{status}"' in page.content.decode()
        assert _verdict(client, path) == indonesian
        # and English when the visitor chose it
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert _verdict(client, path) == english


def test_the_page_stands_alone_in_the_visitors_language(
    client: Client, pworld_a: PermitsWorld
) -> None:
    permit = issue(pworld_a)
    path = _path(pworld_a, _code(permit))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(path)
    body = page.content.decode()
    assert '<html lang="en"' in body
    assert "Pharmacy permit" in body  # the permit type's name in the reader's language
    assert '<meta name="robots" content="noindex">' in body
    assert "lumbung.css" in body
    assert 'action="/i18n/setlang/"' in body
    assert f'name="next" value="{path}"' in body
    assert 'value="id"' in body
    assert 'aria-pressed="true">English<' in body
    assert f'href="/{pworld_a.region.slug}/"' in body  # back to the region's portal
    assert pworld_a.region.title in body
    # an anonymous scan leaves nothing behind: no session, no cookie, no cached copy
    assert not page.cookies
    assert page["Cache-Control"] == "no-store"
    assert page["X-Robots-Tag"] == "noindex"


def test_no_personal_data_on_the_page(client: Client, pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    body = client.get(_path(pworld_a, _code(permit))).content.decode()
    assert "Apotek Sehat Sentosa" in body
    assert permit.number in body
    for personal in (NIK, "Euis Komariah", "Jl. Braga", "01.234.567.8-901.000"):
        assert personal not in body


def test_unknown_and_another_regions_codes_are_404(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    permit = issue(pworld_a)
    code = _code(permit)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    for path in (_path(pworld_a, forged), _path(pworld_a, "x" * 32), _path(pworld_b, code)):
        page = client.get(path)
        body = page.content.decode()
        assert page.status_code == 404
        assert 'data-status="unknown"' in body
        assert permit.number not in body
        assert "Apotek Sehat Sentosa" not in body


def test_the_lookup_answers_as_the_orm_does(pworld_a: PermitsWorld, pworld_b: PermitsWorld) -> None:
    # given a permit with a type, a receipt without one, and a suspended one
    head = pworld_a.user(Role.UNIT_HEAD)
    permits = [issue(pworld_a), permit_of(register(pworld_a))]
    suspended = permit_of(register(pworld_a, business_name="Warung Dua"))
    with region_scope(pworld_a.region):
        permit_suspend(region=pworld_a.region, actor=head, permit=suspended, reason="Audit")
    permits.append(suspended)
    for language in ("id", "en"):
        with translation.override(language), region_scope(pworld_a.region):
            for permit in permits:
                stored = Permit.objects.select_related("permit_type").get(pk=permit.pk)
                # when the printed code is verified
                answer = verify(pworld_a.region, _code(permit))
                # then every fact is the row's, as the ORM reads it
                assert answer.status == permit_status(pworld_a.region, stored)
                assert answer.number == stored.number
                assert answer.business_name == stored.business_name
                assert answer.permit_type == (stored.permit_type.name if stored.permit_type else "")
                assert answer.lane == stored.lane
                assert answer.valid_from == stored.valid_from
                assert answer.valid_until == stored.valid_until
                assert answer.by_default == stored.by_default
    # and the token of one region's permit is nothing in another's
    with region_scope(pworld_b.region):
        assert verify(pworld_b.region, _code(permits[0])).status == UNKNOWN
        assert (
            verify(pworld_b.region, code_for(pworld_b.region.pk, permits[0].token)).status
            == UNKNOWN
        )
