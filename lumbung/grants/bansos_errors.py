"""Error codes of the bansos side of the grants module (the API problem's `code`). Bad
fields are plain validation errors with field-level messages; these name the rules."""

from enum import StrEnum


class BansosError(StrEnum):
    POSSIBLE_DUPLICATE = "bansos_possible_duplicate"
    NIK_TAKEN = "bansos_nik_taken"
    PERSON_HAS_HISTORY = "bansos_person_has_history"
    PERSON_RETIRED = "bansos_person_retired"
    PERSON_NOT_RETIRED = "bansos_person_not_retired"
    PROGRAMME_CODE_TAKEN = "bansos_programme_code_taken"
    ELIGIBILITY_INVALID = "bansos_eligibility_invalid"
    CYCLE_STATE = "bansos_cycle_state"
    SAME_PERSON_APPROVES = "bansos_same_person_approves"
    ALREADY_HANDED_OVER = "bansos_already_handed_over"
    ENTITLEMENT_STATE = "bansos_entitlement_state"
    ENTITLEMENTS_OPEN = "bansos_entitlements_open"
    IMPORT_FILE = "bansos_import_file"
    LOOKUP_LIMITED = "bansos_lookup_limited"
    MODULE_OFF = "bansos_module_off"
