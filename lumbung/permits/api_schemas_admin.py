"""The region admin's permits schemas: permit types, requirements, deadlines, routing rules
and KBLI imports (named Permit… like every permits schema: component names are shared)."""

from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from .api_schemas import MAX_ID, STAGES, Money, PermitRef
from .models import DocumentFormat


class PermitTypeIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")
    name_id: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field("", max_length=4000)
    validity_months: int = Field(0, ge=0, le=1200)
    fee_kind: Literal["zero", "fixed", "per_m2", "per_unit"] = "zero"
    fee_rate: Money = Decimal(0)
    fee_amount: Money = Decimal(0)
    default_approval: bool = False
    inspection_required: bool = False
    verifying_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    signing_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    is_active: bool = True


class PermitTypePatch(Schema):
    name_id: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, min_length=1, max_length=200)
    legal_basis: str | None = Field(None, max_length=4000)
    validity_months: int | None = Field(None, ge=0, le=1200)
    fee_kind: Literal["zero", "fixed", "per_m2", "per_unit"] | None = None
    fee_rate: Money | None = None
    fee_amount: Money | None = None
    default_approval: bool | None = None
    inspection_required: bool | None = None
    verifying_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    signing_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    is_active: bool | None = None


class PermitRequirementIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")
    name_id: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    format: Literal["pdf", "image"] = Field(description=", ".join(DocumentFormat.values))
    mandatory: bool = True
    position: int = Field(0, ge=0, le=1000)


class PermitRequirementRemoveIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")


class PermitRequirementRemovedOut(Schema):
    code: str
    outcome: Literal["deleted", "retired"] = Field(
        description="deleted: nobody had uploaded it; retired: kept, unchanged, for the "
        "applications that had, and no longer asked of anyone"
    )


class PermitSlaIn(Schema):
    working_days: dict[str, int | None] = Field(
        description=f"Per stage ({STAGES}); null removes the type's own deadline"
    )


class PermitRuleIn(Schema):
    priority: int = Field(ge=0, le=32767)
    lane: Literal[
        "report_only", "standard_certificate_self", "standard_certificate_verified", "permit"
    ]
    kbli_prefix: str = Field("", max_length=5, pattern=r"^[0-9]{0,5}$")
    risk: Literal["", "rendah", "menengah_rendah", "menengah_tinggi", "tinggi"] = ""
    scale: Literal["", "micro", "small", "medium", "large"] = ""
    capital_min: Money | None = None
    capital_max: Money | None = None
    below_threshold: bool = Field(False, description="Capital under the region's threshold")
    permit_type_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=200)
    is_active: bool = True


class PermitRulePatch(Schema):
    priority: int | None = Field(None, ge=0, le=32767)
    lane: (
        Literal[
            "report_only", "standard_certificate_self", "standard_certificate_verified", "permit"
        ]
        | None
    ) = None
    kbli_prefix: str | None = Field(None, max_length=5, pattern=r"^[0-9]{0,5}$")
    risk: Literal["", "rendah", "menengah_rendah", "menengah_tinggi", "tinggi"] | None = None
    scale: Literal["", "micro", "small", "medium", "large"] | None = None
    capital_min: Money | None = Field(None, description="null: no lower bound")
    capital_max: Money | None = Field(None, description="null: no upper bound")
    below_threshold: bool | None = None
    permit_type_id: int | None = Field(None, ge=1, le=MAX_ID, description="null: none")
    note: str | None = Field(None, max_length=200)
    is_active: bool | None = Field(None, description="false: the rule routes nothing")


class PermitRuleOut(Schema):
    id: int
    priority: int
    lane: str
    kbli_prefix: str
    risk: str
    scale: str
    capital_min: str | None
    capital_max: str | None
    below_threshold: bool
    permit_type: PermitRef | None
    note: str
    is_active: bool


class PermitImportOut(Schema):
    created: int
    updated: int
