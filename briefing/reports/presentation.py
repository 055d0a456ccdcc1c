"""The quarterly report as people read it: the narrative summary and the tables, built
from a ReportSnapshot's stored figures in the active language (numbers formatted by
Django's localisation: 7.793 and 48,55 in Vietnamese). The HTML page, the PDF and the
XLSX all read from here, so they always state the same figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from briefing.models.sessions import TaskStatus
from briefing.platform import quarters
from briefing.reports import assignees as assignee_groups
from proposals.models import SourceKind


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def count(value) -> str:
    return floatformat(value, "g")


def percent(value, decimals: int | str = "-2") -> str:
    return f"{floatformat(value, f'{decimals}g')}%"


def share(part, whole) -> Decimal | None:
    return Decimal(part) * 100 / Decimal(whole) if whole else None


def share_text(part, whole) -> str:
    value = share(part, whole)
    return "—" if value is None else percent(value)


def group_labels() -> dict[str, str]:
    return {
        "all": _("All recommendations received"),
        "public": _("From citizens, enterprises and organisations"),
        "to_units": _("Sent by provincial departments to ministry units"),
        "to_briefing": _("Sent by provincial departments to the briefing"),
    }


def kind_labels() -> dict[str, str]:
    return {"province": _("provinces"), "central_agency": _("ministries and agencies")}


def source_labels() -> dict[str, str]:
    return {value: str(label) for value, label in SourceKind.choices}


def count_columns() -> list[tuple[str, str]]:
    """The counts of recommendations a report's tables give: (key, label), in order."""
    return [
        ("total", _("Received")),
        ("resolved", _("Resolved")),
        ("in_progress", _("In progress")),
        ("overdue", _("Overdue")),
        ("answered", _("Answered")),
        ("published", _("Published")),
    ]


def task_status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in TaskStatus.choices}


@dataclass
class IndicatorLine:
    code: str
    name: str
    value: str
    entities: str
    by_kind: str
    previous: str
    baseline: str
    year_end: str
    completeness: str
    top: str
    bottom: str
    above_target: str
    provisional: bool
    raw: dict


def indicator_value(row: dict, figure: dict | None) -> str:
    if not figure or figure.get("value") is None:
        return _("no data")
    number = floatformat(dec(figure["value"]), f"{row['decimals']}g")
    unit = row["unit"]
    return f"{number}%" if unit == "%" else f"{number} {unit}".strip()


def _change(value, label) -> str:
    if value is None:
        return ""
    number = dec(value)
    if number >= 0:
        return _("up %(change)s on %(period)s") % {
            "change": percent(number, 0),
            "period": label,
        }
    return _("down %(change)s on %(period)s") % {"change": percent(-number, 0), "period": label}


def _by_kind(row: dict) -> str:
    parts = []
    labels = kind_labels()
    by_kind = row.get("by_kind") or {}
    if not by_kind and row["method"] == "yes_share" and len(row.get("entity_kinds", [])) == 1:
        by_kind = {row["entity_kinds"][0]: row["figure"]}
    for kind, figure in by_kind.items():
        if not figure or figure.get("value") is None:
            continue
        if row["method"] == "yes_share":
            text = f"{count(dec(figure['numerator']))}/{count(dec(figure['denominator']))}"
        elif row["method"] == "yes_count":
            text = count(dec(figure["numerator"]))
        else:
            text = indicator_value(row, figure)
        parts.append(f"{text} {labels.get(kind, kind)}")
    figure = row.get("figure") or {}
    if row["method"] == "yes_share" and len(parts) > 1 and figure.get("denominator"):
        # One rate over both kinds: say the whole first ("77/92: 56/63 provinces; ...").
        whole = f"{count(dec(figure['numerator']))}/{count(dec(figure['denominator']))}"
        return f"{whole}: " + "; ".join(parts)
    return "; ".join(parts)


# A department named by its province alone in a list of them: "Ninh Bình", not "Sở
# TT&TT Ninh Bình" (before 2025) or "Sở KH&CN Ninh Bình" (after).
DEPARTMENT_PREFIXES = ("Sở TT&TT ", "Sở KH&CN ")


