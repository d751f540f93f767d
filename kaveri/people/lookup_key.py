"""The keyed hash an identity code is looked up by. The search and every exact lookup
ask `Client.hetu_key = HMAC(key, code)`, so that the only index over identity codes holds
no code: a copy of the index, a query plan or a slow-query log names no person. The key
is derived from the audit key (KAVERI_AUDIT_KEY), which a deployment already keeps secret
and steady; the codes themselves stay in `Client.hetu`, unindexed, for the pages."""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from kaveri.people.validators import normalise_hetu

PURPOSE = b"kaveri: identity code lookup, version 1"


@lru_cache(maxsize=4)
def _lookup_key(audit_key: str) -> bytes:
    return hmac.new(audit_key.encode(), PURPOSE, hashlib.sha256).digest()


def identity_key(code: str) -> str:
    """The lookup key of an identity code, written in any of its accepted forms."""
    normalised = normalise_hetu(code).encode()
    return hmac.new(_lookup_key(settings.KAVERI_AUDIT_KEY), normalised, hashlib.sha256).hexdigest()
