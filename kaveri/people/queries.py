"""Querysets of clients, and the one every client record's queryset builds on."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from kaveri.access.security import looks_like_identity_code
from kaveri.people.validators import normalise_hetu


class ClientQuerySet(models.QuerySet):
    def matching(self, query: str) -> "ClientQuerySet":
        """Clients by exact identity code, or by the start of a last name or a first name."""
        query = query.strip()
        if looks_like_identity_code(query):
            return self.filter(hetu=normalise_hetu(query))
        condition = Q()
        for word in query.split():
            condition &= Q(last_name__istartswith=word) | Q(first_names__icontains=word)
        return self.filter(condition).order_by("last_name", "first_names", "pk")


class ClientRecordQuerySet(models.QuerySet):
    """Records that belong to one client through a `client` foreign key."""

    def clients(self) -> ClientQuerySet:
        """The clients these records are about, as one indexed EXISTS query."""
        client_model = self.model._meta.get_field("client").related_model
        return client_model.objects.filter(Exists(self.filter(client=OuterRef("pk"))))
