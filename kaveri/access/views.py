import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from kaveri.access import staff
from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.access.feedback import receive_accessibility_feedback
from kaveri.access.health import RETRY_AFTER_SECONDS
from kaveri.access.principal import principal_for
from kaveri.access.roles import Role
from kaveri.rules import clock
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language, duration_text
from kaveri.rules.violations import RuleViolation

HOME_BY_ROLE = {
    Role.CLIENT: "portal",
    Role.ADMINISTRATOR: "admin:index",
    Role.COORDINATOR: "statistics:waiting",
}


@names_action(Action.PATHWAYS_VIEW)
def language_redirect(request):
    """`/` goes to the pathways page in the browser's language (Finnish by default)."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return redirect("pathways")


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@names_action(Action.HOME)
def home(request):
    role = principal_for(request).role
    return redirect(HOME_BY_ROLE.get(role, "workspace:clients"))


def locked_out(request, credentials=None, *args, **kwargs):
    """The page django-axes shows after too many failed logins."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "access/locked_out.html", {"minutes": minutes}, status=429)


def choose_language(request):
    """Django's language switch; a worker's choice is also kept for their digest.

    Django finds the page to return to by resolving its address in the language active
    for this request, which comes from the browser when this address has no prefix: a
    Finnish page asked for by an English browser did not resolve and came back in
    Finnish. The page's own language is made active first, so its address resolves."""
    page = request.POST.get("next") or request.GET.get("next") or ""
    page_language = translation.get_language_from_path(page)
    if page_language:
        translation.activate(page_language)
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    worker = principal_for(request).worker
    if worker is not None and translation.check_for_language(language):
        staff.remember_language(worker, language)
    return response


# --- help, the accessibility statement and its feedback ---


@names_action(Action.HELP)
def help_page(request):
    """A short help page for the reader's role; before logging in, how to get an account."""
    return render(request, "access/help.html", {"role": principal_for(request).role})


def _statement(request, form=None, errors=None, status=200):
    answer_within = get_rules().data.accessibility_feedback.answer_within
    return render(
        request,
        "access/accessibility.html",
        {
            "answer_within": duration_text(answer_within, current_language()),
            "form": form or {"page": request.GET.get("page", "")[:300]},
            "errors": errors or {},
        },
        status=status,
    )


@names_action(Action.ACCESSIBILITY_STATEMENT)
def accessibility_statement(request):
    return _statement(request)


@require_POST
@names_action(Action.ACCESSIBILITY_FEEDBACK)
def accessibility_feedback(request):
    form = {name: request.POST.get(name, "") for name in ("message", "page", "contact")}
    try:
        feedback = receive_accessibility_feedback(
            form["message"], form["page"], form["contact"], current_language(), clock.today()
        )
    except RuleViolation as problem:
        return _statement(request, form, {problem.field: problem.message}, status=400)
    messages.success(
        request,
        _("Thank you. Your feedback was received; it is answered by %(day)s.")
        % {"day": date_format(feedback.answer_due_on, "SHORT_DATE_FORMAT")},
    )
    return redirect("accessibility")


# --- error pages ---


def csrf_failure(request, reason=""):
    """A form that came back without its token: expired, or sent from elsewhere."""
    return render(request, "403_csrf.html", status=403)


def _language_of_address(request) -> str:
    """The language of the page asked for, for an error page drawn without the middleware."""
    return translation.get_language_from_path(request.path_info) or translation.get_language()


def bad_request(request, exception):
    """The 400 page in the language of the address; a refusal of our own says its reason
    (never echoing what was sent)."""
    ours = isinstance(exception, BadRequest) and exception.args
    with translation.override(_language_of_address(request)):
        reason = _(exception.args[0]) if ours else ""
        return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason}))


def server_error(request):
    """The 500 page, drawn from nothing that may have failed (no database, no session) in
    the language of the address; a 503 that asks to try again while the database cannot
    be reached (Django calls this while handling the exception, so it is at hand)."""
    failure = sys.exc_info()[1]
    with translation.override(_language_of_address(request)):
        if isinstance(failure, (OperationalError, InterfaceError)):
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return HttpResponseServerError(loader.render_to_string("500.html"))
