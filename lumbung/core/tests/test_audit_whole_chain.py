"""Deleting a region's whole chain, head included, is still found by `audit verify`."""

import pytest
from django.core.management import call_command

from lumbung.core.models import AuditChainHead, AuditEvent
from lumbung.core.services.audit import audit_chains, audit_verify_chain
from lumbung.core.tenancy import dangerously_unscoped

pytestmark = pytest.mark.django_db


def test_a_chain_deleted_with_its_head_is_reported(region_a, capsys):
    # given region A's whole chain and its head are deleted
    with dangerously_unscoped():
        AuditEvent.objects.filter(chain=region_a.code).delete()
        AuditChainHead.objects.filter(chain=region_a.code).delete()
    # when the chains are verified
    problem = audit_verify_chain(region_a.code)
    # then the active region's chain is listed and reported as deleted
    assert region_a.code in audit_chains()
    assert problem is not None
    assert problem.kind == "deleted"
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", region_a.slug)
    assert exit_.value.code == 1
