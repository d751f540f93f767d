"""A deadline or a signal in words, in the reader's language.

The rule set holds each kind's explanation with named blanks; the row's facts fill them.
A fact is stored language-free (a date, a number, `label:<kind>:<code>`,
`duration:3M`, a bound such as `days_at_most:4`) and worded here.
"""

import re
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaveri.rules.durations import Duration
from kaveri.rules.registry import get_rules, registry
from kaveri.rules.ruleset import RuleSet, current_language, duration_text

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def rules_of_row(row) -> RuleSet:
    try:
        return registry().of_version(row.ruleset_version)
    except KeyError:
        return get_rules()


def watch_word(code: str) -> str:
    return {
        "END_DATE_PASSED": _("its end date passed with no end recorded"),
        "NEVER": _("none recorded"),
        "NO_CONSENT": _("no consent in force"),
        "PAYER_UNKNOWN": _("Kela or the unemployment fund that pays the client's benefit"),
    }.get(code, code)


def short_day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def bound_text(kind: str, amount: str, extra: str) -> str:
    number = int(float(amount)) if float(amount).is_integer() else float(amount)
    if kind == "days":
        return ngettext("%(n)s day", "%(n)s days", number) % {"n": number}
    if kind == "days_at_most":
        return ngettext("at most %(n)s day", "at most %(n)s days", number) % {"n": number}
    if kind == "hours":
        return _("%(n)s hours on %(day)s") % {
            "n": number,
            "day": short_day(date.fromisoformat(extra)),
        }
    if kind == "hours_at_least":
        return _("at least %(n)s hours a day") % {"n": number}
    return _("at most %(n)s hours a day (a limit of the rule set, not of the law)") % {"n": number}


def fact_text(value, rules: RuleSet, language: str, names: dict) -> str:
    if isinstance(value, list):
        return ", ".join(fact_text(v, rules, language, names) for v in value)
    if not isinstance(value, str):
        return str(value)
    if ", label:" in value:  # several labels stored as one string before they were a list
        return fact_text(value.split(", "), rules, language, names)
    if ISO_DAY.match(value):
        return short_day(date.fromisoformat(value))
    head, _sep, rest = value.partition(":")
    if head == "label":
        kind, _sep, code = rest.partition(":")
        return watch_word(code) if kind == "watch" else rules.label(kind, code, language)
    if head == "duration":
        return duration_text(Duration.parse(rest), language)
    if head in ("days", "days_at_most", "hours", "hours_at_least", "hours_at_most"):
        amount, _sep, extra = rest.partition(":")
        return bound_text(head, amount, extra)
    if head == "stage":
        return stage_text(rules, rest, language)
    if head == "worker":
        return names.get(("worker", int(rest)), _("a worker"))
    return value


def stage_text(rules: RuleSet, path_and_stage: str, language: str) -> str:
    """A stage of a review path ("KELA_APPEAL:1") in words."""
    code, _sep, index = path_and_stage.partition(":")
    path = next((a for a in rules.data.appeals if a.code == code), None)
    if path is None or not index.isdigit() or int(index) >= len(path.stages):
        return path_and_stage
    return path.stages[int(index)].label.get(language)


def explanation_template(rules: RuleSet, kind: str):
    watch = rules.data.watch
    found = next((d for d in watch.deadlines if d.code == kind), None) or next(
        (s for s in watch.signals if s.code == kind), None
    )
    return found


class Facts(dict):
    """A fact the row lacks (a rule set that asks for more than it recorded) shows as a
    dash instead of failing the page."""

    def __missing__(self, name: str) -> str:
        return "–"


def explain(row, names: dict | None = None, language: str | None = None) -> str:
    """The row's explanation; `names` maps ("worker", id) to a worker's name."""
    language = language or current_language()
    names = names or {}
    rules = rules_of_row(row)
    rule = explanation_template(rules, row.kind)
    if rule is None:
        return row.kind
    values = Facts({name: fact_text(v, rules, language, names) for name, v in row.facts.items()})
    values["due"] = short_day(row.due_on)
    values.setdefault("organisation", responsible_name(row, rules, language))
    return rule.explanation.get(language).format_map(values)


def responsible_name(row, rules: RuleSet, language: str) -> str:
    if row.organisation_id:
        return row.organisation.name
    return rules.label("authority", row.authority, language)


def kind_label_of(rules: RuleSet, kind: str, language: str | None = None) -> str:
    rule = explanation_template(rules, kind)
    return rule.label.get(language or current_language()) if rule else kind


def kind_label(row, language: str | None = None) -> str:
    return kind_label_of(rules_of_row(row), row.kind, language)
