"""Notifications: an in-app row now, an email once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ..models import Notification, Region, User

# The rows of an open `notifications_batched` block, written together at its end.
_batch: ContextVar[list[Notification] | None] = ContextVar("notifications_batch", default=None)


def notify(
    *, region: Region, recipient: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Record an in-app notification and send the same text by email after commit. Inside
    `notifications_batched` the row is written at the end of the block."""
    note = Notification(
        region=region, recipient=recipient, kind=kind, title=title[:200], body=body, url=url
    )
    batch = _batch.get()
    if batch is None:
        note.save(force_insert=True)
    else:
        batch.append(note)
    if recipient.email:
        transaction.on_commit(
            partial(
                send_mail,
                subject=f"[{region.title}] {title}"[:200],
                message=f"{body}\n\n{url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
                fail_silently=True,
            )
        )
    return note


@contextmanager
def notifications_batched() -> Iterator[None]:
    """Write every notification sent inside the block in one insert when it ends (a filing
    tells the reporter and each officer of the unit). Nothing is written if the block
    raises; an inner block leaves the writing to the outer one."""
    if _batch.get() is not None:
        yield
        return
    batch: list[Notification] = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch:
        Notification.objects.bulk_create(batch)


def notifications_mark_read(*, region: Region, user: User) -> int:
    """Mark all of the user's notifications in the region as read; returns how many."""
    from django.utils import timezone

    return Notification.objects.filter(region=region, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
