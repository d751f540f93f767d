"""What a rule change would do: a proposed rule set, written as changes to the set it
amends, compared with today's rules over the plans and service decisions in force."""

import io
import shutil
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaveri.access.roles import Role
from kaveri.benefits.models import Application
from kaveri.casework.models import ClientRelationship
from kaveri.plans.models import Plan
from kaveri.rules.durations import Duration
from kaveri.rules.loader import RuleSetInvalid
from kaveri.rules.proposals import load_proposal, proposal_of, proposals
from kaveri.rules.registry import registry, rules_on
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.preview import preview, workload_rows
from tests.conftest import login

DAY = date(2026, 12, 1)
EXAMPLE = "example-2027.1-proposal"


def test_the_bundled_proposal_amends_the_set_in_force_the_day_before():
    found = proposal_of(EXAMPLE)
    assert found.amends.version == "fi-2026.1"
    review = found.rules.plan_review("ACTIVATION_PLAN", "A1")
    assert (review.min, review.max) == (Duration(3, "M"), Duration(6, "M"))
    intensity = found.rules.services["REHABILITATIVE_WORK_ACTIVITY"].intensity
    assert (intensity.days_per_week.min, intensity.days_per_week.max) == (2, 4)
    assert found.rules.benefits["LABOUR_MARKET_SUBSIDY"].processing_time == Duration(2, "W")
    # everything it does not change is the amended set's
    assert found.rules.data.appeals == found.amends.data.appeals
    changed = [b for b in found.rules.data.benefits if b not in found.amends.data.benefits]
    assert [b.code for b in changed] == ["LABOUR_MARKET_SUBSIDY"]
    assert EXAMPLE not in registry().versions  # never in force


def _proposal_folder(tmp_path, text: str):
    folder = tmp_path / "bill"
    folder.mkdir()
    (folder / "proposal.yaml").write_text(text, encoding="utf-8")
    return folder


HEAD = """version: test-bill
valid_from: 2027-07-01
label: {fi: Testi, sv: Test, en: Test}
changes:
"""
SHORTER = (
    "  - {at: plans.EMPLOYMENT_PLAN.review.default, to: {fixed: 2M}, "
    "label: {fi: x, sv: x, en: x}}\n"
)


def test_a_change_at_a_path_that_is_not_there_is_named(tmp_path):
    folder = _proposal_folder(
        tmp_path,
        HEAD + "  - {at: plans.NO_SUCH_PLAN.review.default, to: {fixed: 2M}, "
        "label: {fi: x, sv: x, en: x}}\n",
    )
    with pytest.raises(RuleSetInvalid) as raised:
        load_proposal(folder, registry())
    assert "proposal.yaml: plans.NO_SUCH_PLAN.review.default" in str(raised.value)
    assert "'NO_SUCH_PLAN' is not there to change" in str(raised.value)


def test_a_change_that_breaks_the_rules_is_refused_with_every_problem(tmp_path):
    folder = _proposal_folder(
        tmp_path,
        HEAD + "  - {at: services.REHABILITATIVE_WORK_ACTIVITY.intensity.days_per_week, "
        "to: {min: 5, max: 4}, label: {fi: x, sv: x, en: x}}\n"
        "  - {at: plans.ACTIVATION_PLAN.review.default, to: {fixed: soon}, "
        "label: {fi: x, sv: x, en: x}}\n",
    )
    with pytest.raises(RuleSetInvalid) as raised:
        load_proposal(folder, registry())
    text = str(raised.value)
    assert "min 5 is greater than max 4" in text and "'soon' is not a duration" in text


def test_a_proposal_may_not_take_the_name_of_a_set_in_force(tmp_path):
    folder = _proposal_folder(tmp_path, HEAD.replace("test-bill", "fi-2026.1") + SHORTER)
    with pytest.raises(RuleSetInvalid, match=r"fi-2026\.1 is already in force"):
        load_proposal(folder, registry())
    (tmp_path / "other").mkdir()
    allowed = _proposal_folder(tmp_path / "other", HEAD + SHORTER)
    assert load_proposal(allowed, registry()).rules.plan_review("EMPLOYMENT_PLAN", "A3").fixed == (
        Duration(2, "M")
    )


