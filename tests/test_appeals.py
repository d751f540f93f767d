"""Appeals (issue 10, item 4) and incomplete applications (item 5): a decision records its
mailing date, the appeal deadline is computed by the rules of the benefit (Kela: 37 days,
a closed last day moving to the next working day), and an appeal goes up the review path
the rule set gives, each stage with its dates and outcome."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.benefits.models import Appeal, Application
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent
from kaveri.rules.durations import add_months
from kaveri.rules.registry import rules_of
from kaveri.rules.violations import Conflict, RuleViolation
from kaveri.transitions.models import StateChange
from kaveri.watch.models import Deadline
from kaveri.watch.refresh import rebuild_deadlines
from tests.conftest import login

KELA_PATH = benefits.appeal_rule(rules_of("fi-2026.1"), "SICKNESS_ALLOWANCE")


@pytest.mark.parametrize(
    ("mailed_on", "due", "why"),
    [
        (date(2026, 3, 2), date(2026, 4, 8), "37 days: received on the 7th day, then 30 days"),
        (date(2026, 1, 29), date(2026, 3, 9), "a Saturday moves to Monday"),
        (date(2026, 2, 25), date(2026, 4, 7), "Good Friday and Easter move to Tuesday"),
        (date(2026, 5, 13), date(2026, 6, 22), "Midsummer Eve moves to Monday"),
        (date(2026, 11, 17), date(2026, 12, 28), "Christmas Eve moves past Christmas"),
        (date(2027, 10, 30), date(2027, 12, 7), "Independence Day on a Monday"),
        (date(2026, 11, 25), date(2027, 1, 4), "New Year's Day moves past the weekend"),
        (date(2026, 11, 30), date(2027, 1, 7), "Epiphany moves to Thursday"),
        (date(2028, 1, 23), date(2028, 2, 29), "a leap day is an ordinary working day"),
        (date(2027, 1, 23), date(2027, 3, 1), "no leap day: 37 days reach into March"),
    ],
)
def test_the_kela_appeal_deadline_at_its_edges(mailed_on, due, why):
    assert benefits.appeal_deadline(KELA_PATH, mailed_on) == due, why


def test_a_path_that_keeps_closed_days_ends_on_them():
    strict = KELA_PATH.model_copy(update={"deadline_moves_past_closed_days": False})
    assert benefits.appeal_deadline(strict, date(2026, 1, 29)) == date(2026, 3, 7)
    assert benefits.appeal_deadline(None, date(2026, 1, 29)) is None


def test_months_end_on_the_last_day_of_a_shorter_month():
    # 150/1930, 3 §: where the month has no such day, its last day.
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 8, 31), 3) == date(2026, 11, 30)


@pytest.fixture
def decided(db, make_organisation, make_worker, make_client):
    kela, soc = make_organisation("KELA"), make_organisation("SOC")
    officer = make_worker(Role.KELA_OFFICER, kela)
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, kela, "KELA_CLIENT", date(2026, 1, 5), [("KELA_CONTACT", officer)]
    )
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 1, 5), [("OWN_WORKER", counsellor)]
    )
    application = benefits.record_application(person, "SICKNESS_ALLOWANCE", date(2026, 1, 12))
    benefits.decide_application(
        application, kela, date(2026, 1, 28), "DENIED", mailed_on=date(2026, 1, 29), by=officer
    )
    return application, officer, counsellor, kela


def kela_shares_benefits_with_social_welfare(person) -> None:
    """The client's consent: social welfare may see Kela's applications and decisions."""
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BASIC", "BENEFITS"],
        authorities=["KELA", "SOC"],
        valid_from=date(2026, 1, 5),
        method="IN_PERSON",
    )


def test_a_decision_keeps_its_mailing_date_and_appeal_deadline(decided):
    application, *_ = decided
    application.refresh_from_db()
    assert application.decision_mailed_on == date(2026, 1, 29)
    assert application.appeal_due_on == date(2026, 3, 9)


def test_a_decision_is_not_mailed_before_it_was_made(decided, make_client):
    _application, _officer, _counsellor, kela = decided
    other = benefits.record_application(make_client(), "SICKNESS_ALLOWANCE", date(2026, 1, 12))
    with pytest.raises(RuleViolation) as refused:
        benefits.decide_application(
            other, kela, date(2026, 1, 28), "DENIED", mailed_on=date(2026, 1, 27)
        )
    assert refused.value.field == "mailed_on"
    other.refresh_from_db()
    assert other.status == Application.Status.PENDING


def test_an_appeal_goes_up_the_kela_review_path(decided):
    application, officer, counsellor, _kela = decided
    appeal = benefits.file_appeal(application, date(2026, 3, 2), by=counsellor)
    assert (appeal.stage, appeal.due_on, appeal.filed_late) == (0, date(2026, 3, 9), False)

    # Kela either corrects its decision or passes the appeal on: it does not reject it.
    with pytest.raises(RuleViolation) as refused:
        benefits.decide_appeal(appeal, date(2026, 3, 20), "REJECTED", by=officer)
    assert "record it as forwarded" in refused.value.message
    assert "Social Security Appeal Board" in refused.value.message

    benefits.forward_appeal(appeal, date(2026, 3, 20), by=officer)
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.state) == (1, Appeal.State.OPEN)
    with pytest.raises(Conflict):
        benefits.file_appeal(application, date(2026, 3, 21))

    benefits.decide_appeal(
        appeal, date(2026, 9, 1), "REJECTED", mailed_on=date(2026, 9, 2), by=officer
    )
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.DECIDED
    assert appeal.next_due_on == date(2026, 10, 9)  # 37 days from the board's mailing date

    to_court = benefits.file_appeal(application, date(2026, 10, 12), by=counsellor)
    assert (to_court.stage, to_court.due_on, to_court.filed_late) == (2, date(2026, 10, 9), True)
    benefits.decide_appeal(to_court, date(2027, 3, 1), "REJECTED", by=officer)
    to_court.refresh_from_db()
    assert to_court.next_due_on is None
    with pytest.raises(RuleViolation) as refused:
        benefits.file_appeal(application, date(2027, 3, 5))
    assert refused.value.message == "Insurance Court was the last stage of the review path."

    logged = StateChange.objects.filter(entity="benefits.Appeal", entity_id=appeal.pk)
    assert list(logged.values_list("transition", "from_state", "to_state")) == [
        ("forward", "OPEN", "OPEN"),
        ("decide", "OPEN", "DECIDED"),
    ]


def test_a_decision_changed_on_appeal_is_corrected_on_the_application(decided):
    application, officer, _counsellor, _kela = decided
    appeal = benefits.file_appeal(application, date(2026, 2, 10))
    with pytest.raises(RuleViolation) as refused:
        benefits.decide_appeal(appeal, date(2026, 2, 20), "CHANGED", by=officer)
    assert refused.value.field == "corrected_outcome"
    application.refresh_from_db()
    assert application.outcome == "DENIED"

    benefits.decide_appeal(
        appeal,
        date(2026, 2, 20),
        "CHANGED",
        corrected_outcome="GRANTED",
        granted_until=date(2026, 5, 31),
        by=officer,
    )
    application.refresh_from_db()
    assert (application.outcome, application.granted_from, application.granted_until) == (
        "GRANTED",
        date(2026, 2, 20),
        date(2026, 5, 31),
    )
    corrected = StateChange.objects.get(entity="benefits.Application", transition="correct")
    assert corrected.reason == "Kela checks whether it can correct the decision itself"


def test_a_returned_matter_is_appealed_when_the_new_decision_comes(decided):
    application, officer, _counsellor, _kela = decided
    appeal = benefits.file_appeal(application, date(2026, 2, 10))
    benefits.forward_appeal(appeal, date(2026, 2, 20), by=officer)
    benefits.decide_appeal(appeal, date(2026, 6, 1), "RETURNED", by=officer)
    appeal.refresh_from_db()
    assert appeal.next_due_on is None
    with pytest.raises(RuleViolation) as refused:
        benefits.file_appeal(application, date(2026, 6, 5))
    assert refused.value.check == "appeal_the_new_decision"


def test_a_withdrawn_appeal_leaves_the_path_open(decided):
    application, _officer, counsellor, _kela = decided
    appeal = benefits.file_appeal(application, date(2026, 2, 10))
    benefits.withdraw_appeal(appeal, date(2026, 2, 12), by=counsellor)
    again = benefits.file_appeal(application, date(2026, 2, 20))
    assert again.stage == 0


def test_only_a_decision_with_a_review_path_is_appealed(decided, make_client, make_organisation):
    application, *_ = decided
    pending = benefits.record_application(make_client(), "SICKNESS_ALLOWANCE", date(2026, 1, 12))
    with pytest.raises(RuleViolation) as refused:
        benefits.file_appeal(pending, date(2026, 2, 1))
    assert refused.value.check == "appeal_after_decision"
    with pytest.raises(RuleViolation) as refused:
        benefits.file_appeal(application, date(2026, 1, 28))
    assert refused.value.check == "appeal_after_mailing"

    pension = benefits.record_application(
        make_client(), "PARTIAL_DISABILITY_PENSION", date(2026, 1, 12)
    )
    benefits.decide_application(pension, make_organisation("PENSION"), date(2026, 2, 1), "DENIED")
    pension.refresh_from_db()
    assert pension.appeal_due_on is None
    with pytest.raises(RuleViolation) as refused:
        benefits.file_appeal(pension, date(2026, 2, 5))
    assert refused.value.check == "appeal_path_known"


def test_the_worker_and_the_client_see_the_deadline_and_the_path(client, decided, settings):
    application, officer, counsellor, _kela = decided
    settings.KAVERI_TODAY = date(2026, 2, 2)
    kela_shares_benefits_with_social_welfare(application.client)
    login(client, counsellor)
    page = client.get(reverse("workspace:client", args=[application.client_id])).content.decode()
    assert "appeal by 9.3.2026" in page
    assert (
        "Appeal against a Kela decision: Kela checks whether it can correct the decision itself"
        " → Social Security Appeal Board → Insurance Court"
    ) in page
    assert reverse("workspace:appeal_new", args=[application.pk]) in page

    response = client.post(
        reverse("workspace:appeal_new", args=[application.pk]), {"filed_on": "2026-02-02"}
    )
    assert response.status_code == 302
    appeal = application.appeals.get()
    login(client, officer)
    page = client.get(reverse("workspace:client", args=[application.client_id])).content.decode()
    assert "Appeal filed 2.2.2026, at Kela checks whether it can correct" in page
    assert reverse("workspace:appeal_forward", args=[appeal.pk]) in page


def test_the_client_reads_how_to_appeal_in_plain_words(client, decided, settings):
    application, *_ = decided
    person = application.client
    from django.contrib.auth import get_user_model

    person.user = get_user_model().objects.create_user("asiakas-appeal")
    person.save()
    client.force_login(person.user)
    page = client.get("/fi/portal/").content.decode()
    assert "Jos olet eri mieltä päätöksestä, voit hakea muutosta viimeistään 9.3.2026." in page


def test_appeals_through_the_api(client, decided):
    application, officer, counsellor, _kela = decided
    login(client, counsellor)
    refused = client.post(
        f"/api/v1/applications/{application.pk}/appeals",
        {"filed_on": "2026-03-02"},
        content_type="application/json",
    )
    assert refused.status_code == 403  # social welfare does not see Kela's decision
    kela_shares_benefits_with_social_welfare(application.client)
    filed = client.post(
        f"/api/v1/applications/{application.pk}/appeals",
        {"filed_on": "2026-03-02"},
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert (body["stage"], body["due_on"], body["state"]) == (0, "2026-03-09", "OPEN")
    login(client, officer)
    forwarded = client.post(
        f"/api/v1/appeals/{body['id']}/forward",
        {"on": "2026-03-20", "row_version": body["row_version"]},
        content_type="application/json",
    )
    assert forwarded.status_code == 200 and forwarded.json()["stage"] == 1
    decided_now = client.post(
        f"/api/v1/appeals/{body['id']}/decision",
        {"decided_on": "2026-09-01", "outcome": "REJECTED", "mailed_on": "2026-09-02"},
        content_type="application/json",
    )
    assert decided_now.status_code == 200
    assert decided_now.json()["next_due_on"] == "2026-10-09"
    assert (
        client.post(
            f"/api/v1/appeals/{body['id']}/decision",
            {"decided_on": "2026-09-01", "outcome": "REJECTED"},
            content_type="application/json",
        ).status_code
        == 409
    )


def test_a_refused_decision_waits_on_the_watch_until_its_appeal_deadline(decided):
    application, *_ = decided
    rebuild_deadlines()
    due = Deadline.objects.get(client_id=application.client_id, kind="APPEAL_DUE")
    assert due.due_on == date(2026, 3, 9) and not due.tracked


def test_the_next_stage_waits_on_the_watch_once_a_stage_has_decided(decided):
    """Filed: the first deadline is spent. Decided by the board: the Insurance Court's
    deadline waits, in words that name both bodies. Decided by the court: nothing waits."""
    from kaveri.watch.explain import explain

    application, officer, counsellor, _kela = decided
    appeal = benefits.file_appeal(application, date(2026, 3, 2), by=counsellor)
    benefits.forward_appeal(appeal, date(2026, 3, 20), by=officer)
    assert not Deadline.objects.filter(client_id=application.client_id, kind__startswith="APPEAL")

    benefits.decide_appeal(
        appeal, date(2026, 9, 1), "REJECTED", mailed_on=date(2026, 9, 2), by=officer
    )
    waiting = Deadline.objects.get(client_id=application.client_id, kind__startswith="APPEAL")
    assert (waiting.kind, waiting.due_on, waiting.tracked) == (
        "APPEAL_NEXT_STAGE",
        date(2026, 10, 9),
        False,
    )
    assert explain(waiting, language="en") == (
        "Sickness allowance: Social Security Appeal Board decided on 1.9.2026; the appeal "
        "can be taken to Insurance Court by 9.10.2026."
    )

    to_court = benefits.file_appeal(application, date(2026, 10, 5), by=counsellor)
    benefits.decide_appeal(to_court, date(2027, 3, 1), "REJECTED", by=officer)
    assert not Deadline.objects.filter(client_id=application.client_id, kind__startswith="APPEAL")


# --- incomplete applications ---


def test_an_incomplete_application_shows_what_it_waits_for(client, decided):
    _application, _officer, counsellor, _kela = decided
    person = _application.client
    kela_shares_benefits_with_social_welfare(person)
    with pytest.raises(RuleViolation) as refused:
        benefits.record_application(
            person, "REHABILITATION_SUBSIDY", date(2026, 2, 2), complete=False
        )
    assert refused.value.field == "missing"
    waiting = benefits.record_application(
        person,
        "REHABILITATION_SUBSIDY",
        date(2026, 2, 2),
        complete=False,
        missing="Doctor's statement B",
        by=counsellor,
    )
    assert waiting.status == Application.Status.INFORMATION_REQUESTED
    assert waiting.expected_decision_on is None
    request = waiting.information_requests.get()
    assert (request.what, request.due_on) == ("Doctor's statement B", date(2026, 2, 16))

    login(client, counsellor)
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert "waits for Doctor&#x27;s statement B (answer due 16.2.2026)" in page

    benefits.answer_information_request(request, date(2026, 2, 10))
    waiting.refresh_from_db()
    assert waiting.completed_on == date(2026, 2, 10)
    assert waiting.expected_decision_on == date(2026, 3, 31)  # 7 weeks from the answer
