"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ..context import current_request_id
from ..models import AuditChainHead, AuditEvent, Region, User
from ..models.audit import PLATFORM_CHAIN
from ..pdp import mask_value
from ..public_cache import bump_public_version, bump_settings_version
from ..tenancy import dangerously_unscoped

GENESIS = "0" * 64


def chain_key(region: Region | None) -> str:
    return region.code if region is not None else PLATFORM_CHAIN


def event_digest(event: AuditEvent) -> str:
    """SHA-256 over the previous hash and every recorded field of the event."""
    payload = {
        "chain": event.chain,
        "seq": event.seq,
        # In UTC, as the database hands it back, whatever zone the time was written in.
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
        "region": event.region_id,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((event.prev_hash + canonical).encode()).hexdigest()


def masked_changes(changes: dict[str, Any] | None) -> dict[str, Any]:
    """Changes as {field: [old, new]}, with personal data masked before it is stored."""
    result: dict[str, Any] = {}
    for name, value in (changes or {}).items():
        if isinstance(value, list | tuple) and len(value) == 2:
            result[name] = [_jsonable(mask_value(name, v)) for v in value]
        else:
            result[name] = _jsonable(mask_value(name, value))
    return result


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def audit_record(
    *,
    region: Region | None,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    casework: bool = False,
) -> AuditEvent:
    """Append one event to the region's chain, inside the caller's transaction.
    `casework=True` says the write changed a case (a report filed, an application moved),
    not how the region is set up: the setup each process keeps in memory stays valid."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    chain = chain_key(region)
    seq, prev_hash = _advance_head(chain)
    event = AuditEvent(
        region=region,
        chain=chain,
        seq=seq,
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None and actor.pk else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=masked_changes(changes),
        reason=reason,
        request_id=current_request_id(),
        prev_hash=prev_hash,
    )
    event.hash = event_digest(event)
    with dangerously_unscoped():
        event.save(force_insert=True)
    AuditChainHead.objects.filter(chain=chain).update(last_hash=event.hash)
    # Whatever changed in a region may show on a public page: cached public answers go
    # stale on commit. Platform events (sign-ins, tokens) change no public page, but may
    # change the setup (the national calendar) that processes keep in memory.
    if region is not None:
        transaction.on_commit(bump_public_version)
    if not casework:
        transaction.on_commit(bump_settings_version)
    return event


def _advance_head(chain: str) -> tuple[int, str]:
    """The chain's next number and the hash the event follows, in one statement that
    locks the head row until commit, so concurrent appends queue behind each other. The
    head's hash is set to the new event's once it is computed."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    sql = (
        f"UPDATE {table} SET last_seq = last_seq + 1 WHERE chain = %s "  # noqa: S608
        "RETURNING last_seq, last_hash"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [chain])
        row = cursor.fetchone()
        if row is None:  # the chain's first event
            AuditChainHead.objects.get_or_create(chain=chain, defaults={"last_hash": GENESIS})
            cursor.execute(sql, [chain])
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    seq: int
    kind: str  # edited | deleted | inserted | truncated
    detail: str


def audit_verify_chain(chain: str) -> ChainProblem | None:
    """Walk one chain from the start; return the first event that breaks it, or None."""
    prev_hash, expected_seq = GENESIS, 1
    with dangerously_unscoped():
        events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
        for event in events:
            problem = _check_event(event, prev_hash, expected_seq)
            if problem:
                return problem
            prev_hash, expected_seq = event.hash, event.seq + 1
    return _check_head(chain, prev_hash, expected_seq - 1)


def _check_event(event: AuditEvent, prev_hash: str, expected_seq: int) -> ChainProblem | None:
    chain = event.chain
    if event.seq != expected_seq:
        return ChainProblem(chain, expected_seq, "deleted", f"event #{expected_seq} is missing")
    if event.prev_hash != prev_hash:
        return ChainProblem(chain, event.seq, "inserted", "does not follow the event before it")
    if event_digest(event) != event.hash:
        return ChainProblem(chain, event.seq, "edited", "content does not match its hash")
    return None


def _check_head(chain: str, last_hash: str, last_seq: int) -> ChainProblem | None:
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None and last_seq == 0:
        # Activating a region writes its first event: an active region without a chain
        # has lost all of it.
        if Region.objects.filter(code=chain, is_active=True).exists():
            return ChainProblem(chain, 1, "deleted", "the region is active but has no events")
        return None
    if head is None:
        return ChainProblem(chain, 1, "inserted", "chain has no head")
    if head.last_seq == last_seq and head.last_hash != last_hash:
        # Every event links to the one before, but not to the head: the tail was re-hashed.
        return ChainProblem(
            chain, last_seq, "edited", f"event #{last_seq} is not the one its head records"
        )
    if head.last_seq != last_seq:
        return ChainProblem(
            chain,
            min(head.last_seq, last_seq) + 1,
            "deleted" if head.last_seq > last_seq else "inserted",
            f"chain ends at #{last_seq} but its head records #{head.last_seq}",
        )
    return None


def audit_chains(region: Region | None = None) -> list[str]:
    """Every chain to verify: each active region's (even if its rows are all gone), and
    every chain that has a head or events."""
    if region is not None:
        return [chain_key(region)]
    with dangerously_unscoped():
        chains = set(AuditChainHead.objects.values_list("chain", flat=True))
        chains |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    chains |= set(Region.objects.filter(is_active=True).values_list("code", flat=True))
    return sorted(chains)


@transaction.atomic
def personal_data_read(
    *, region: Region, actor: User, obj: models.Model, fields: list[str], purpose: str = ""
) -> AuditEvent:
    """Record that a staff member was shown personal data (full NIK, phone, address) of
    `obj`, as UU 27/2022 expects: who, when, which fields, why. Values are not recorded."""
    return audit_record(
        region=region,
        actor=actor,
        action="pdp.read",
        obj=obj,
        changes={"fields": sorted(fields)},
        reason=purpose,
    )