def _province(name: str) -> str:
    for prefix in DEPARTMENT_PREFIXES:
        name = name.removeprefix(prefix)
    return name


def _entity_list(pairs, row) -> str:
    return ", ".join(
        f"{_province(name)} ({indicator_value(row, {'value': value})})" for name, value in pairs
    )


def indicator_lines(data: dict) -> list[IndicatorLine]:
    lines = []
    for row in data["indicators"]["rows"]:
        figure = row["figure"] or {}
        delta = dec(row.get("delta_year_end"))
        year_end = ""
        if row.get("year_end_label") == row.get("baseline_label"):
            pass  # said once, as the change on the baseline
        elif delta is not None and row["method"] in ("sum", "yes_count"):
            sign = "+" if delta >= 0 else "−"
            year_end = _("%(delta)s on %(period)s") % {
                "delta": f"{sign}{count(abs(delta))}",
                "period": row["year_end_label"],
            }
        elif row.get("change_year_end") is not None:
            year_end = _change(row["change_year_end"], row["year_end_label"])
        complete = row.get("completeness") or {}
        lines.append(
            IndicatorLine(
                code=row["code"],
                name=row["name"],
                value=indicator_value(row, figure),
                entities=f"{figure.get('reported', 0)}/{figure.get('applicable', 0)}",
                by_kind=_by_kind(row),
                previous=_change(row.get("change_previous"), row.get("previous_label")),
                baseline=_change(row.get("change_baseline"), row.get("baseline_label")),
                year_end=year_end,
                completeness=_("%(approved)s of %(expected)s approved")
                % {
                    "approved": complete.get("approved", 0),
                    "expected": complete.get("expected", 0),
                },
                top=_entity_list(row.get("top") or [], row),
                bottom=_entity_list(row.get("bottom") or [], row),
                above_target=", ".join(_province(n) for n in row.get("above_target") or []),
                provisional=bool(row.get("provisional")),
                raw=row,
            )
        )
    return lines


def narrative(data: dict) -> list[str]:
    """The Chief of Office's summary, generated from the figures."""
    quarter = quarters.roman_label(data["year"], data["quarter"])
    if data.get("empty"):
        return [
            _(
                "No recommendations or indicator values have been recorded for quarter "
                "%(quarter)s: there is nothing to report yet."
            )
            % {"quarter": quarter}
        ]
    groups = data["recommendations"]["groups"]
    everything, public = groups["all"], groups["public"]
    units, brief = groups["to_units"], groups["to_briefing"]
    paragraphs = [
        _(
            "In quarter %(quarter)s, the Ministry received %(total)s recommendations, of "
            "which: %(public)s were sent by citizens, enterprises and organisations "
            "(resolved: %(public_resolved)s; in progress: %(public_in_progress)s); "
            "%(units)s were sent by the provincial departments to the Ministry's units "
            "during the quarter, %(units_resolved)s of them resolved; %(brief)s were sent "
            "by the departments to the briefing of quarter %(quarter)s: %(answered)s of "
            "them were answered by the Ministry's units and %(published)s of the answers "
            "were published on the Ministry's portal."
        )
        % {
            "quarter": quarter,
            "total": count(everything["total"]),
            "public": count(public["total"]),
            "public_resolved": count(public["resolved"]),
            "public_in_progress": count(public["in_progress"]),
            "units": count(units["total"]),
            "units_resolved": share_text(units["resolved"], units["total"]),
            "brief": count(brief["total"]),
            "answered": share_text(brief["answered"], brief["total"]),
            "published": share_text(brief["published"], brief["total"]),
        }
    ]
    if everything["overdue"]:
        paragraphs.append(
            _("%(overdue)s recommendations are past their deadline without an answer.")
            % {"overdue": count(everything["overdue"])}
        )
    sentences = [_indicator_sentence(line) for line in indicator_lines(data)]
    sentences = [s for s in sentences if s]
    if sentences:
        paragraphs.append(
            _("Nationwide, in quarter %(quarter)s:") % {"quarter": quarter}
            + " "
            + " ".join(sentences)
        )
    return paragraphs


