"""The named checks of service decisions (SERVICE-MODEL sections 2, 3 and 10): who grants
the service, what it requires first, intensity and the legal length of a decision, the
reasons it may end for, and the day's participation."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaveri.rules.ruleset import RuleSet, current_language, duration_range_text
from kaveri.rules.schema import DurationRange
from kaveri.rules.violations import RuleViolation

# A day has 24 hours; a participation day cannot hold more, whatever the service.
HOURS_IN_A_DAY = 24


def service_known(rules: RuleSet, service: str) -> None:
    if service not in rules.services:
        raise RuleViolation("service_known", "service", _("Choose the service from the list."))


def registered_job_seeker(client, day: date) -> None:
    """Rehabilitative work activity needs the client registered as unemployed (P3 step 3)."""
    if not client.job_seeker_registrations.in_force_on(day).exists():
        raise RuleViolation(
            "registered_job_seeker",
            "service",
            _("The client must be registered as an unemployed job seeker first."),
        )


def activation_plan_in_force(client, day: date) -> None:
    """Rehabilitative work activity needs an activation plan in force (P3 step 4)."""
    if not client.plans.made_by(day).of_type("ACTIVATION_PLAN").exists():
        raise RuleViolation(
            "activation_plan_in_force",
            "service",
            _("Make the activation plan with employment services and the client first."),
        )


def service_granted_by(rules: RuleSet, service: str, authority: str) -> None:
    granted_by = rules.services[service].granted_by
    if authority not in granted_by:
        raise RuleViolation(
            "service_granted_by",
            "service",
            _("%(service)s is granted by %(authorities)s, not by your authority.")
            % {
                "service": rules.label("service", service, current_language()),
                "authorities": ", ".join(granted_by),
            },
        )


def _out_of_bounds(value, bounds) -> bool:
    return value is None or value < bounds.min or (bounds.max is not None and value > bounds.max)


def _number(value) -> str:
    """A day or hour count as a person writes it: 4, 4.5 (never 4.0)."""
    text = f"{value:f}".rstrip("0").rstrip(".") if hasattr(value, "as_tuple") else str(value)
    return text.replace(".", ",") if current_language()[:2] in ("fi", "sv") else text


def _day_text(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _service_name(rules: RuleSet, service: str) -> str:
    return rules.label("service", service, current_language())


def _days_message(rules: RuleSet, service: str, days, bounds) -> str:
    values = {"service": _service_name(rules, service), "given": _number(days)}
    if days is None:
        return _("%(service)s: give the days a week.") % values
    if days < bounds.min:
        return ngettext(
            "%(service)s: at least %(bound)s day a calendar week by law; %(given)s was given.",
            "%(service)s: at least %(bound)s days a calendar week by law; %(given)s was given.",
            bounds.min,
        ) % (values | {"bound": bounds.min})
    return ngettext(
        "%(service)s: at most %(bound)s day a calendar week by law; %(given)s was given.",
        "%(service)s: at most %(bound)s days a calendar week by law; %(given)s was given.",
        bounds.max,
    ) % (values | {"bound": bounds.max})


def hours_message(rules: RuleSet, service: str, hours, bounds) -> str:
    """What was wrong with a day's hours: the bound that was broken, and whose bound it is."""
    values = {"service": _service_name(rules, service), "given": _number(hours)}
    if hours is None:
        return _("%(service)s: give the hours a day.") % values
    if hours < bounds.min:
        return ngettext(
            "%(service)s: at least %(bound)s hour a day by law; %(given)s was given.",
            "%(service)s: at least %(bound)s hours a day by law; %(given)s was given.",
            bounds.min,
        ) % (values | {"bound": bounds.min})
    if bounds.max_is_local_policy:
        return ngettext(
            "%(service)s: at most %(bound)s hour a day in this region's rule set; %(given)s "
            "was given. The law sets no daily maximum: this is local policy.",
            "%(service)s: at most %(bound)s hours a day in this region's rule set; %(given)s "
            "was given. The law sets no daily maximum: this is local policy.",
            bounds.max,
        ) % (values | {"bound": bounds.max})
    return ngettext(
        "%(service)s: at most %(bound)s hour a day by law; %(given)s was given.",
        "%(service)s: at most %(bound)s hours a day by law; %(given)s was given.",
        bounds.max,
    ) % (values | {"bound": bounds.max})


def intensity_within_bounds(rules: RuleSet, service: str, days: int | None, hours) -> None:
    intensity = rules.services[service].intensity
    if intensity is None:
        return
    bounds = intensity.days_per_week
    if bounds and _out_of_bounds(days, bounds):
        raise RuleViolation(
            "intensity_within_bounds",
            "days_per_week",
            _days_message(rules, service, days, bounds),
        )
    bounds = intensity.hours_per_day
    if bounds and _out_of_bounds(hours, bounds):
        raise RuleViolation(
            "intensity_within_bounds", "hours_per_day", hours_message(rules, service, hours, bounds)
        )