def test_no_proposal_is_loaded_when_none_is_configured(settings):
    settings.KAVERI_PROPOSED_RULES_DIRS = []
    assert proposals() == ()


@pytest.fixture
def caseload(db, make_client, make_organisation):
    soc = make_organisation("SOC")
    small = make_organisation("SOC")

    def plans(organisation, count, plan_type, process, interval, made_on):
        for _ in range(count):
            person = make_client()
            relationship = ClientRelationship.objects.create(
                client=person,
                organisation=organisation,
                kind="SOC_CLIENT",
                opened_on=date(2026, 1, 2),
                ruleset_version="fi-2026.1",
            )
            Plan.objects.create(
                client=person,
                relationship=relationship,
                plan_type=plan_type,
                process=process,
                made_on=made_on,
                review_interval=interval,
                next_review_on=Duration.parse(interval).after(made_on),
                ruleset_version="fi-2026.1",
            )

    def decisions(count, days_per_week, ended=False):
        for _ in range(count):
            ServiceEpisode.objects.create(
                client=make_client(),
                service="REHABILITATIVE_WORK_ACTIVITY",
                decided_by=soc,
                decision_on=date(2026, 10, 1),
                starts_on=date(2026, 10, 1),
                ends_on=date(2027, 3, 31),
                ended_on=date(2026, 11, 1) if ended else None,
                end_reason="CLIENT_QUIT" if ended else "",
                state="ENDED" if ended else "DECIDED",
                days_per_week=days_per_week,
                hours_per_day=6,
                ruleset_version="fi-2026.1",
            )

    plans(soc, 6, "ACTIVATION_PLAN", "A1", "12M", date(2026, 3, 1))  # 6M: due 1.9., overdue
    plans(soc, 5, "ACTIVATION_PLAN", "A1", "6M", date(2026, 10, 1))  # allowed: unchanged
    plans(soc, 5, "MULTISECTORAL_PLAN", "A2", "3M", date(2026, 6, 1))  # overdue either way
    plans(small, 2, "ACTIVATION_PLAN", "A1", "9M", date(2026, 5, 1))  # two: withheld
    # made under older rules; today's would review it every 3 months, and so would the
    # proposal: not the proposal's change
    plans(soc, 5, "EMPLOYMENT_PLAN", "A3", "6M", date(2026, 4, 1))
    decisions(5, 1)  # allowed today, below the proposed two days a week
    decisions(5, 3)
    decisions(1, 1, ended=True)  # not in force

    kela = make_organisation("KELA")

    def applications(count, submitted_on, decided=False, benefit="LABOUR_MARKET_SUBSIDY"):
        for _ in range(count):
            Application.objects.create(
                client=make_client(),
                deciding_organisation=kela,
                benefit=benefit,
                submitted_on=submitted_on,
                expected_decision_on=Duration(3, "W").after(submitted_on),
                status="DECIDED" if decided else "PENDING",
                decided_on=DAY if decided else None,
                outcome="GRANTED" if decided else "",
                ruleset_version="fi-2026.1",
            )

    applications(6, date(2026, 11, 12))  # due 3.12.; in two weeks 26.11.: overdue as proposed
    applications(5, date(2026, 11, 25))  # due 9.12. either way not yet
    applications(5, date(2026, 11, 12), decided=True)  # not pending
    applications(5, date(2026, 11, 12), benefit="BASIC_UNEMPLOYMENT_ALLOWANCE")  # unchanged
    return soc, small


