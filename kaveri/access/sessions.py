"""Sessions that end after KAVERI_SESSION_IDLE_MINUTES without a request. Django's
SESSION_SAVE_EVERY_REQUEST would move the expiry with an UPDATE of the session row on
every request (a write, and on SQLite the one write lock, for every page view); here the
expiry moves on at most once a minute, so a session ends within a minute of its idle limit."""

import time

from django.contrib.sessions.middleware import SessionMiddleware

REFRESHED_AT = "_kaveri_refreshed_at"
REFRESH_EVERY_SECONDS = 60


class SlidingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= REFRESH_EVERY_SECONDS:
                session[REFRESHED_AT] = now
        return super().process_response(request, response)
