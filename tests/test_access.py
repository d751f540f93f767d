"""Login, roles and the relation to the client, in pages and the API, with audit events."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kaveri.access.models import AuditEvent, Worker
from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def soc_setup(make_organisation, make_worker, make_client, open_relationship):
    mine = make_organisation("SOC")
    other = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, mine)
    my_client = make_client(last_name="Oma")
    their_client = make_client(last_name="Vieras")
    open_relationship(my_client, mine)
    open_relationship(their_client, other)
    return counsellor, my_client, their_client


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("workspace:clients"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_login_page_and_login(client, make_worker, make_organisation):
    worker = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": worker.user.username, "password": "test-password-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_worker_sees_only_own_organisations_clients(client, soc_setup):
    counsellor, _my_client, _their_client = soc_setup
    login(client, counsellor)
    page = client.get(reverse("workspace:clients") + "?all=1").content.decode()
    assert "Oma" in page and "Vieras" not in page


def test_changing_the_id_does_not_reach_another_organisations_client(client, soc_setup):
    counsellor, my_client, their_client = soc_setup
    login(client, counsellor)
    assert client.get(reverse("workspace:client", args=[my_client.pk])).status_code == 200
    assert client.get(reverse("workspace:client", args=[their_client.pk])).status_code == 404


def test_api_refuses_another_organisations_client(client, soc_setup):
    counsellor, my_client, their_client = soc_setup
    login(client, counsellor)
    assert client.get(f"/api/v1/clients/{my_client.pk}").status_code == 200
    response = client.get(f"/api/v1/clients/{their_client.pk}", HTTP_ACCEPT_LANGUAGE="en")
    missing = client.get(f"/api/v1/clients/{their_client.pk + 999}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404  # as for a missing client: ids cannot be counted
    assert response.json() == missing.json()


def test_reads_and_denials_are_audited(client, soc_setup):
    counsellor, my_client, their_client = soc_setup
    login(client, counsellor)
    client.get(reverse("workspace:clients") + "?all=1")
    client.get(reverse("workspace:client", args=[my_client.pk]))
    client.get(reverse("workspace:client", args=[their_client.pk]))
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.client_id, e.allowed) for e in events] == [
        ("workspace.clients", my_client.pk, True),
        ("client.view", my_client.pk, True),
        ("client.view", their_client.pk, False),
    ]
    first = events.first()
    assert first.username == counsellor.user.username
    assert first.role == Role.SOCIAL_COUNSELLOR
    assert first.organisation == counsellor.organisation
    assert first.data_category == "BASIC"


def test_audit_events_are_append_only(client, soc_setup):
    counsellor, my_client, _ = soc_setup
    login(client, counsellor)
    client.get(reverse("workspace:client", args=[my_client.pk]))
    event = AuditEvent.objects.get()
    event.action = "something else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_identity_code_never_appears_in_audited_urls(client, soc_setup):
    counsellor, my_client, _ = soc_setup
    login(client, counsellor)
    client.get(reverse("workspace:client", args=[my_client.pk]))
    assert all(my_client.hetu not in e.url_name for e in AuditEvent.objects.all())


def test_coordinator_sees_no_client_pages(client, make_worker, soc_setup):
    _, my_client, _ = soc_setup
    coordinator = make_worker(Role.COORDINATOR)
    login(client, coordinator)
    assert client.get(reverse("workspace:clients")).status_code == 403
    assert client.get(reverse("workspace:client", args=[my_client.pk])).status_code == 403


def test_instructor_sees_only_clients_placed_with_them(
    client, make_organisation, make_worker, soc_setup, rules
):
    """Defect 4: a colleague at the same workshop, and a placement that is over, show nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from kaveri.services.models import ServiceEpisode

    _, my_client, their_client = soc_setup
    place = make_organisation("PROVIDER")
    instructor = make_worker(Role.ACTIVITY_INSTRUCTOR, place)
    colleague = make_worker(Role.ACTIVITY_INSTRUCTOR, place)
    today = timezone.localdate()
    for person, ends in ((my_client, today + timedelta(days=90)), (their_client, today)):
        ServiceEpisode.objects.create(
            client=person,
            service="REHABILITATIVE_WORK_ACTIVITY",
            decided_by=my_client.relationships.get().organisation,
            provider=place,
            instructor=instructor,
            decision_on=today - timedelta(days=100),
            starts_on=today - timedelta(days=90),
            ends_on=ends - timedelta(days=1) if person == their_client else ends,
            days_per_week=3,
            ruleset_version=rules.version,
        )
    login(client, instructor)
    assert client.get(reverse("workspace:client", args=[my_client.pk])).status_code == 200
    assert client.get(reverse("workspace:client", args=[their_client.pk])).status_code == 404
    listed = client.get(reverse("workspace:clients")).content.decode()
    assert my_client.last_name in listed and their_client.last_name not in listed
    client.logout()
    login(client, colleague)
    assert client.get(reverse("workspace:client", args=[my_client.pk])).status_code == 404
    assert my_client.last_name not in client.get(reverse("workspace:clients")).content.decode()