def test_the_preview_counts_what_the_proposal_would_change(caseload):
    found = preview(rules_on(DAY), proposal_of(EXAMPLE).rules, DAY)
    assert found.by_plan_type["ACTIVATION_PLAN"] == [13, 8, 0, 8]
    assert found.by_plan_type["MULTISECTORAL_PLAN"] == [5, 0, 5, 5]
    assert found.by_plan_type["EMPLOYMENT_PLAN"] == [5, 0, 5, 5]
    assert found.by_service == {"REHABILITATIVE_WORK_ACTIVITY": [10, 5]}
    assert found.by_benefit == {"LABOUR_MARKET_SUBSIDY": [11, 11, 0, 6]}
    kela = next(load for load in found.by_organisation.values() if load.applications)
    assert (kela.plans, kela.applications, kela.applications_overdue) == (0, 11, 6)
    soc, _small = caseload
    load = found.by_organisation[soc.pk]
    plans = (load.plans, load.due_earlier, load.overdue_now, load.overdue_proposed)
    assert plans == (21, 6, 10, 16)
    assert (load.decisions, load.decisions_outside) == (10, 5)
    # 12M, 6M, 3M and 6M plans review 1, 2, 4 and 2 times a year; as proposed 2, 2, 4, 2
    assert round(load.reviews_now) == 6 + 10 + 20 + 10
    assert round(load.reviews_proposed) == 12 + 10 + 20 + 10


SHORTER_DECISIONS = (
    "  - {at: services.REHABILITATIVE_WORK_ACTIVITY.decision_period.legal, "
    "to: {min: 3M, max: 4M}, label: {fi: x, sv: x, en: x}}\n"
)
TWO_DAYS = (
    "  - {at: services.REHABILITATIVE_WORK_ACTIVITY.intensity.days_per_week, "
    "to: {min: 2, max: 4}, label: {fi: x, sv: x, en: x}}\n"
)


def test_a_shorter_legal_decision_period_leaves_the_longer_decisions_outside(caseload, tmp_path):
    # the ten decisions in force cover 1.10.2026-31.3.2027: six months, four at most proposed
    bill = load_proposal(_proposal_folder(tmp_path, HEAD + SHORTER_DECISIONS), registry())
    found = preview(rules_on(DAY), bill.rules, DAY)
    assert found.by_service == {"REHABILITATIVE_WORK_ACTIVITY": [10, 10]}
    soc, _small = caseload
    assert found.by_organisation[soc.pk].decisions_outside == 10


def test_a_decision_outside_both_new_bounds_is_counted_once(caseload, tmp_path):
    text = HEAD + SHORTER_DECISIONS + TWO_DAYS
    bill = load_proposal(_proposal_folder(tmp_path, text), registry())
    assert preview(rules_on(DAY), bill.rules, DAY).by_service == {
        "REHABILITATIVE_WORK_ACTIVITY": [10, 10]
    }


def test_comparing_a_set_with_itself_changes_nothing(caseload):
    rules = rules_on(DAY)
    found = preview(rules, rules, DAY)
    assert found.by_service == {} and found.by_benefit == {}
    assert all(row[1] == 0 and row[2] == row[3] for row in found.by_plan_type.values())


def test_an_organisation_with_few_plans_shows_no_figure(caseload):
    soc, small = caseload
    rows, shown = workload_rows(preview(rules_on(DAY), proposal_of(EXAMPLE).rules, DAY))
    by_name = {row.name: row for row in rows}
    few = by_name[small.name]
    assert few.counts[:2] == [None, None] and few.reviews_now is None
    assert by_name[soc.name].counts[0] is None  # else 23 - 21 would give the two away
    assert shown.column_totals[0] == 23


@pytest.fixture
def coordinator(make_worker, settings):
    settings.KAVERI_TODAY = DAY.isoformat()
    return make_worker(Role.COORDINATOR)