def days_a_week_possible(days: int | None) -> None:
    """Whatever the service, a week has seven days and hours are not negative."""
    if days is not None and not 0 <= days <= 7:
        raise RuleViolation(
            "intensity_within_bounds", "days_per_week", _("Days a week must be from 0 to 7.")
        )


def hours_a_day_possible(hours, field: str = "hours_per_day") -> None:
    if hours is not None and not 0 <= hours <= HOURS_IN_A_DAY:
        raise RuleViolation(
            "hours_within_a_day",
            field,
            _("Hours must be from 0 to %(n)s.") % {"n": HOURS_IN_A_DAY},
        )


def participation_hours_within_bounds(rules: RuleSet, service: str, hours) -> None:
    """A day attended for a known number of hours keeps within the service's daily bounds."""
    hours_a_day_possible(hours, "hours")
    intensity = rules.services[service].intensity
    bounds = intensity.hours_per_day if intensity else None
    if hours is not None and bounds and _out_of_bounds(hours, bounds):
        raise RuleViolation(
            "hours_within_bounds", "hours", hours_message(rules, service, hours, bounds)
        )


def days_in_calendar_week_within_bounds(
    rules: RuleSet, service: str, week_start: date, days_attended: int
) -> None:
    """A calendar week (Monday to Sunday) holds at most the service's days a week."""
    intensity = rules.services[service].intensity
    bounds = intensity.days_per_week if intensity else None
    if bounds is None or bounds.max is None or days_attended <= bounds.max:
        return
    raise RuleViolation(
        "days_in_week_within_bounds",
        "day",
        ngettext(
            "%(service)s: at most %(bound)s day a calendar week by law; this would be day "
            "%(given)s of the week %(start)s–%(end)s.",
            "%(service)s: at most %(bound)s days a calendar week by law; this would be day "
            "%(given)s of the week %(start)s–%(end)s.",
            bounds.max,
        )
        % {
            "service": _service_name(rules, service),
            "bound": bounds.max,
            "given": days_attended,
            "start": f"{week_start.day}.{week_start.month}.",
            "end": _day_text(week_start + timedelta(days=6)),
        },
    )


def legal_decision_period(rules: RuleSet, service: str) -> DurationRange | None:
    """The length the law allows a decision on the service to cover, if it sets one."""
    period = rules.services[service].decision_period
    return period.legal if period else None


def covers_a_legal_period(legal: DurationRange | None, starts: date, ends: date) -> bool:
    """Whether a decision from `starts` to `ends` covers a length within `legal`."""
    if legal is None:
        return True
    # A period of n months ends on the day before the same date n months later.
    return legal.lower.after(starts) <= ends + timedelta(days=1) <= legal.upper.after(starts)


def decision_period_within_legal_bounds(rules: RuleSet, service: str, starts: date, ends: date):
    if ends < starts:
        raise RuleViolation(
            "decision_period_within_legal_bounds", "ends_on", _("The period ends before it starts.")
        )
    legal = legal_decision_period(rules, service)
    if not covers_a_legal_period(legal, starts, ends):
        raise RuleViolation(
            "decision_period_within_legal_bounds",
            "ends_on",
            _("A decision on this service covers %(bounds)s by law.")
            % {"bounds": duration_range_text(legal, current_language())},
        )


def end_reason_is_allowed(rules: RuleSet, service: str, reason: str) -> None:
    allowed = rules.services[service].end_reasons
    if reason not in allowed:
        raise RuleViolation(
            "end_reason_is_allowed",
            "end_reason",
            _("This service may end only for one of: %(reasons)s.")
            % {
                "reasons": ", ".join(
                    rules.label("end_reason", r, current_language()) for r in allowed
                )
            },
        )


def te_office_decides(rules: RuleSet, service: str, organisation) -> None:
    """A4: the municipal employment trial does not decide training or wage subsidy."""
    if organisation.is_municipal_trial and rules.services[service].not_decided_by_municipal_trial:
        raise RuleViolation(
            "te_office_decides",
            "service",
            _("The TE office decides on %(service)s, not the municipal employment trial.")
            % {"service": rules.label("service", service, current_language())},
        )


def place_provides(rules: RuleSet, service: str, provider) -> None:
    """The place of the service is an organisation of an authority that provides it."""
    if provider is not None and provider.authority not in rules.services[service].provided_by:
        raise RuleViolation(
            "place_provides_the_service",
            "provider",
            _("%(place)s does not provide %(service)s.")
            % {"place": provider, "service": rules.label("service", service, current_language())},
        )


def instructor_at_the_place(instructor, provider) -> None:
    if instructor is not None and (provider is None or instructor.organisation_id != provider.pk):
        raise RuleViolation(
            "instructor_at_the_place",
            "instructor",
            _("Choose an instructor who works at the chosen place."),
        )
