"""What the registry offers other modules: the NIKs of the region's active civil servants,
for the grants module's red flag on aid paid to a civil servant (the lead registers it
with lumbung.grants.flags.people.civil_servant_provider_register)."""

from __future__ import annotations

from lumbung.core.models import Region
from lumbung.core.tenancy import region_scope

from ..selectors import employees, region_today


def civil_servant_niks(region: Region) -> set[str]:
    """The NIKs of the people employed in `region` today (those who gave one)."""
    with region_scope(region):
        active = employees(region, on=region_today(region)).exclude(nik="")
        return set(active.values_list("nik", flat=True))
