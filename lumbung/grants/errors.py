"""Error codes of the grants module's hibah services (the API problem's `code`). Bad
fields are plain validation errors with field-level messages; these name the rules of the
domain, and tests assert on them."""

from enum import StrEnum


class GrantsError(StrEnum):
    # Who is asking
    NOT_APPLICANT = "grants_not_applicant"
    NOT_STAGE_ROLE = "grants_not_stage_role"
    NOT_EVALUATING_UNIT = "grants_not_evaluating_unit"
    # Organisations
    ORGANISATION_EXISTS = "grants_organisation_exists"
    ORGANISATION_NOT_VERIFIED = "grants_organisation_not_verified"
    ORGANISATION_REJECTED = "grants_organisation_rejected"
    ORGANISATION_NOT_PENDING = "grants_organisation_not_pending"
    LPJ_OVERDUE = "grants_lpj_overdue"
    # Programmes and proposals
    PROGRAMME_CLOSED = "grants_programme_closed"
    BUDGET_EMPTY = "grants_budget_empty"
    AMOUNT_INVALID = "grants_amount_invalid"
    AMOUNT_RISE_UNJUSTIFIED = "grants_amount_rise_unjustified"
    CEILING_EXCEEDED = "grants_ceiling_exceeded"
    UNIT_REQUIRED = "grants_unit_required"
    # Checklists
    CHECKLIST_UNKNOWN_ITEM = "grants_checklist_unknown_item"
    CHECKLIST_COMPUTED = "grants_checklist_computed"
    CHECKLIST_INCOMPLETE = "grants_checklist_incomplete"
    CHECKLIST_FAILED = "grants_checklist_failed"
    # Agreement, disbursement and the LPJ
    NOT_DISBURSABLE = "grants_not_disbursable"
    TRANCHE_EXCEEDS_FINAL = "grants_tranche_exceeds_final"
    DOCUMENT_REQUIRED = "grants_document_required"
    SETTING_INVALID = "grants_setting_invalid"
