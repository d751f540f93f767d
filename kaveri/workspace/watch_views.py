"""The workers' pages of the watch: acknowledging or snoozing a signal, the team view of
an organisation, and one's own calendar feed (its secret link, and the feed itself).

Each page names its action; a signal is fetched and checked against the action's rule
(its organisation answers for it, or the worker is named to the client).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaveri.access import staff
from kaveri.access.actions import Action, permitted
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import fetch, names_action
from kaveri.access.principal import act_as, principal_for
from kaveri.access.relations import named_among
from kaveri.access.visibility import remember_visibilities
from kaveri.rules.violations import RuleViolation
from kaveri.watch import actions as watch_actions
from kaveri.watch import team as team_queries
from kaveri.watch.calendar import events_of, feed_deadlines, feed_for_key, ical, live_feed
from kaveri.watch.models import Signal
from kaveri.watch.worklist import contacts_of, item_of
from kaveri.workspace import forms
from kaveri.workspace.casework_views import run_operation
from kaveri.workspace.forms import AbsenceForm
from kaveri.workspace.views import SIGNAL_ACTIONS


def _signal(request, signal_id: int) -> Signal:
    rows = Signal.objects.filter(cleared_on__isnull=True).select_related(
        "client", "organisation", "worker__user"
    )
    return fetch(request, rows, signal_id)


def _intro(request, signal: Signal) -> str:
    item = item_of(principal_for(request), signal, signal=True)
    return f"{item.title}: {item.text}"


@names_action(Action.SIGNAL_ACKNOWLEDGE)
def signal_acknowledge(request, signal_id: int):
    signal = _signal(request, signal_id)
    form = forms.AcknowledgeForm(request.POST or None, record=signal)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: watch_actions.acknowledge_signal(
            signal,
            principal.worker,
            d["reason"],
            principal.today,
            expected_version=form.expected_version(),
        ),
        title=_("Acknowledge the signal"),
        intro=_intro(request, signal),
        target=signal,
        done=_("The signal is acknowledged; it clears itself when the facts change."),
        back=reverse("workspace:clients"),
    )


@names_action(Action.SIGNAL_SNOOZE)
def signal_snooze(request, signal_id: int):
    signal = _signal(request, signal_id)
    form = forms.SnoozeForm(request.POST or None, record=signal)
    principal = principal_for(request)
    return run_operation(
        request,
        form,
        lambda d: watch_actions.snooze_signal(
            signal,
            principal.worker,
            d["until"],
            d["reason"],
            principal.today,
            expected_version=form.expected_version(),
        ),
        title=_("Snooze the signal"),
        intro=_intro(request, signal),
        target=signal,
        done=_("The signal is snoozed; it shows again after the day you chose."),
        back=reverse("workspace:clients"),
    )


TEAM_PAGE_SIZE = 50


@names_action(Action.WORKER_ABSENCE)
def absence(request):
    """The worker tells their clients they are away, until when, and whom to contact."""
    principal = principal_for(request)
    worker = principal.worker
    form = AbsenceForm(
        request.POST or None,
        worker=worker,
        initial={"away_until": worker.away_until, "deputy": worker.deputy},
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff.set_absence(
                worker,
                form.cleaned_data["away_until"],
                form.cleaned_data["deputy"],
                principal.today,
            )
        except RuleViolation as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("Your clients now see whom to contact."))
            return redirect("home")
    return render(
        request,
        "workspace/operation_form.html",
        {
            "form": form,
            "title": _("My absence"),
            "back": reverse("home"),
            "intro": _(
                "Your clients see on their own page that you are away, until when, and whom "
                "to contact meanwhile."
            ),
        },
        status=422 if form.errors else 200,
    )


@names_action(Action.TEAM_VIEW)
def team(request):
    """The organisation's team: who has no named worker, each worker's load, and the
    signals the organisation answers for that no one has acted on."""
    principal = principal_for(request)
    organisation = principal.organisation
    today = principal.today
    unnamed = Paginator(team_queries.unnamed_relationships(organisation), TEAM_PAGE_SIZE)
    unnamed_page = unnamed.get_page(request.GET.get("unnamed"))
    signals = Paginator(team_queries.unacted_signals(organisation, today), TEAM_PAGE_SIZE)
    signals_page = signals.get_page(request.GET.get("signals"))
    rows = list(signals_page.object_list)
    remember_visibilities(principal, {r.client_id: r.client for r in rows}.values())
    named_among(principal, {r.client_id: r.client for r in rows}.values())
    contacts = contacts_of({r.relationship_id for r in rows})
    unacted = []
    for row in rows:
        item = item_of(principal, row, True, contacts)
        item.may = permitted(principal, row, SIGNAL_ACTIONS)
        unacted.append((item, (today - row.due_on).days))
    shown = {r.client.pk: r.client for r in unnamed_page.object_list} | {
        row.client.pk: row.client for row in signals_page.object_list
    }
    record_list_access(request, Action.TEAM_VIEW, shown.values())
    return render(
        request,
        "workspace/team.html",
        {
            "organisation": organisation,
            "unnamed": unnamed_page,
            "load": team_queries.load_per_worker(organisation, today),
            "signals": signals_page,
            "unacted": unacted,
            "today": today,
        },
    )


@names_action(Action.CALENDAR_LINK_MANAGE)
def calendar_link(request):
    """The worker's own calendar link: make or renew it (shown once), or revoke it."""
    principal = principal_for(request)
    key = None
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            watch_actions.revoke_calendar_feed(principal.worker)
            messages.success(request, _("The calendar link is revoked; it no longer works."))
            return redirect("workspace:calendar_link")
        key = watch_actions.renew_calendar_feed(principal.worker, get_language())
    feed = live_feed(principal.worker)
    return render(
        request,
        "workspace/calendar_link.html",
        {
            "feed": feed,
            "link": request.build_absolute_uri(reverse("calendar_feed", args=[key])) if key else "",
        },
    )


@names_action(Action.CALENDAR_FEED)
def calendar_feed(request, key: str):
    """The feed a calendar application subscribes to; the key in the link is the credential."""
    feed = feed_for_key(key)
    if feed is None:
        raise Http404(_("There is no calendar feed at this link; it may have been revoked."))
    principal = act_as(request, feed.worker.user)
    rows = list(feed_deadlines(feed.worker, principal.today))
    record_list_access(
        request, Action.CALENDAR_FEED, {r.client_id: r.client for r in rows}.values()
    )
    with translation.override(feed.language):
        name = _("Kaveri: my clients' deadlines")
    body = ical(events_of(rows, feed.language), name, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
