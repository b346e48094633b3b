"""Error codes of the allowance area that the module's shared codes (errors.py) lack; the
import, missing-formula and closed-month refusals use PerformanceError's."""

from enum import StrEnum


class AllowanceError(StrEnum):
    FORMULA_INVALID = "performance_formula_invalid"
    BASE_MISSING = "performance_base_missing"
    NOT_DUE = "performance_month_not_due"
    CORRECTION_INVALID = "performance_correction_invalid"
