"""Querysets of clients, and the one every client record's queryset builds on."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper

from kaveri.access.security import looks_like_identity_code
from kaveri.people.lookup_key import identity_key

MINIMUM_NAME_PART = 2


def name_parts(query: str) -> list[str]:
    """The words of a name search long enough to search by; none, and the search finds no one."""
    return [word for word in query.split() if len(word) >= MINIMUM_NAME_PART]


class ClientQuerySet(models.QuerySet):
    def matching(self, query: str, organisation=None) -> "ClientQuerySet":
        """Clients by exact identity code (anyone: a first contact needs it), or by the start
        of a last name or a first name among the clients the organisation serves. A query
        without a word of two letters finds no one."""
        query = query.strip()
        if looks_like_identity_code(query):
            return self.with_identity_code(query)
        words = name_parts(query)
        if not words or organisation is None:
            return self.none()
        condition = Q()
        for word in words:
            condition &= Q(last_name__istartswith=word) | Q(first_names__icontains=word)
        # Ordered by the upper-case names the trigram indexes hold: ordered by the bare
        # names, PostgreSQL walks the name index from A and filters a million rows.
        return (
            self.served_by(organisation)
            .filter(condition)
            .order_by(Upper("last_name"), Upper("first_names"), "pk")
        )

    def with_identity_code(self, code: str) -> "ClientQuerySet":
        """The client with this identity code, found through its keyed hash (lookup_key)."""
        return self.filter(hetu_key=identity_key(code))

    def served_by(self, organisation) -> "ClientQuerySet":
        """Clients with whom the organisation has an open client relationship."""
        return self.filter(
            pk__in=self.model.relationships.rel.related_model.objects.filter(
                organisation=organisation, closed_on__isnull=True
            ).values("client_id")
        )


class ClientRecordQuerySet(models.QuerySet):
    """Records that belong to one client through a `client` foreign key."""

    def clients(self) -> ClientQuerySet:
        """The clients these records are about, as one indexed EXISTS query."""
        client_model = self.model._meta.get_field("client").related_model
        return client_model.objects.filter(Exists(self.filter(client=OuterRef("pk"))))
