"""The OpenAPI document says what the API really sends: every 4xx is an RFC 9457 problem
(application/problem+json), whether or not the operation lists that status itself."""

from __future__ import annotations

from typing import Any

from .errors import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
    },
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ANY_CLIENT_ERROR = {
    "description": "Problem details (RFC 9457)",
    "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare 4XX on every operation and give declared error responses their real type."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if str(status)[0] in "45" and "content" in response:
                    body = response["content"].get("application/json") or {"schema": PROBLEM_REF}
                    response["content"] = {PROBLEM_CONTENT_TYPE: body}
            responses.setdefault("4XX", ANY_CLIENT_ERROR)
    return schema
