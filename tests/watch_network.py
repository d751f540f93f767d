"""A small network of authorities and one client, built through the operations, for the
tests of the watch."""

from datetime import date
from decimal import Decimal

import pytest

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from kaveri.services import actions as services
from kaveri.watch.models import Deadline, Signal
from kaveri.watch.scan import scan

DAY = date(2026, 3, 2)  # a Monday


@pytest.fixture
def net(make_organisation, make_worker, make_client):
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP", "TYP", "KELA", "PROVIDER")}
    return {
        "orgs": orgs,
        "counsellor": make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"]),
        "official": make_worker(Role.EMPLOYMENT_OFFICIAL, orgs["EMP"]),
        "client": make_client(),
    }


def soc_relationship(net, pathway="P3", opened_on=DAY):
    return casework.open_relationship(
        net["client"],
        net["orgs"]["SOC"],
        "SOC_CLIENT",
        opened_on,
        [("OWN_WORKER", net["counsellor"])],
        pathway=pathway,
    )


def activation_plan(net, relationship, months=6, made_on=DAY):
    return plans.make_plan(
        net["client"],
        "ACTIVATION_PLAN",
        "A1",
        relationship,
        [net["orgs"]["SOC"], net["orgs"]["EMP"]],
        made_on,
        months,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )


def ready_for_rwa(net):
    relationship = soc_relationship(net)
    casework.register_job_seeker(net["client"], net["orgs"]["EMP"], DAY)
    activation_plan(net, relationship)
    return relationship


def rwa(net, relationship=None, **overrides):
    kwargs = dict(
        decided_by=net["orgs"]["SOC"],
        decision_on=DAY,
        starts_on=date(2026, 3, 9),
        ends_on=date(2026, 9, 8),
        days_per_week=3,
        hours_per_day=Decimal("4"),
        provider=net["orgs"]["PROVIDER"],
        relationship=relationship,
    )
    return services.decide_service(
        net["client"], "REHABILITATIVE_WORK_ACTIVITY", **(kwargs | overrides)
    )


def social_rehabilitation(net, relationship=None, ends_on=date(2026, 6, 1)):
    return services.decide_service(
        net["client"],
        "SOCIAL_REHABILITATION",
        net["orgs"]["SOC"],
        DAY,
        DAY,
        ends_on,
        days_per_week=1,
        relationship=relationship,
    )


def deadlines(client, kind: str) -> list[Deadline]:
    return list(Deadline.objects.filter(client=client, kind=kind).order_by("due_on"))


def open_signals(client, kind: str) -> list[Signal]:
    return list(Signal.objects.filter(client=client, kind=kind, cleared_on__isnull=True))


GAP_DAY = date(2026, 6, 10)


@pytest.fixture
def gap(net, settings):
    """Social rehabilitation decided by social welfare ended on 1.6. with nothing after it
    (one open signal on GAP_DAY); the client is also an employment services client."""
    settings.KAVERI_TODAY = GAP_DAY
    relationship = soc_relationship(net, pathway="P1")
    social_rehabilitation(net, relationship)
    casework.open_relationship(
        net["client"],
        net["orgs"]["EMP"],
        "EMP_CLIENT",
        DAY,
        [("RESPONSIBLE_OFFICIAL", net["official"])],
    )
    scan(GAP_DAY)
    net["relationship"] = relationship
    [net["signal"]] = open_signals(net["client"], "SERVICE_ENDED_NO_NEXT_STEP")
    return net
