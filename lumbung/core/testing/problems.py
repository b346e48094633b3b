"""Assertions on the API's RFC 9457 problem documents, for every module's API tests."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponseBase

PROBLEM_JSON = "application/problem+json"


def problem_of(response: HttpResponseBase) -> dict[str, Any]:
    """The response's problem document, after checking it has every member the API promises
    (type, title, status, detail, code, errors) and the problem content type."""
    assert response["Content-Type"] == PROBLEM_JSON, response["Content-Type"]
    body: dict[str, Any] = json.loads(response.content)  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(body), body
    assert body["status"] == response.status_code
    assert body["type"] == f"urn:lumbung:problem:{body['code']}"
    assert isinstance(body["errors"], dict)
    return body
