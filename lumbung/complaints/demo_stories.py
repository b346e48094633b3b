"""The demo's reports, planned as stories (filed, verified, answered, routed, resolved,
confirmed or disputed...) whose steps are each one call of the module's services. See
lumbung/complaints/demo.py for how their time is set."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lumbung.core.calendar import RegionCalendar
from lumbung.core.kelurahan import kelurahan_choices
from lumbung.core.models import Region, Unit, User
from lumbung.core.selectors import module_settings
from lumbung.core.services.notifications import notifications_mark_read

from .demo_texts import (
    COMMENTS,
    DISPUTES,
    LANDMARKS,
    NAMES,
    NOTES,
    PLACES,
    PROBLEMS,
    REJECTIONS,
    TEMPLATES,
)
from .models import Complaint, Source, Supporter
from .services import (
    ReportInput,
    client_authenticate,
    report_answer,
    report_assign,
    report_confirm,
    report_dispute,
    report_file,
    report_mark_duplicate,
    report_route,
    report_support,
    report_transition,
    reports_auto_close,
)
from .services.admin import STARTER_CATEGORIES
from .workflow import DUPLICATE, IN_PROGRESS, REJECTED, RESOLUTION_DAYS, SUBMITTED

DAYS = 120  # how far back the reports go
# Where reports are pinned, jittered by a few kilometres; other regions describe the place.
CENTRES = {
    "32.73": (-6.9147, 107.6098),  # Kota Bandung
    "36.71": (-6.1783, 106.6319),  # Kota Tangerang
    "36.04": (-6.1100, 106.1500),  # Kabupaten Serang
}
Step = Callable[[], object]


@dataclass
class _Story:
    data: ReportInput
    reporter: User | None
    open311: bool
    photo: bool
    complaint: Complaint | None = None  # every service refreshes the report it is handed
    secret: str = ""

    @property
    def report(self) -> Complaint:
        assert self.complaint is not None
        return self.complaint


@dataclass
class World:
    """One region's demo: its people, and the planned steps as (time, order, call)."""

    region: Region
    rng: random.Random
    now: dt.datetime
    staff: dict[str, User] = field(default_factory=dict)
    citizens: list[User] = field(default_factory=list)
    steps: list[tuple[dt.datetime, int, Step]] = field(default_factory=list)
    nights: set[dt.datetime] = field(default_factory=set)

    @cached_property
    def calendar(self) -> RegionCalendar:
        return RegionCalendar(self.region)

    @cached_property
    def window(self) -> int:
        """Working days a reporter has to confirm a resolution."""
        return int(module_settings(self.region, "complaints")["confirmation_days"])

    def at(self, when: dt.datetime, step: Step) -> dt.datetime:
        if when < self.now - dt.timedelta(minutes=5):  # the future has not happened
            self.steps.append((when, len(self.steps), step))
        return when

    def plan(self) -> list[tuple[dt.datetime, int, Step]]:
        start = self.now - dt.timedelta(days=DAYS)
        count = getattr(settings, "LUMBUNG_DEMO_COMPLAINTS", None) or self.rng.randint(200, 240)
        filed = sorted(start + dt.timedelta(days=DAYS * self.rng.random()) for _ in range(count))
        photos = set(self.rng.sample(range(count), min(3, count)))  # a few, tiny
        for index, when in enumerate(filed):
            self._story(index, when, index in photos)
        self._showcase(count)
        # Staff and citizens read their notices three days ago; the rest are new.
        self.at(self.now - dt.timedelta(days=3), self._read_notices)
        return sorted(self.steps, key=lambda s: (s[0], s[1]))

    def _auto_close_after(self, deadline: dt.datetime) -> None:
        """The periodic task's run at 01:00 the night after `deadline`: a night with
        nothing due would close nothing, so only those runs are taken (once each)."""
        night = deadline.astimezone(self.calendar.tz) + dt.timedelta(hours=1, seconds=1)
        if night not in self.nights:
            self.nights.add(night)
            self.at(night, partial(reports_auto_close, region=self.region))

    def _read_notices(self) -> None:
        for user in [*self.staff.values(), *self.citizens]:
            notifications_mark_read(region=self.region, user=user)

    # --- The reports' stories ------------------------------------------------------------

    def _new(self, index: int, category: str, photo: bool = False) -> _Story:
        signed_in = self.rng.random() < 0.4
        return _Story(
            data=self._input(index, category, signed_in),
            reporter=self.rng.choice(self.citizens) if signed_in else None,
            open311=not signed_in and self.rng.random() < 0.2,
            photo=photo,
        )

    def _showcase(self, index: int) -> None:
        """Whatever the dice said, one report in each situation a visitor looks for, at
        fixed ages (days): overdue while received, overdue in progress (answered, with a
        note), awaiting the reporter's confirmation, reopened by a dispute, closed and
        rated, rejected and duplicate."""

        def day(n: float) -> dt.datetime:
            return self.now - dt.timedelta(days=n)

        waiting, slow, resolved, reopened, rated, rejected, duplicate = (
            self._new(index + n, "sampah") for n in range(7)
        )
        for story, filed in zip(
            (waiting, slow, resolved, reopened, rated, rejected, duplicate),
            (20, 40, 6, 21, 45, 12, 13),
            strict=True,
        ):
            self.at(day(filed), partial(self._file, story))
        for story, verified in ((slow, 39), (resolved, 5), (reopened, 19), (rated, 44)):
            self.at(day(verified), partial(self._verify, story))
        for story, done in ((resolved, 2), (reopened, 16), (rated, 40)):
            self.at(day(done), partial(self._resolve, story))
        self.at(day(38), partial(self._answer, slow))
        self.at(day(37), partial(self._note, slow))
        self.at(day(14), partial(self._dispute, reopened))
        self.at(day(39), partial(self._confirm, rated))
        self.at(day(11), partial(self._close_early, rejected, "rejected"))
        self.at(day(12), partial(self._close_early, duplicate, "duplicate"))

    def _story(self, index: int, filed: dt.datetime, photo: bool) -> None:
        rng = self.rng
        category, _name, _en, sla, _unit, _public = rng.choice(STARTER_CATEGORIES)
        story = self._new(index, category, photo)
        self.at(filed, partial(self._file, story))
        outcome = rng.choices(
            ("open", "working", "resolved", "rejected", "duplicate"), (10, 17, 59, 7, 7)
        )[0]
        if outcome == "open":
            if rng.random() < 0.3:
                self.at(self._office(filed + self._days(0.5, 3)), partial(self._note, story))
            return
        if outcome in ("rejected", "duplicate"):
            when = self._office(filed + self._days(0.2, 3))
            self.at(when, partial(self._close_early, story, outcome))
            return
        late = rng.random() < 0.15  # the first response comes after its 3 working days
        verified = self._office(filed + (self._days(4, 8) if late else self._days(0.05, 2.5)))
        self.at(verified, partial(self._verify, story))
        if rng.random() < 0.5:
            self.at(verified + self._days(0.01, 0.2), partial(self._answer, story))
        if rng.random() < 0.15:
            self.at(verified + self._days(0.2, 0.4), partial(self._route, story))
        if rng.random() < 0.25:
            self.at(verified + self._days(0.4, 0.6), partial(self._assign, story))
        if rng.random() < 0.3:
            self.at(self._office(verified + self._days(0.6, 3)), partial(self._note, story))
        for supporter in rng.sample(self.citizens, rng.choice((0, 0, 0, 1, 2))):
            self.at(filed + self._days(0.1, 5), partial(self._support, story, supporter))
        if outcome == "working":
            return
        working_days = RESOLUTION_DAYS[sla]
        resolved = self._office(verified + self._days(0.2, 1.5) * working_days * 1.4)
        self.at(resolved, partial(self._resolve, story))
        reply = rng.random()
        if reply < 0.2:  # disputed: reopened, and perhaps resolved once more
            disputed = resolved + self._days(0.5, 4)
            self.at(disputed, partial(self._dispute, story))
            again = self._office(disputed + self._days(1, 8))
            self.at(again, partial(self._resolve, story))
            if rng.random() < 0.6:
                self.at(again + self._days(0.3, 4), partial(self._confirm, story))
        elif reply < 0.7:
            self.at(resolved + self._days(0.3, 5), partial(self._confirm, story))
        else:  # nobody replies: the periodic task closes it after the confirmation window
            deadline = self.calendar.add_working_days(resolved, self.window)
            self._auto_close_after(deadline)

    def _input(self, index: int, category: str, signed_in: bool) -> ReportInput:
        rng = self.rng
        place = f"{rng.choice(PLACES)} No. {rng.randint(1, 200)}, {rng.choice(LANDMARKS)}"
        kelurahan = kelurahan_choices(self.region)
        code = rng.choice(kelurahan)[0] if kelurahan and rng.random() < 0.85 else ""
        lat = lng = None
        centre = CENTRES.get(self.region.code)
        if centre and rng.random() < 0.8:
            lat = Decimal(f"{centre[0] + rng.gauss(0, 0.02):.6f}")
            lng = Decimal(f"{centre[1] + rng.gauss(0, 0.02):.6f}")
        name = rng.choice(NAMES)
        return ReportInput(
            category=category,
            description=f"{rng.choice(PROBLEMS[category])}, {place}.",
            latitude=lat,
            longitude=lng,
            location_text=place if lat is None or rng.random() < 0.5 else "",
            kelurahan=code,
            contact_name="" if signed_in else name,
            contact_email="" if signed_in else f"{name.lower()}.{index}@surel.demo",
            contact_phone="" if signed_in or rng.random() < 0.7 else f"0812{index:08d}",
        )

    def _days(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(days=self.rng.uniform(low, high))

    def _office(self, when: dt.datetime) -> dt.datetime:
        """The same moment if the office is open, else the next opening (08:00-16:00 local,
        Monday to Friday) plus a few minutes."""
        local = when.astimezone(self.calendar.tz)
        if local.hour >= 16:
            local += dt.timedelta(days=1)
        if not 8 <= local.hour < 16:
            local = local.replace(hour=8, minute=self.rng.randint(0, 59))
        while local.weekday() >= 5:
            local += dt.timedelta(days=1)
        return local.astimezone(dt.UTC)

    # --- The steps, each one service call ----------------------------------------------

    def _file(self, story: _Story) -> None:
        filed = report_file(
            region=self.region,
            actor=story.reporter,
            data=story.data,
            photos=[_jpeg("laporan.jpg", (120, 90, 60))] if story.photo else [],
            source=Source.OPEN311 if story.open311 else Source.WEB,
            client=client_authenticate(self.region, f"demo-open311-{self.region.slug}")
            if story.open311
            else None,
        )
        story.complaint, story.secret = filed.complaint, filed.secret

    def _officer(self) -> User:
        return self.staff["officer" if self.rng.random() < 0.7 else "head"]

    def _verify(self, story: _Story) -> None:
        report_transition(
            region=self.region, actor=self._officer(), complaint=story.report, action="verify"
        )

    def _answer(self, story: _Story) -> None:
        body = self.rng.choice(TEMPLATES[:2])[1]
        report_answer(region=self.region, actor=self._officer(), complaint=story.report, body=body)

    def _note(self, story: _Story) -> None:
        text = self.rng.choice(NOTES)
        report_answer(
            region=self.region,
            actor=self._officer(),
            complaint=story.report,
            body=text,
            public=False,
        )

    def _route(self, story: _Story) -> None:
        complaint = story.report
        units = list(Unit.objects.filter(region=self.region, is_active=True).order_by("code"))
        others = [u for u in units if u.pk != complaint.unit_id]
        if complaint.state in (SUBMITTED, IN_PROGRESS) and others:
            unit = self.rng.choice(others)
            report_route(
                region=self.region,
                actor=self.staff["admin"],
                complaint=complaint,
                unit_id=unit.pk,
                note="Diteruskan ke unit yang berwenang.",
            )

    def _assign(self, story: _Story) -> None:
        officer = self.staff["officer"]
        report_assign(
            region=self.region,
            actor=self.staff["head"],
            complaint=story.report,
            assignee_id=officer.pk,
        )

    def _support(self, story: _Story, citizen: User) -> None:
        complaint = story.report
        if (
            complaint.is_public
            and complaint.state in (SUBMITTED, IN_PROGRESS)
            and complaint.reporter_id != citizen.pk
            # A duplicate's supporters were merged into this report: this citizen may
            # already be one of them.
            and not Supporter.objects.filter(complaint=complaint, user=citizen).exists()
        ):
            report_support(region=self.region, actor=citizen, complaint=complaint)

    def _resolve(self, story: _Story) -> None:
        photos = [_jpeg("sesudah.jpg", (60, 140, 70))] if story.photo else []
        report_transition(
            region=self.region,
            actor=self._officer(),
            complaint=story.report,
            action="resolve",
            note=TEMPLATES[2][1],
            photos=photos,
        )

    def _close_early(self, story: _Story, outcome: str) -> None:
        complaint = story.report
        if outcome == "rejected":
            report_transition(
                region=self.region,
                actor=self._officer(),
                complaint=complaint,
                action="reject",
                note=self.rng.choice(REJECTIONS),
            )
            return
        original = (
            Complaint.objects.filter(region=self.region, created_at__lt=complaint.created_at)
            .exclude(state__in=(DUPLICATE, REJECTED))
            .order_by("-created_at")
        )
        same = original.filter(category=complaint.category).first() or original.first()
        if same is None:  # the region's first report cannot repeat another
            return
        report_mark_duplicate(
            region=self.region,
            actor=self._officer(),
            complaint=complaint,
            original_ticket=same.ticket,
        )

    def _confirm(self, story: _Story) -> None:
        rating = self.rng.choices((5, 4, 3, 2, 1), (35, 30, 15, 10, 10))[0]
        report_confirm(
            region=self.region,
            complaint=story.report,
            rating=rating,
            comment=self.rng.choice(COMMENTS),
            actor=story.reporter,
            key=story.secret,
        )

    def _dispute(self, story: _Story) -> None:
        report_dispute(
            region=self.region,
            complaint=story.report,
            reason=self.rng.choice(DISPUTES),
            actor=story.reporter,
            key=story.secret,
        )


def _jpeg(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "JPEG", quality=70)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")
