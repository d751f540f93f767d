"""Every page of the workers' site and the client's portal, found rather than listed: for
each named address, the first record of its kind that a person may open."""

import re

from django.apps import apps
from django.test import Client as Http
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver

CANDIDATES = 60
# Not pages: a file, a calendar feed, the language switch, a log-out, the PDF report.
NOT_PAGES = {
    "document_file",
    "consent_signed_form",
    "calendar_feed",
    "set_language",
    "logout",
    "report",
}


def workspace_patterns() -> list[tuple[str, str]]:
    """(name, route) of every page of the workers' site and the client's portal."""
    found = []

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                language_prefix = isinstance(entry.pattern, LocalePrefixPattern)
                walk(
                    entry.url_patterns,
                    inner,
                    prefix + ("" if language_prefix else str(entry.pattern)),
                )
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return [
        (name, route)
        for name, route in found
        if name.split(":")[-1] not in NOT_PAGES and not route.startswith(("admin", "api", "i18n"))
    ]


MODEL_OF_ARGUMENT = {
    "client_id": "people.Client",
    "relationship_id": "casework.ClientRelationship",
    "application_id": "benefits.Application",
    "appeal_id": "benefits.Appeal",
    "plan_id": "plans.Plan",
    "measure_id": "plans.Measure",
    "episode_id": "services.ServiceEpisode",
    "consent_id": "consent.Consent",
    "signal_id": "watch.Signal",
    "document_id": "evidence.Document",
}
REQUEST_MODEL = {
    "workspace:data_request_answer": "consent.DataRequest",
    "workspace:information_answer": "benefits.InformationRequest",
    "portal_information_answer": "benefits.InformationRequest",
}


def candidate_urls(name: str, route: str):
    """The page's address with the ids of the first records of its kind."""
    arguments = re.findall(r"<int:(\w+)>", route)
    if not arguments:
        yield "/fi/" + route
        return
    if len(arguments) == 2:  # a consent of a client
        model = apps.get_model("consent.Consent")
        for consent in model.objects.order_by("pk")[:CANDIDATES]:
            yield "/fi/" + route.replace("<int:client_id>", str(consent.client_id)).replace(
                "<int:consent_id>", str(consent.pk)
            )
        return
    label = REQUEST_MODEL.get(name) or MODEL_OF_ARGUMENT[arguments[0]]
    for pk in (
        apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True)[:CANDIDATES]
    ):
        yield "/fi/" + route.replace(f"<int:{arguments[0]}>", str(pk))


def first_page_they_may_open(http: Http, name: str, route: str) -> str | None:
    for url in candidate_urls(name, route):
        response = http.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            return url
        if response.status_code in (403, 405):  # not this role's page, or not a page
            return None
    return None
