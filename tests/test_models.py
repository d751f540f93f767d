"""Constraints and rule-code validation of the data model."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kaveri.casework.models import ClientRelationship
from kaveri.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_identity_code_is_unique(make_client):
    first = make_client()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_client(hetu=first.hetu)


def test_birth_date_comes_from_identity_code(make_client):
    client = make_client(hetu="010594Y9032")
    assert client.birth_date == date(1994, 5, 1)


def test_closing_a_relationship_needs_a_reason(make_client, make_organisation, rules):
    relationship = ClientRelationship.objects.create(
        client=make_client(),
        organisation=make_organisation(),
        kind="SOC_CLIENT",
        opened_on=date(2026, 1, 1),
        ruleset_version=rules.version,
    )
    relationship.closed_on = date(2026, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        relationship.save()


def test_relationship_cannot_close_before_it_opens(make_client, make_organisation, rules):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientRelationship.objects.create(
            client=make_client(),
            organisation=make_organisation(),
            kind="SOC_CLIENT",
            opened_on=date(2026, 6, 1),
            closed_on=date(2026, 1, 1),
            closure_reason="EMPLOYED",
            ruleset_version=rules.version,
        )


def test_unknown_rule_code_is_refused_with_the_choices(make_client, make_organisation, rules):
    relationship = ClientRelationship(
        client=make_client(),
        organisation=make_organisation(),
        kind="SOC_CLIENTS",
        opened_on=date(2026, 1, 1),
        ruleset_version=rules.version,
    )
    with pytest.raises(ValidationError, match="'SOC_CLIENTS' is not a relationship kind"):
        relationship.full_clean()


def test_one_current_version_per_plan(make_client, rules):
    client = make_client()
    series = uuid.uuid4()
    fields = dict(
        client=client,
        plan_type="ACTIVATION_PLAN",
        made_on=date(2026, 1, 1),
        review_interval="3M",
        next_review_on=date(2026, 4, 1),
        ruleset_version=rules.version,
        series=series,
    )
    Plan.objects.create(version=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(version=2, **fields)
    Plan.objects.filter(series=series).update(is_current=False, state="SUPERSEDED")
    Plan.objects.create(version=2, **fields)
    assert Plan.objects.filter(series=series, is_current=True).count() == 1
