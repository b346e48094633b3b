from .audit import AuditChainHead, AuditEvent
from .calendar import CollectiveLeaveDay, RegionHoliday
from .notifications import Notification
from .numbering import NumberSeries
from .people import ApiToken, Membership, User
from .regions import ModuleActivation, Region
from .tenancy import RegionScoped
from .units import Unit
from .workflow import SlaOverride, StateLabel, Transition, WorkflowCase

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditEvent",
    "CollectiveLeaveDay",
    "Membership",
    "ModuleActivation",
    "Notification",
    "NumberSeries",
    "Region",
    "RegionHoliday",
    "RegionScoped",
    "SlaOverride",
    "StateLabel",
    "Transition",
    "Unit",
    "User",
    "WorkflowCase",
]
