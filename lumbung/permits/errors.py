"""Error codes of the permits module (the API problem's `code`). Bad fields are plain
validation errors with field-level messages; these name the rules of the domain, and
tests assert on them."""

from enum import StrEnum


class PermitsError(StrEnum):
    # Who is asking
    NOT_APPLICANT = "permits_not_applicant"
    NOT_STAGE_ROLE = "permits_not_stage_role"
    NOT_SIGNATORY = "permits_not_signatory"
    OWN_APPLICATION = "permits_own_application"
    # The catalogue
    FEE_FORMULA_INVALID = "permits_fee_formula_invalid"
    SLA_INVALID = "permits_sla_invalid"
    KBLI_INVALID = "permits_kbli_invalid"
    KBLI_UNKNOWN = "permits_kbli_unknown"
    KBLI_IMPORT_FAILED = "permits_kbli_import_failed"
    RULE_INVALID = "permits_rule_invalid"
    TYPE_INACTIVE = "permits_type_inactive"
    # Applying
    NO_PERMIT_TYPE = "permits_no_permit_type"
    DOCUMENTS_MISSING = "permits_documents_missing"
    DOCUMENT_UNKNOWN = "permits_document_unknown"
    ADDRESS_OUTSIDE_REGION = "permits_address_outside_region"
    # Stages
    CHECKLIST_INCOMPLETE = "permits_checklist_incomplete"
    CHECKLIST_FAILED = "permits_checklist_failed"
    INSPECTION_NOT_SCHEDULED = "permits_inspection_not_scheduled"
    PAYMENT_REFERENCE_REQUIRED = "permits_payment_reference_required"
    NO_DEFAULT_APPROVAL = "permits_no_default_approval"
    NOT_OVERDUE = "permits_not_overdue"
    # Issued permits
    PERMIT_STATUS = "permits_permit_status"
    RENEWAL_TOO_EARLY = "permits_renewal_too_early"
    RENEWAL_NOT_NEEDED = "permits_renewal_not_needed"
