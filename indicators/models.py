"""Indicators: the catalogue (data elements and indicator formulas), reporting periods,
the values entities report, and what happened to each submission."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform import quarters


class PeriodType(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


_LABEL = re.compile(r"^\s*(?:(Q|T|M)\s*(\d{1,2})\s*/\s*)?(\d{4})\s*$", re.IGNORECASE)


class ReportingPeriodQuerySet(models.QuerySet):
    def by_label(self, label: str) -> "ReportingPeriod":
        """The period written as "Q3/2020", "T7/2020" (month) or "2020" (year)."""
        match = _LABEL.match(label or "")
        if match is None:
            raise self.model.DoesNotExist(label)
        letter, number, year = match.groups()
        if letter is None:
            return self.get(period_type=PeriodType.YEAR, year=int(year), number=1)
        period_type = PeriodType.QUARTER if letter.upper() == "Q" else PeriodType.MONTH
        return self.get(period_type=period_type, year=int(year), number=int(number))


class ReportingPeriod(models.Model):
    """A quarter, month or year for which entities report, with its due date.

    A locked period takes no more values: approval of the whole period, or the office
    closing it. Reopening is recorded as an Event with its reason.
    """

    period_type = models.CharField(
        _("period type"), max_length=10, choices=PeriodType.choices, default=PeriodType.QUARTER
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Quarter 1-4, month 1-12, or 1 for a year.")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due_date = models.DateField(_("due date"))
    is_locked = models.BooleanField(_("locked"), default=False)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["period_type", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_type", "year", "number"], name="one_period_per_number"
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_range"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.period_type == PeriodType.QUARTER:
            return quarters.label(self.year, self.number)
        if self.period_type == PeriodType.MONTH:
            return f"T{self.number}/{self.year}"
        return str(self.year)

    @property
    def slug(self) -> str:
        return self.label.replace("/", "-")

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date must not be before the start date.")})


class ValueType(models.TextChoices):
    COUNT = "count", _("Count")
    BOOLEAN = "boolean", _("Yes/no")
    AMOUNT = "amount", _("Amount")


class DataElement(models.Model):
    """What an entity reports: a count, a yes/no or an amount."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    value_type = models.CharField(_("value type"), max_length=10, choices=ValueType.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_change_share = models.DecimalField(
        _("largest change without a warning"),
        max_digits=6,
        decimal_places=2,
        default=0.5,
        help_text=_(
            "As a share of the previous value: 0.5 warns when the value changes by more than half."
        ),
    )
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def number_format(self) -> str:
        return "-4g" if self.value_type == ValueType.AMOUNT else "0g"


class Method(models.TextChoices):
    RATIO = "ratio", _("Σ numerator / Σ denominator × factor")
    SUM = "sum", _("Sum over entities")
    YES_COUNT = "yes_count", _("Entities with a yes")
    YES_SHARE = "yes_share", _("Entities with a yes / entities it applies to × factor")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("At least the target")
    AT_MOST = "at_most", _("At most the target")


