"""Stable error codes and the domain exceptions that carry them.

The API turns a DomainError into RFC 9457 problem details with the same `code`; the HTML
views show its message. Tests assert on codes, never on message text."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    VALIDATION = "validation_error"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    PERMISSION_DENIED = "permission_denied"
    RATE_LIMITED = "rate_limited"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"
    CONFLICT = "conflict"
    INVALID_CREDENTIALS = "invalid_credentials"
    OTP_REQUIRED = "otp_required"
    EMAIL_UNVERIFIED = "email_unverified"
    REGION_UNKNOWN = "region_unknown"
    REGION_ALREADY_ACTIVE = "region_already_active"
    MODULE_UNKNOWN = "module_unknown"
    WORKFLOW_UNKNOWN = "workflow_unknown"
    INVALID_TRANSITION = "invalid_transition"
    ACTION_NOT_ALLOWED = "action_not_allowed"
    NOTE_REQUIRED = "note_required"
    ATTACHMENT_REQUIRED = "attachment_required"
    CONCURRENT_UPDATE = "concurrent_update"
    UNIT_CYCLE = "unit_cycle"
    DUPLICATE = "duplicate"


class DomainError(Exception):
    """A rule of the domain was broken. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(
        self,
        code: StrEnum,  # core's ErrorCode, or a module's own codes
        message: str | Promise,
        *,
        field_errors: dict[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field_errors = field_errors or {}
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str | Promise = _("Not found.")) -> None:
        super().__init__(ErrorCode.NOT_FOUND, message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str | Promise = _("You may not do this.")) -> None:
        super().__init__(ErrorCode.PERMISSION_DENIED, message)


class ValidationFailed(DomainError):
    status = 422

    def __init__(
        self, field_errors: dict[str, list[str]], message: str | Promise = _("Invalid input.")
    ) -> None:
        super().__init__(ErrorCode.VALIDATION, message, field_errors=field_errors)


class Conflict(DomainError):
    status = 409
