"""Error codes of the staff registry beyond the module's own (errors.py): each rule a
registry write can break has its own stable code."""

from enum import StrEnum


class RegistryError(StrEnum):
    NIK_INVALID = "performance_nik_invalid"
    NIK_TAKEN = "performance_nik_taken"
    ACCOUNT_TAKEN = "performance_account_taken"
    GRADE_INVALID = "performance_grade_invalid"
    SUPERVISOR_INACTIVE = "performance_supervisor_inactive"
    STILL_SUPERVISES = "performance_still_supervises"
    EFFECTIVE_DATE = "performance_effective_date_invalid"
    EMPLOYMENT_ENDED = "performance_employment_ended"
    TPP_BASE_EXISTS = "performance_tpp_base_exists"
    IMPORT_FILE = "performance_import_file"
