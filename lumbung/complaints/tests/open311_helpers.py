"""Helpers of the Open311 tests: requests under /open311/v2/ and reading their answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from django.test import Client

from lumbung.core.models import Region
from lumbung.core.tenancy import region_scope

from ..services import client_issue

BASE = "/open311/v2/"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def get(client: Client, resource: str, region: Region | None, **params: Any) -> Any:
    if region is not None:
        params.setdefault("jurisdiction_id", region.slug)
    return client.get(BASE + resource, params)


def xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def error_codes(response: Any) -> list[int]:
    if response["Content-Type"].startswith("text/xml"):
        root = xml(response)
        assert root.tag == "errors"
        assert all({c.tag for c in e} == {"code", "description"} for e in root)
        return [int(e.findtext("code") or 0) for e in root]
    return [e["code"] for e in response.json()]


def issue_key(region: Region, name: str = "Aplikasi Warga") -> str:
    with region_scope(region):
        return client_issue(region=region, actor=None, name=name)[1]
