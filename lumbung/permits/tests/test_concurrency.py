"""Two deciders at the same moment (PostgreSQL: two threads need two transactions on
separate connections): only one approval of a step succeeds, and only one permit is
issued by two signatories."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import make_world

from ..models import Application, Permit
from ..services.stages import application_approve, application_sign
from .factories import PermitsWorld, apply, enable_permits, to_stage

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: two threads need two transactions on separate connections",
)


def race(pw: PermitsWorld, calls: list[Callable[[Application], Any]], pk: int) -> list[Any]:
    """Each call on its own loaded copy of the application, in its own thread and
    connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with region_scope(pw.region):
                mine = Application.objects.get(region=pw.region, pk=pk)
                barrier.wait(timeout=30)
                calls[index](mine)
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = str(error.code)
        except Exception as error:  # reported by the assertions on the outcomes
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_cannot_both_succeed() -> None:
    pw = enable_permits(make_world("32.73", modules=["sample"]))
    app = to_stage(pw, apply(pw), "approval")
    head, region_head = pw.user(Role.UNIT_HEAD), pw.user(Role.REGION_HEAD)

    outcomes = race(
        pw,
        [
            lambda a: application_approve(region=pw.region, actor=head, application=a),
            lambda a: application_approve(region=pw.region, actor=region_head, application=a),
        ],
        app.pk,
    )

    assert sorted(map(str, outcomes)) == sorted(["ok", str(ErrorCode.CONCURRENT_UPDATE)])
    with region_scope(pw.region):
        approvals = Transition.objects.filter(
            region=pw.region, case_id=str(app.pk), action="approve_for_payment"
        )
        assert approvals.count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_signatures_issue_one_permit() -> None:
    pw = enable_permits(make_world("32.73", modules=["sample"]))
    app = to_stage(pw, apply(pw), "signing")
    head, region_head = pw.user(Role.UNIT_HEAD), pw.user(Role.REGION_HEAD)

    outcomes = race(
        pw,
        [
            lambda a: application_sign(region=pw.region, actor=head, application=a),
            lambda a: application_sign(region=pw.region, actor=region_head, application=a),
        ],
        app.pk,
    )

    assert sorted(map(str, outcomes)) == sorted(["ok", str(ErrorCode.CONCURRENT_UPDATE)])
    with region_scope(pw.region):
        assert Permit.objects.filter(region=pw.region, application_id=app.pk).count() == 1
