"""The tenant wall's second layer on PostgreSQL: row-level security.

Every table with a `region` column (RegionScoped models, the audit log, module switches)
gets a policy that, while a transaction has set
`lumbung.region_id`, shows and accepts only that region's rows. RegionMiddleware sets it
(transaction-local) for every request that names a region, and also switches to the
non-privileged role `lumbung_tenant`, because superusers and BYPASSRLS roles skip policies.
With no region set (platform work: migrations, `audit verify`, the region list) the policy
lets rows through, and django-scopes remains the wall.

The policies are (re)applied after every `migrate`, so a new module's tables are covered
without anyone remembering to do it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import Region

logger = logging.getLogger(__name__)

TENANT_ROLE = "lumbung_tenant"
SETTING = "lumbung.region_id"
POLICY = "lumbung_region_isolation"

_CONDITION = (
    f"(coalesce(current_setting('{SETTING}', true), '') = '' "
    f"OR region_id = nullif(current_setting('{SETTING}', true), '')::bigint)"
)


def region_tables() -> dict[str, bool]:
    """{table: region may be null} for every managed model with a `region` foreign key to
    Region: the RegionScoped models, the audit log and the module switches alike."""
    tables: dict[str, bool] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "region"), None)
        if field is not None and field.is_relation and field.related_model is Region:
            tables[model._meta.db_table] = bool(field.null)
    return dict(sorted(tables.items()))


def scoped_tables() -> list[str]:
    return list(region_tables())


def apply_policies(using: str = "default") -> list[str]:
    """Create the tenant role if we may, grant it table access, and enable a forced
    isolation policy on every region-scoped table. Idempotent."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return []
    with conn.cursor() as cursor:
        _ensure_role(cursor)
        tables = region_tables()
        for table, nullable in tables.items():
            _ensure_policy(cursor, conn, table, nullable)
        if _role_exists(cursor):
            cursor.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                f"TO {TENANT_ROLE}"
            )
            cursor.execute(
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {TENANT_ROLE}"
            )
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {TENANT_ROLE}")
            # Tables made later by this user (createcachetable, new migrations) too.
            cursor.execute(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, "
                f"DELETE ON TABLES TO {TENANT_ROLE}"
            )
            cursor.execute(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES "
                f"TO {TENANT_ROLE}"
            )
    _role_cache.clear()
    return list(tables)


def _ensure_role(cursor: Any) -> None:
    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    if not row or not row[0]:
        return  # operators create the role themselves; see docs/operations.md
    cursor.execute(
        f"""DO $$ BEGIN
              CREATE ROLE {TENANT_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$"""
    )
    cursor.execute(f"GRANT {TENANT_ROLE} TO current_user")


def _role_exists(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [TENANT_ROLE])
    return cursor.fetchone() is not None


def _ensure_policy(cursor: Any, conn: BaseDatabaseWrapper, table: str, nullable: bool) -> None:
    quoted = conn.ops.quote_name(table)
    # Platform rows (audit events of no region) stay writable from a region's transaction:
    # granting a role may create an account, whose event goes in the platform chain.
    condition = f"({_CONDITION} OR region_id IS NULL)" if nullable else _CONDITION
    cursor.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
    cursor.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
    cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quoted}")
    cursor.execute(f"CREATE POLICY {POLICY} ON {quoted} USING {condition} WITH CHECK {condition}")


_role_cache: dict[str, bool] = {}


def _tenant_role_usable(cursor: Any) -> bool:
    """Whether this connection's user may switch to the tenant role (once per process)."""
    if "usable" not in _role_cache:
        usable = False
        if _role_exists(cursor):
            cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [TENANT_ROLE])
            usable = bool(cursor.fetchone()[0])
        _role_cache["usable"] = usable
    return _role_cache["usable"]


def activate(region: Region) -> None:
    """Limit the current transaction to `region`'s rows (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("rls.activate needs a transaction: the setting is transaction-local")
    with connection.cursor() as cursor:
        if _tenant_role_usable(cursor):
            cursor.execute(
                "SELECT set_config(%s, %s, true), set_config('role', %s, true)",
                [SETTING, str(region.pk), TENANT_ROLE],
            )
        else:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, str(region.pk)])


@contextmanager
def switched(region: Region) -> Iterator[None]:
    """Read another region's rows for a moment (a province's aggregates of its
    kabupaten/kota), then put the caller's wall back as it was."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        previous = cursor.fetchone()[0] or ""
    activate(region)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, previous])


def deactivate() -> None:
    """Undo `activate` when our transaction was nested in an outer one (tests, or a caller
    that had already opened a transaction): releasing a savepoint keeps SET LOCAL."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', true)", [SETTING])
        cursor.execute("SET LOCAL ROLE NONE")


def policies_in_place(using: str = "default") -> dict[str, bool]:
    """{table: has forced RLS with our policy} for every region-scoped table."""
    conn = connections[using]
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity, "
            "EXISTS (SELECT 1 FROM pg_policies p "
            "WHERE p.tablename = c.relname AND p.policyname = %s) "
            "FROM pg_class c WHERE c.relname = ANY(%s)",
            [POLICY, scoped_tables()],
        )
        return {name: bool(forced and policy) for name, forced, policy in cursor.fetchall()}
