"""Who may do what in online licensing, one `rules` permission per action. The services
check the finer rules (the signing unit, one's own application) themselves."""

import rules

from lumbung.core.models.people import Role
from lumbung.core.permissions import can_administer, has_role, is_auditor

is_permits_staff = has_role(Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN, Role.REGION_HEAD)

rules.add_perm("permits.view_queue", is_permits_staff | is_auditor)
rules.add_perm("permits.work_application", has_role(Role.OFFICER, Role.UNIT_HEAD))
rules.add_perm("permits.decide", has_role(Role.UNIT_HEAD, Role.REGION_HEAD))
rules.add_perm("permits.sign", has_role(Role.UNIT_HEAD, Role.REGION_HEAD))
rules.add_perm("permits.revoke", has_role(Role.UNIT_HEAD, Role.REGION_HEAD))
rules.add_perm("permits.manage_catalogue", can_administer)
rules.add_perm("permits.audit_registrations", is_permits_staff | is_auditor)