class Indicator(models.Model):
    """A formula over data elements, rolled up by the database over entities."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    method = models.CharField(_("calculation"), max_length=20, choices=Method.choices)
    numerator = models.ForeignKey(
        DataElement,
        verbose_name=_("numerator"),
        on_delete=models.PROTECT,
        related_name="numerator_of",
    )
    denominator = models.ForeignKey(
        DataElement,
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="denominator_of",
    )
    numerator_within_denominator = models.BooleanField(
        _("numerator cannot exceed denominator"), default=False
    )
    factor = models.DecimalField(_("factor"), max_digits=10, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    period_type = models.CharField(
        _("period type"), max_length=10, choices=PeriodType.choices, default=PeriodType.QUARTER
    )
    entity_kinds = models.JSONField(
        _("kinds of entity"),
        default=list,
        help_text=_("Which kinds of organisation report it: province, central_agency."),
    )
    scope = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations it applies to"),
        blank=True,
        related_name="scoped_indicators",
        limit_choices_to={"kind__in": [OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_AGENCY]},
        help_text=_(
            "Leave empty when every organisation of its kinds reports it. Listing "
            "organisations restricts their own kind only: list 20 ministries and every "
            "province still reports."
        ),
    )
    owner_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="owned_indicators",
        limit_choices_to={"kind": OrganisationKind.MINISTRY_UNIT},
    )
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    baseline_period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("baseline period"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField(_("shown to the public"), default=True)
    # A national figure is provisional while its period is open (before the due date,
    # not locked) or while fewer entities than this share have reported.
    provisional_below = models.DecimalField(
        _("provisional below this share of entities reporting (percent)"),
        max_digits=5,
        decimal_places=2,
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Below this coverage the national figure is marked provisional."),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.method == Method.RATIO and self.denominator_id is None:
            errors["denominator"] = _("A ratio needs a denominator.")
        if self.method != Method.RATIO and self.denominator_id is not None:
            errors["denominator"] = _("Only a ratio has a denominator.")
        unknown = set(self.entity_kinds or []) - set(OrganisationKind.values)
        if unknown or not self.entity_kinds:
            errors["entity_kinds"] = _("List one or more of: %(kinds)s.") % {
                "kinds": ", ".join(OrganisationKind.values)
            }
        if self.target is not None and not self.direction:
            errors["direction"] = _("A target needs a direction.")
        if errors:
            raise ValidationError(errors)

    @property
    def number_format(self) -> str:
        """The floatformat argument: the indicator's decimals, grouped (7.793; 48,55)."""
        return f"{self.decimals}g"

    @property
    def is_yes_no(self) -> bool:
        return self.method in (Method.YES_COUNT, Method.YES_SHARE)

    def _scope(self) -> list[Organisation]:
        # One query per instance at most: later reads use the prefetched list.
        if "scope" not in getattr(self, "_prefetched_objects_cache", {}):
            models.prefetch_related_objects([self], "scope")
        return list(self.scope.all())

    def restricted_kinds(self) -> set[str]:
        """Kinds of entity for which only the listed organisations report."""
        return {o.kind for o in self._scope()}

    def applies_to(self, organisation: Organisation) -> bool:
        if organisation.kind not in self.entity_kinds:
            return False
        if organisation.kind in self.restricted_kinds():
            return any(o.pk == organisation.pk for o in self._scope())
        return True

    def entity_filter(self, prefix: str = "") -> Q:
        """The organisations (at `prefix`) that report this indicator."""
        restricted = self.restricted_kinds()
        open_kinds = [k for k in self.entity_kinds if k not in restricted]
        listed = [o.pk for o in self._scope() if o.kind in self.entity_kinds]
        return Q(**{f"{prefix}kind__in": open_kinds}) | Q(**{f"{prefix}pk__in": listed})

    def elements(self) -> list[DataElement]:
        return [e for e in (self.numerator, self.denominator) if e is not None]

    def meets_target(self, value) -> bool | None:
        """True/False against the target, None when there is none or no value."""
        if self.target is None or value is None:
            return None
        if self.direction == Direction.AT_MOST:
            return value <= self.target
        return value >= self.target


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


EDITABLE = (Status.DRAFT, Status.RETURNED)


class Submission(models.Model):
    """What one entity reports for one period to one owner unit."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="indicator_submissions",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    owner_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    warning_comment = models.TextField(_("explanation of the changes"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        ordering = ["period", "owner_unit", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period", "owner_unit"], name="one_report_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.organisation.short_name} {self.period.label}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE and not self.period.is_locked

    @property
    def on_time(self) -> bool:
        return bool(self.submitted_at) and self.submitted_at.date() <= self.period.due_date


class Value(models.Model):
    """One reported value. Yes/no is stored as 1 or 0, so sums count the yeses."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "element"], name="one_value_per_element")
        ]
        indexes = [models.Index(fields=["element", "submission"])]

    def __str__(self):
        return f"{self.element_id}={self.value}"


class Event(models.Model):
    """What happened to a submission or a period: who, when, with which note."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="events")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d}"
