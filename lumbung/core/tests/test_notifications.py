"""In-app notifications: the inbox page, unread count, mark as read; mail on commit."""

import pytest
from django.core import mail

from conftest import login
from lumbung.core.models import Notification
from lumbung.core.models.people import Role
from lumbung.core.services.notifications import notify
from lumbung.core.tenancy import region_scope

pytestmark = pytest.mark.django_db


def test_inbox_lists_and_marks_read(client, world_a, world_b, django_capture_on_commit_callbacks):
    # given a notification for the officer in region A, and one for region B's officer
    officer = world_a.users[Role.OFFICER]
    with region_scope(world_a.region), django_capture_on_commit_callbacks(execute=True):
        notify(region=world_a.region, recipient=officer, kind="t", title="Kasus terlambat")
    with region_scope(world_b.region):
        notify(
            region=world_b.region, recipient=world_b.users[Role.OFFICER], kind="t", title="B only"
        )
    # then an email went out on commit
    assert [m.to for m in mail.outbox] == [[officer.email]]
    # when the officer opens the inbox of region A
    login(client, officer)
    page = client.get(f"/{world_a.region.slug}/notifications/")
    # then they see their notification and none of region B's
    assert page.status_code == 200
    assert "Kasus terlambat" in page.content.decode()
    assert "B only" not in page.content.decode()
    assert page.context["unread_notifications"] == 1
    # when they mark all as read
    client.post(f"/{world_a.region.slug}/notifications/")
    with region_scope(world_a.region):
        assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()


def test_inbox_needs_login(client, world_a):
    response = client.get(f"/{world_a.region.slug}/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_notifications_sent_together_are_written_in_one_insert(
    world_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from lumbung.core.services.notifications import notifications_batched

    region, staff = world_a.region, [world_a.users[r] for r in (Role.OFFICER, Role.UNIT_HEAD)]
    with region_scope(region), django_capture_on_commit_callbacks(execute=True):
        # when a service tells two people inside one batch
        with django_assert_num_queries(1), notifications_batched():
            for person in staff:
                notify(region=region, recipient=person, kind="t", title="Laporan baru")
        # then both have it, and both are mailed on commit
        assert Notification.objects.filter(region=region, title="Laporan baru").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in staff)


def test_a_batch_that_fails_writes_no_notification(world_a):
    from lumbung.core.services.notifications import notifications_batched

    region = world_a.region

    def service_failing_after_telling() -> None:
        with notifications_batched():
            notify(region=region, recipient=world_a.users[Role.OFFICER], kind="t", title="Gagal")
            raise RuntimeError("the service failed after telling")

    with region_scope(region):
        with pytest.raises(RuntimeError):
            service_failing_after_telling()
        assert not Notification.objects.filter(region=region, title="Gagal").exists()
