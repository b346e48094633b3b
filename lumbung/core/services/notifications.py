"""Notifications: an in-app row now, an email once the transaction commits."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ..models import Notification, Region, User


def notify(
    *, region: Region, recipient: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Record an in-app notification and send the same text by email after commit."""
    note = Notification.objects.create(
        region=region, recipient=recipient, kind=kind, title=title[:200], body=body, url=url
    )
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


def notifications_mark_read(*, region: Region, user: User) -> int:
    """Mark all of the user's notifications in the region as read; returns how many."""
    from django.utils import timezone

    return Notification.objects.filter(region=region, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
