from ninja import Schema

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action
from kaveri.access.principal import principal_for
from kaveri.api import KaveriRouter

router = KaveriRouter(tags=["session"])


class MeOut(Schema):
    username: str
    name: str
    role: str | None
    organisation: str | None
    authority: str | None


@router.get("/me", response=MeOut, summary="Who am I")
@api_action(Action.API_ME)
def me(request):
    principal = principal_for(request)
    organisation = principal.organisation
    return MeOut(
        username=request.user.get_username(),
        name=request.user.get_full_name(),
        role=principal.role,
        organisation=organisation.name if organisation else None,
        authority=organisation.authority if organisation else None,
    )