def test_the_coordinator_compares_the_proposal_on_the_page(client, coordinator, caseload):
    login(client, coordinator)
    page = client.get(reverse("statistics:rule_change"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Example proposal (fictional)" in text
    assert "The activation plan is reviewed at least every six months" in text
    assert '<th scope="row">Activation plan</th><td>13</td><td>8</td><td>0</td><td>8</td>' in text
    assert "Kela decides an application for the labour market subsidy within two weeks" in text
    assert "Pending applications and the proposed processing times" in text
    row = '<th scope="row">Labour market subsidy</th><td>11</td><td>11</td><td>0</td><td>6</td>'
    assert row in text


@pytest.mark.parametrize(
    ("language", "title"),
    [("fi", "Mitä sääntömuutos tekisi"), ("sv", "Vad en regeländring skulle göra")],
)
def test_the_page_speaks_finnish_and_swedish(client, coordinator, caseload, language, title):
    login(client, coordinator)
    url = reverse("statistics:rule_change").replace("/en/", f"/{language}/", 1)
    text = client.get(url).content.decode()
    assert title in text
    assert ("Esimerkkiehdotus" in text) == (language == "fi")


def test_every_preview_table_downloads_as_xlsx(client, coordinator, caseload):
    login(client, coordinator)
    url = reverse("statistics:export", args=["preview-plans", "xlsx"])
    download = client.get(url, {"proposal": EXAMPLE})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Plans in force and their reviews", None, None, None, None]
    assert rows[2] == ["Activation plan", 13, 8, 0, 8]
    workload = client.get(
        reverse("statistics:export", args=["preview-workload", "csv"]), {"proposal": EXAMPLE}
    ).content.decode("utf-8-sig")
    _soc, small = caseload
    assert f"{small.name};..;..;0;..;0;0;0;0;..;.." in workload.splitlines()


def test_an_unknown_proposal_is_refused_with_the_choices(client, coordinator):
    login(client, coordinator)
    text = client.get(reverse("statistics:rule_change"), {"proposal": "nope"}).content.decode()
    assert "Select a valid choice" in text


def test_a_copied_folder_is_a_second_proposal(tmp_path, settings):
    copy = tmp_path / "again"
    shutil.copytree(settings.KAVERI_PROPOSED_RULES_DIRS[0], copy)
    text = (copy / "proposal.yaml").read_text(encoding="utf-8")
    (copy / "proposal.yaml").write_text(text.replace(EXAMPLE, "again-1"), encoding="utf-8")
    settings.KAVERI_PROPOSED_RULES_DIRS = [*settings.KAVERI_PROPOSED_RULES_DIRS, str(copy)]
    assert [p.version for p in proposals()] == [EXAMPLE, "again-1"]


def test_each_table_is_an_api_operation(client, coordinator, caseload):
    login(client, coordinator)
    answer = client.get("/api/v1/statistics/preview-plans", {"proposal": EXAMPLE}).json()
    assert answer["header"][0] == "Suunnitelma"  # the API speaks Finnish unless asked
    assert ["Aktivointisuunnitelma", 13, 8, 0, 8] in answer["rows"]
    pending = client.get("/api/v1/statistics/preview-applications", {"proposal": EXAMPLE}).json()
    assert ["Työmarkkinatuki", 11, 11, 0, 6] in pending["rows"]
    workload = client.get("/api/v1/statistics/preview-workload", {"proposal": EXAMPLE}).json()
    _soc, small = caseload
    assert [small.name, None, None, 0, None, 0, 0, 0, 0, None, None] in workload["rows"]
    waiting = client.get("/api/v1/statistics/waiting", {"start": "2026-01-01", "end": "2026-09-30"})
    assert waiting.status_code == 200 and waiting.json()["rows"][-1][0] == "Kaikki"
    unknown = client.get("/api/v1/statistics/preview-plans", {"proposal": "nope"})
    assert unknown.status_code == 404


def test_no_caseworker_reads_the_tables_through_the_api(client, make_worker):
    login(client, make_worker(Role.SOCIAL_COUNSELLOR))
    assert client.get("/api/v1/statistics/waiting").status_code == 403
