"""Who is making a request: their role, organisation and, for a client, their record.

The principal also carries the day of the request, so that every rule evaluated for
it answers for one given day, and a memo of relations already answered, so that a
page asks the database each question once.
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest

from kaveri.access.roles import Role
from kaveri.rules import clock


@dataclass(frozen=True)
class Principal:
    user: object | None
    role: str | None
    worker: object | None = None
    organisation: object | None = None
    client: object | None = None
    today: date = field(default_factory=clock.today, compare=False)
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def authority(self) -> str | None:
        return self.organisation.authority if self.organisation else None

    def remember(self, key, answer):
        """The answer to a question asked before in this request, or `answer()` now."""
        if key not in self.memo:
            self.memo[key] = answer()
        return self.memo[key]


ANONYMOUS = Principal(user=None, role=None)


def principal_for(request: HttpRequest) -> Principal:
    cached = getattr(request, "_kaveri_principal", None)
    if cached is not None:
        return cached
    principal = _resolve(request)
    request._kaveri_principal = principal
    return principal


def _resolve(request: HttpRequest) -> Principal:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return Principal(user=None, role=None)
    worker = getattr(user, "worker", None)
    if worker is not None:
        return Principal(user, worker.role, worker, worker.organisation)
    client = getattr(user, "client", None)
    if client is not None:
        return Principal(user, Role.CLIENT, client=client)
    if user.is_superuser:
        return Principal(user, Role.ADMINISTRATOR)
    return Principal(user, None)


def act_as(request: HttpRequest, user) -> Principal:
    """The request acts as `user` from now on (a credential other than the session proved
    who it is, e.g. a calendar link's key)."""
    request.user = user
    request._kaveri_principal = None
    return principal_for(request)
