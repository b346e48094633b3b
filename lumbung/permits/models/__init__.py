from .applications import (
    Application,
    ApplicationActivity,
    ApplicationDocument,
    Inspection,
    InspectionPhoto,
)
from .catalogue import (
    DocumentFormat,
    FeeKind,
    Kbli,
    PermitType,
    Requirement,
    RoutingRule,
    StageSla,
)
from .common import INSTANT_LANES, Lane, Risk, Scale
from .permits import Permit, PermitStatus

__all__ = [
    "INSTANT_LANES",
    "Application",
    "ApplicationActivity",
    "ApplicationDocument",
    "DocumentFormat",
    "FeeKind",
    "Inspection",
    "InspectionPhoto",
    "Kbli",
    "Lane",
    "Permit",
    "PermitStatus",
    "PermitType",
    "Requirement",
    "Risk",
    "RoutingRule",
    "Scale",
    "StageSla",
]
