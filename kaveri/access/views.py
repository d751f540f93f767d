from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import translation
from django.views import i18n as i18n_views

from kaveri.access import staff
from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.access.principal import principal_for
from kaveri.access.roles import Role

HOME_BY_ROLE = {
    Role.CLIENT: "portal",
    Role.ADMINISTRATOR: "admin:index",
    Role.COORDINATOR: "pathways",
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
    """Django's language switch; a worker's choice is also kept for their digest."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    worker = principal_for(request).worker
    if worker is not None and translation.check_for_language(language):
        staff.remember_language(worker, language)
    return response
