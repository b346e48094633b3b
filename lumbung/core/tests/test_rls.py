"""PostgreSQL row-level security: the second wall behind django-scopes."""

import pytest
from django.db import DatabaseError, connection, transaction

from lumbung.core import rls
from lumbung.core.models import Unit
from lumbung.core.models.units import UnitKind
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.tests.sample.models import SampleCase

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="RLS is PostgreSQL-only"),
]


def _raw_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return int(cursor.fetchone()[0])


def test_every_region_scoped_table_has_a_forced_policy():
    # given the migrated database
    # when reading the catalogue
    state = rls.policies_in_place()
    # then every region-scoped table, the test module's included, has forced RLS
    assert "core_unit" in state
    assert "sample_samplecase" in state
    assert "core_auditevent" in state  # region may be null: platform events
    assert "core_moduleactivation" in state
    assert all(state.values()), [t for t, ok in state.items() if not ok]


def test_raw_sql_in_a_region_transaction_sees_only_that_region(region_a, region_b):
    # given units in two regions
    with dangerously_unscoped():
        total = Unit.objects.count()
        own = Unit.objects.filter(region=region_a).count()
    assert own < total
    # when a transaction is limited to region A
    with transaction.atomic():
        rls.activate(region_a)
        seen = _raw_count("core_unit")
        with dangerously_unscoped():
            orm_seen = Unit.objects.count()
        rls.deactivate()
    # then neither raw SQL nor an unscoped ORM query sees region B's rows
    assert seen == own
    assert orm_seen == own


def test_writing_another_regions_row_is_refused(region_a, region_b):
    # given a transaction limited to region A
    # when code tries to insert a row owned by region B
    # then the database refuses it, whatever the ORM filter said
    def smuggle() -> None:
        with transaction.atomic():
            rls.activate(region_a)
            with dangerously_unscoped():
                Unit.objects.create(region=region_b, code="X", name="Smuggled", kind=UnitKind.DINAS)

    with pytest.raises(DatabaseError):
        smuggle()
    with dangerously_unscoped():
        assert not Unit.objects.filter(code="X").exists()


def test_a_request_leaves_no_region_setting_behind(client, world_a, region_b):
    # given a case in region B
    with region_scope(region_b):
        SampleCase.objects.create(
            region=region_b,
            title="B's case",
            state="received",
            state_entered_at="2026-01-05T00:00Z",
        )
    # when region A's page is served inside the test's transaction
    assert client.get(f"/{world_a.region.slug}/sample/").status_code == 200
    # then the session is back to platform scope: region B's rows are visible again
    assert _raw_count("sample_samplecase") == 1
