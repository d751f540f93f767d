"""Which clients a worker's organisation currently serves."""

from django.db.models import Exists, OuterRef, QuerySet

from kaveri.access.principal import Principal
from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client
from kaveri.services.models import ServiceEpisode


def clients_served_by(principal: Principal) -> QuerySet[Client]:
    if principal.organisation is None:
        return Client.objects.none()
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        link = ServiceEpisode.objects.filter(
            client=OuterRef("pk"), provider=principal.organisation, ended_on__isnull=True
        )
    else:
        link = ClientRelationship.objects.filter(
            client=OuterRef("pk"), organisation=principal.organisation, closed_on__isnull=True
        )
    return Client.objects.filter(Exists(link))