def test_client_sees_own_page_only(client, soc_setup, django_user_model):
    _, my_client, _ = soc_setup
    user = django_user_model.objects.create_user(username="asiakas-x", password="test-password-123")
    my_client.user = user
    my_client.save()
    login(client, user)
    response = client.get(reverse("portal"))
    assert response.status_code == 200
    assert my_client.first_names in response.content.decode()
    assert client.get(reverse("workspace:clients")).status_code == 403
    assert AuditEvent.objects.filter(client=my_client, action="portal.overview").exists()


def test_admin_site_for_administrators_only(client, make_worker, soc_setup, django_user_model):
    counsellor, _, _ = soc_setup
    login(client, counsellor)
    assert client.get("/admin/").status_code == 403
    client.logout()
    admin = django_user_model.objects.create_superuser(
        username="root", password="test-password-123"
    )
    login(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/people/client/").status_code == 200


def test_api_me_and_anonymous(client, soc_setup):
    counsellor, _, _ = soc_setup
    assert client.get("/api/v1/me").status_code == 401
    login(client, counsellor)
    body = client.get("/api/v1/me").json()
    assert body["role"] == Role.SOCIAL_COUNSELLOR and body["authority"] == "SOC"


def test_worker_must_belong_to_an_organisation_of_their_authority(make_worker, make_organisation):
    worker = make_worker(Role.EMPLOYMENT_OFFICIAL, make_organisation("SOC"))
    with pytest.raises(ValidationError, match="EMP"):
        worker.clean()


def test_admin_reads_of_client_data_are_audited(client, soc_setup, django_user_model):
    _, my_client, _ = soc_setup
    admin = django_user_model.objects.create_superuser(
        username="root", password="test-password-123"
    )
    login(client, admin)
    client.get(f"/admin/people/client/{my_client.pk}/change/")
    client.get("/admin/casework/clientrelationship/")
    events = AuditEvent.objects.filter(username="root")
    assert events.filter(client=my_client, action="admin.site", url_name__contains="change")
    assert events.filter(url_name__contains="changelist").count() == 2  # both clients listed


def test_identity_code_is_not_an_admin_search_field():
    from django.contrib import admin

    from kaveri.people.models import Client

    assert not any("hetu" in field for field in admin.site._registry[Client].search_fields)


def test_administrator_sees_no_client_data_by_default(client, settings, django_user_model):
    settings.KAVERI_ADMIN_SEES_CLIENT_DATA = False
    admin = django_user_model.objects.create_superuser(
        username="root", password="test-password-123"
    )
    login(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/access/organisation/").status_code == 200
    for url in ("/admin/people/client/", "/admin/plans/plan/", "/admin/access/auditevent/"):
        assert client.get(url).status_code == 403, url


def test_portal_tells_the_client_what_to_do_and_who_used_their_data(
    client, soc_setup, django_user_model, rules
):
    from datetime import date

    from kaveri.benefits import actions as benefits

    counsellor, my_client, _ = soc_setup
    application = benefits.record_application(my_client, "SICKNESS_ALLOWANCE", date(2026, 11, 2))
    benefits.request_information(application, date(2026, 11, 3), "Doctor's statement A")
    login(client, counsellor)
    client.get(reverse("workspace:client", args=[my_client.pk]))
    client.logout()
    my_client.user = django_user_model.objects.create_user("me", password="test-password-123")
    my_client.save()
    login(client, my_client.user)
    page = client.get(reverse("portal")).content.decode()
    assert "Answer the request for more information by" in page
    assert counsellor.user.username in page


def test_the_client_page_asks_each_question_once_and_not_per_row(client, rules, settings):
    """However many records a client has, the page runs the same queries, none twice."""
    from collections import Counter
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaveri.benefits.models import Application
    from kaveri.demo.generator import generate

    settings.KAVERI_TODAY = date(2026, 11, 27)
    generate(rules, 60, date(2026, 11, 27))
    counsellor = Worker.objects.get(user__username="sosiaaliohjaaja")
    served = ClientRelationship.objects.clients_served_by(counsellor.organisation)
    person = max(served, key=lambda c: c.service_episodes.count() + c.plans.count())
    client.force_login(counsellor.user)

    def queries_of_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace:client", args=[person.pk])).status_code == 200
        statements = Counter(q["sql"] for q in queries.captured_queries)
        repeated = [sql for sql, n in statements.items() if n > 1 and sql.startswith("SELECT")]
        assert repeated == [], repeated
        return len(queries.captured_queries)

    queries_of_the_page()  # the session's first request moves its expiry on (once a minute)
    before = queries_of_the_page()
    for day in range(1, 11):
        Application.objects.create(
            client=person,
            benefit="SICKNESS_ALLOWANCE",
            submitted_on=date(2026, 10, day),
            ruleset_version=rules.version,
        )
    assert queries_of_the_page() == before
