"""Who may do what with reports, one `rules` permission per action."""

import rules

from lumbung.core.models.people import Role
from lumbung.core.permissions import can_administer, has_role, is_auditor

is_case_worker = has_role(Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN)

# Staff queues, case pages and contact details (the read of which is audited).
rules.add_perm("complaints.view_queue", is_case_worker | is_auditor)
rules.add_perm("complaints.work_case", is_case_worker)
rules.add_perm("complaints.route_case", is_case_worker)
rules.add_perm("complaints.assign_case", has_role(Role.UNIT_HEAD, Role.REGION_ADMIN))
rules.add_perm("complaints.manage_categories", can_administer)
rules.add_perm("complaints.manage_templates", can_administer)
rules.add_perm("complaints.manage_clients", can_administer)
