"""A relationship is drawn on the map of the rule set it was made under: a municipal
employment trial client relationship (a kind only the 2023–2024 set has) broke the
client page with a KeyError once the 2026 set was in force (found by the load benchmark)."""

from datetime import date

from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from tests.conftest import login


def test_a_relationship_of_a_kind_the_current_rules_lack_is_drawn_by_its_own(
    client, make_organisation, make_worker, make_client, open_relationship
):
    emp = make_organisation("EMP")
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = make_client()
    open_relationship(person, emp, kind="EMP_CLIENT")
    ClientRelationship.objects.create(
        client=person,
        organisation=emp,
        kind="EMP_TRIAL_CLIENT",
        opened_on=date(2024, 3, 1),
        closed_on=date(2024, 12, 31),
        closure_reason="TRIAL_ENDED",
        state="CLOSED",
        ruleset_version="fi-2024.1",
    )
    login(client, official)
    response = client.get(reverse("workspace:client", args=[person.pk]))
    assert response.status_code == 200
    assert "Municipal employment trial" in response.content.decode()
