"""API tokens for integrations: created once, shown once, stored as a hash, revocable."""

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer

from kaveri.access.models import ApiToken

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A random key whose prefix (what `kaveri token list` shows) never begins with "-",
    which a command line would take for an option."""
    while True:
        key = f"kav_{secrets.token_urlsafe(32)}"
        if key[4] not in "-_":
            return key


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """The stored token and the key to hand over; the key cannot be recovered later."""
    key = new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[4 : 4 + PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return token, key


def revoke_token(prefix: str) -> ApiToken:
    token = ApiToken.objects.get(prefix=prefix)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_key(key: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer kav_…`; the request then acts as the token's user."""

    def authenticate(self, request, token: str):
        user = user_for_key(token)
        if user is None:
            return None
        request.user = user
        return user
