"""The 7,793 recommendations of the demo quarter: 7,610 from citizens, enterprises and
organisations, 19 sent by departments to units and 164 to the briefing, with their
answers."""

import datetime

from briefing.demo.q3_2020.content import (
    PREFIX,
    PROVINCE_TOPICS,
    PUBLIC_STATUSES,
    PUBLIC_TOPICS,
    QUARTER,
    TO_BRIEFING,
    TO_UNITS,
    UNIT_OF_FIELD,
    YEAR,
)
from proposals.models import Answer, Channel, CodeSequence, Field, Recommendation, SourceKind
from proposals.models import Status as RecStatus
from proposals.search import fold

START = datetime.datetime(2020, 7, 1, 8, tzinfo=datetime.UTC)
PUBLIC_SOURCES = [SourceKind.CITIZEN] * 6 + [SourceKind.ENTERPRISE] * 3 + [SourceKind.ORGANISATION]
FIELD_WEIGHTS = {"VT": 30, "CNTT": 14, "BC": 12, "ATTT": 10, "PTTH": 9, "CDS": 5}


class _Quarter:
    """The recommendations and answers of the quarter, numbered as they are added."""

    def __init__(self, units):
        self.units = units
        self.recs: list[Recommendation] = []
        self.answers: list[Answer] = []
        self.number = 0

    def add(self, *, field, title, content, answer, source, channel, status, day, province=None):
        self.number += 1
        submitted = START + datetime.timedelta(days=day, minutes=self.number % 600)
        rec = Recommendation(
            code=f"{PREFIX}-{self.number:04d}",
            title=title[:300],
            content=content,
            field=field,
            source_kind=source,
            submitting_organisation=province,
            channel=channel,
            period_year=YEAR,
            period_quarter=QUARTER,
            status=status,
            responsible_unit=None
            if status in (RecStatus.SUBMITTED, RecStatus.RETURNED)
            else self.units[UNIT_OF_FIELD[field.code]],
            deadline=(submitted + datetime.timedelta(days=15)).date(),
            submitted_at=submitted,
        )
        if source in (SourceKind.CITIZEN, SourceKind.ENTERPRISE, SourceKind.ORGANISATION):
            rec.submitter_name = f"Người gửi {self.number:04d}"
        self.recs.append(rec)
        if status in (RecStatus.PUBLISHED, RecStatus.ANSWER_DRAFTED):
            self.answers.append(_answer(rec, answer, submitted))

    def save(self) -> None:
        Recommendation.objects.bulk_create(self.recs, batch_size=2000)
        # Each answer reads its recommendation's new id from the saved object.
        Answer.objects.bulk_create(self.answers, batch_size=2000)
        sequence, _ = CodeSequence.objects.get_or_create(prefix=PREFIX)
        if sequence.last < self.number:
            sequence.last = self.number
            sequence.save(update_fields=["last"])


def _answer(rec: Recommendation, text: str, submitted: datetime.datetime) -> Answer:
    """The answer of a published (or drafted) recommendation: published ten days after
    it was sent, those to the briefing on 4 September, before the briefing."""
    published = submitted + datetime.timedelta(days=10)
    if rec.channel == Channel.BRIEFING:
        published = datetime.datetime(2020, 9, 4, 9, tzinfo=datetime.UTC)
    is_published = rec.status == RecStatus.PUBLISHED
    return Answer(
        recommendation=rec,
        text=text,
        version=1,
        drafted_at=published - datetime.timedelta(days=2),
        approved_at=published - datetime.timedelta(days=1) if is_published else None,
        published_text=text if is_published else "",
        published_at=published if is_published else None,
        published_version=1 if is_published else None,
        search_text=fold(" ".join([rec.code, rec.title, rec.content, text]))
        if is_published
        else "",
    )


def _from_the_public(quarter: _Quarter, rng, fields, provinces) -> None:
    """7,610 recommendations of citizens, enterprises and organisations, spread over
    the quarter's 91 days, by field with the weights of the briefing's summary."""
    chosen = rng.choices(fields, weights=[FIELD_WEIGHTS.get(f.code, 2) for f in fields], k=7610)
    places = [p.short_name.removeprefix("Sở TT&TT ") for p in provinces]
    statuses = [s for s, n in PUBLIC_STATUSES for _ in range(n)]
    rng.shuffle(statuses)
    for i, (field, status) in enumerate(zip(chosen, statuses, strict=True)):
        title, answer = rng.choice(PUBLIC_TOPICS[field.code])
        title = title.format(place=rng.choice(places))
        quarter.add(
            field=field,
            title=title,
            content=f"{title}. Đề nghị cơ quan chức năng xem xét, giải quyết.",
            answer=answer,
            source=PUBLIC_SOURCES[i % len(PUBLIC_SOURCES)],
            channel=Channel.REGULAR,
            status=status,
            day=(i * 91) // 7610,
        )


def _from_departments(quarter: _Quarter, fields, provinces) -> None:
    """Departments to units, during the quarter, and to the briefing (by 31 August)."""
    for count, channel, last_day in (
        (TO_UNITS, Channel.REGULAR, 90),
        (TO_BRIEFING, Channel.BRIEFING, 60),
    ):
        for i in range(count):
            province = provinces[(i * 7 + (count % 13)) % len(provinces)]
            field = fields[i % len(fields)]
            topic, answer = PROVINCE_TOPICS[field.code]
            place = province.short_name.removeprefix("Sở TT&TT ")
            quarter.add(
                field=field,
                title=topic,
                content=f"Sở TT&TT {place} đề nghị Bộ: {topic[0].lower()}{topic[1:]}.",
                answer=answer,
                source=SourceKind.PROVINCE,
                channel=channel,
                status=RecStatus.PUBLISHED,
                province=province,
                day=(i * last_day) // count,
            )


def recommendations(rng, provinces, units) -> None:
    fields = list(Field.objects.order_by("order"))
    quarter = _Quarter(units)
    _from_the_public(quarter, rng, fields, provinces)
    _from_departments(quarter, fields, provinces)
    quarter.save()
