"""Security headers and keeping personal identity codes out of the logs."""

import logging
import re

from django.conf import settings

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
