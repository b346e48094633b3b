"""Ticket numbers move to core's gap-free number series (series "complaints"): each
region's and year's last number is copied over, then the module's own counter goes."""

from django.db import migrations

SERIES = "complaints"


def counters_to_series(apps, schema_editor):
    TicketCounter = apps.get_model("complaints", "TicketCounter")
    NumberSeries = apps.get_model("core", "NumberSeries")
    for counter in TicketCounter.objects.all().iterator():
        series, created = NumberSeries.objects.get_or_create(
            region_id=counter.region_id,
            series=SERIES,
            year=counter.year,
            defaults={"last": counter.last},
        )
        # A number already given from core's series is never given again.
        if not created and series.last < counter.last:
            series.last = counter.last
            series.save(update_fields=["last"])


def series_to_counters(apps, schema_editor):
    TicketCounter = apps.get_model("complaints", "TicketCounter")
    NumberSeries = apps.get_model("core", "NumberSeries")
    for series in NumberSeries.objects.filter(series=SERIES).iterator():
        TicketCounter.objects.update_or_create(
            region_id=series.region_id, year=series.year, defaults={"last": series.last}
        )
    NumberSeries.objects.filter(series=SERIES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_complaint_paused_days_left_complaint_paused_state"),
        ("core", "0005_alter_membership_role_numberseries"),
    ]

    operations = [
        migrations.RunPython(counters_to_series, series_to_counters),
        migrations.DeleteModel(name="TicketCounter"),
    ]
