from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kaveri.access import health
from kaveri.access import views as access_views
from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.api import api
from kaveri.pathways import views as pathways_views
from kaveri.portal import views as portal_views
from kaveri.workspace import watch_views

urlpatterns = [
    path("", access_views.language_redirect, name="root"),
    path(
        "i18n/setlang/",
        names_action(Action.LANGUAGE_SET)(access_views.choose_language),
        name="set_language",
    ),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("calendar/<str:key>.ics", watch_views.calendar_feed, name="calendar_feed"),
    path("health/", health.health, name="health"),
]

handler400 = "kaveri.access.views.bad_request"
handler500 = "kaveri.access.views.server_error"

urlpatterns += i18n_patterns(
    path("", pathways_views.pathways, name="pathways"),
    path("login/", names_action(Action.LOGIN)(access_views.LoginView.as_view()), name="login"),
    path("help/", access_views.help_page, name="help"),
    path("accessibility/", access_views.accessibility_statement, name="accessibility"),
    path(
        "accessibility/feedback/",
        access_views.accessibility_feedback,
        name="accessibility_feedback",
    ),
    path("logout/", names_action(Action.LOGOUT)(access_views.LogoutView.as_view()), name="logout"),
    path("home/", access_views.home, name="home"),
    path("workspace/", include("kaveri.workspace.urls")),
    path("statistics/", include("kaveri.statistics.urls")),
    path("portal/", portal_views.overview, name="portal"),
    path("portal/plans/<int:plan_id>/", portal_views.plan, name="portal_plan"),
    path(
        "portal/plans/<int:plan_id>/approve/", portal_views.plan_approve, name="portal_plan_approve"
    ),
    path(
        "portal/measures/<int:measure_id>/acknowledge/",
        portal_views.measure_acknowledge,
        name="portal_measure_acknowledge",
    ),
    path("portal/consents/", portal_views.consents, name="portal_consents"),
    path("portal/consents/new/", portal_views.consent_give, name="portal_consent_give"),
    path(
        "portal/consents/<int:consent_id>/revoke/",
        portal_views.consent_revoke,
        name="portal_consent_revoke",
    ),
    path("portal/access-log/", portal_views.access_log, name="portal_access_log"),
    path("portal/changes/new/", portal_views.report_change, name="portal_situation_change"),
    path(
        "portal/requests/<int:request_id>/",
        portal_views.information_answer,
        name="portal_information_answer",
    ),
    prefix_default_language=True,
)
