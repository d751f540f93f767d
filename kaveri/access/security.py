"""Security headers and keeping personal identity codes out of the logs."""

import logging
import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

# DDMMYY, a century sign, three digits and a check character.
IDENTITY_CODE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
REDACTED = "[henkilötunnus]"


def looks_like_identity_code(text: str) -> bool:
    return IDENTITY_CODE.fullmatch(text.strip()) is not None


def redact(text: str) -> str:
    return IDENTITY_CODE.sub(REDACTED, text)


class RedactIdentityCodes(logging.Filter):
    """Replace anything shaped like a henkilötunnus in a log record, message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.getMessage()))
        record.args = ()
        return True


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.KAVERI_CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


NUL_MESSAGE = "The request holds a NUL character (\\0), which no field may contain; remove it."


def _holds_nul(request) -> bool:
    if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body.lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or "\x00" in value for key, value in request.POST.items())
    return False


class RefuseNulCharacters:
    """A NUL character in any input is refused with 400 before it reaches a view: no text
    field holds one, and PostgreSQL cannot store one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
