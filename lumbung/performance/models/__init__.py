from .allowance import (
    AttendanceDay,
    Correction,
    DayKind,
    FormulaKind,
    ImportKind,
    ImportRun,
    Period,
    PeriodState,
    TppFormula,
    TppResult,
)
from .staff import Employee, EmploymentType, Posting, TppBase
from .worklog import Activity, Entry

__all__ = [
    "Activity",
    "AttendanceDay",
    "Correction",
    "DayKind",
    "Employee",
    "EmploymentType",
    "Entry",
    "FormulaKind",
    "ImportKind",
    "ImportRun",
    "Period",
    "PeriodState",
    "Posting",
    "TppBase",
    "TppFormula",
    "TppResult",
]