def _indicator_sentence(line: IndicatorLine) -> str:
    """One indicator in the summary's last paragraph; empty without data."""
    if line.value == _("no data"):
        return ""
    text = f"{line.name}: {line.value}"
    if line.provisional:
        text += " " + _("(provisional: %(entities)s entities reported)") % {
            "entities": line.entities
        }
    details = [d for d in (line.by_kind, line.baseline, line.previous, line.year_end) if d]
    if details:
        text += f" ({'; '.join(details)})"
    if line.above_target:
        target = line.raw.get("target")
        text += "; " + _("above the target of %(target)s: %(entities)s") % {
            "target": indicator_value(line.raw, {"value": target}),
            "entities": line.above_target,
        }
    return text + "."


def previous_tasks(data: dict) -> list[dict]:
    """The follow-up tasks of earlier briefings, their deadlines as dates (the snapshot
    keeps them as ISO text), for the page to print 31/12/2020 and the XLSX to hold a
    date cell."""
    return [
        {
            **t,
            "deadline": datetime.date.fromisoformat(t["deadline"]) if t["deadline"] else None,
            # Versions computed before the groups were stored name everyone.
            "assignee_text": assignee_groups.text(t["assignee_groups"])
            if t.get("assignee_groups")
            else ", ".join(t["assignees"]),
        }
        for t in data.get("previous_tasks", [])
    ]


def tables(data: dict) -> dict:
    """The rows of each table, with raw numbers (the XLSX) beside the labels."""
    recs = data["recommendations"]
    labels = group_labels()
    sources = source_labels()
    return {
        "groups": [
            {"label": labels[key], **recs["groups"][key], "key": key}
            for key in ("all", "public", "to_units", "to_briefing")
        ],
        "by_source": [
            {"label": sources.get(r["source_kind"], r["source_kind"]), **r}
            for r in recs["by_source"]
        ],
        "by_field": [{"label": r["field__name"], **r} for r in recs["by_field"]],
        "by_unit": [
            {"label": r["responsible_unit__short_name"] or _("Not assigned yet"), **r}
            for r in recs["by_unit"]
        ],
    }


@dataclass
class Bar:
    label: str
    value: str  # formatted for the reader
    y: str  # SVG coordinates, never localised (a "1.200" would break the drawing)
    text_y: str
    width: str
    value_x: str


@dataclass
class Chart:
    title: str
    height: str
    bars: list[Bar]


LABEL_WIDTH, BAR_WIDTH, ROW = 260, 280, 18


def _chart(title: str, items: list[tuple[str, float, str]]) -> Chart | None:
    """A horizontal bar chart drawn as inline SVG: the page and the PDF show the same
    picture without JavaScript or inline styles."""
    items = [i for i in items if i[1] is not None]
    if not items:
        return None
    top = max(v for _, v, _ in items) or 1
    bars = []
    for n, (label, value, text) in enumerate(items):
        width = max(1.0, float(value) / float(top) * BAR_WIDTH)
        bars.append(
            Bar(
                label=label if len(label) <= 42 else label[:41] + "…",
                value=text,
                y=str(n * ROW + 3),
                text_y=str(n * ROW + 13),
                width=f"{width:.1f}",
                value_x=f"{LABEL_WIDTH + width + 4:.1f}",
            )
        )
    return Chart(title=title, height=str(len(items) * ROW + 4), bars=bars)


def charts(data: dict) -> list[Chart]:
    if data.get("empty"):
        return []
    by_field = [
        (r["field__name"], r["total"], count(r["total"]))
        for r in data["recommendations"]["by_field"]
    ]
    shares = [
        (row["name"], float(dec(row["figure"]["value"])), indicator_value(row, row["figure"]))
        for row in data["indicators"]["rows"]
        if row["unit"] == "%" and row["figure"] and row["figure"].get("value") is not None
    ]
    found = [
        _chart(_("Recommendations received by field"), by_field),
        _chart(_("Indicators in per cent, nationwide"), shares),
    ]
    return [c for c in found if c]
