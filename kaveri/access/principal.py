"""Who is making a request: their role, organisation and, for a client, their record."""

from dataclasses import dataclass

from django.http import HttpRequest

from kaveri.access.roles import Role


@dataclass(frozen=True)
class Principal:
    user: object | None
    role: str | None
    worker: object | None = None
    organisation: object | None = None
    client: object | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None


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
        return ANONYMOUS
    worker = getattr(user, "worker", None)
    if worker is not None:
        return Principal(user, worker.role, worker, worker.organisation)
    client = getattr(user, "client", None)
    if client is not None:
        return Principal(user, Role.CLIENT, client=client)
    if user.is_superuser:
        return Principal(user, Role.ADMINISTRATOR)
    return Principal(user, None)
