"""Who may do what in grants and social aid, one `rules` permission per action."""

import rules

from lumbung.core.models.people import Role
from lumbung.core.permissions import can_administer, has_role, is_auditor

is_grants_staff = has_role(
    Role.OFFICER,
    Role.UNIT_HEAD,
    Role.REGION_ADMIN,
    Role.CONSIDERATION_TEAM,
    Role.BUDGET_TEAM,
    Role.REGION_HEAD,
)

rules.add_perm("grants.view_queue", is_grants_staff | is_auditor)
rules.add_perm("grants.work_proposal", is_grants_staff)
rules.add_perm("grants.verify_organisation", has_role(Role.OFFICER, Role.UNIT_HEAD))
rules.add_perm("grants.manage_programmes", can_administer)
rules.add_perm("grants.manage_registry", has_role(Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN))
rules.add_perm("grants.view_flags", is_grants_staff | is_auditor)
rules.add_perm("grants.dismiss_flag", has_role(Role.UNIT_HEAD, Role.REGION_ADMIN) | is_auditor)
# Reviewing a citizen's suspicion is oversight: the inspectorate's auditors, or the region
# admin where the region has none (not the units whose grants it may be about).
rules.add_perm("grants.review_suspicion", has_role(Role.REGION_ADMIN) | is_auditor)
