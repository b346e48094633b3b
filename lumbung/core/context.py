"""Per-request context that services read without every caller passing it along."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("lumbung_request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()
