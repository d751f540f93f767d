"""Security headers and keeping personal identity codes out of the logs."""

import json
import logging
import re
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext_noop

# DDMMYY, a century sign, three digits and a check character.
IDENTITY_CODE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
REDACTED = "[henkilötunnus]"


def looks_like_identity_code(text: str) -> bool:
    return IDENTITY_CODE.fullmatch(text.strip()) is not None


def redact(text: str) -> str:
    return IDENTITY_CODE.sub(REDACTED, text)


class RedactIdentityCodes(logging.Filter):
    """Replace anything shaped like a henkilötunnus in a log record: the message with its
    arguments, the exception with its traceback (a database error's detail among them), and
    the stack. Every handler carries it; RedactingFormatter redacts what a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.getMessage()))
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_redactor = RedactIdentityCodes()


def redact_every_log_record() -> None:
    """Redact each log record as it is made, before any handler (ours, a test's, a library's)
    sees it. Installed once, when the access app is ready."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "kaveri_redacts", False):
        return

    def make_redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _redactor.filter(record)
        return record

    make_redacted_record.kaveri_redacts = True
    logging.setLogRecordFactory(make_redacted_record)


class RedactingFormatter(logging.Formatter):
    """The last line of defence: whatever a record holds, the written line holds no code."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line, for a log collector: time, level, logger, message (and the
    exception), identity codes redacted like every other line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info or record.exc_text:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        for name in ("status_code", "request_method", "path", "duration_ms"):
            if hasattr(record, name):
                line[name] = getattr(record, name)
        return redact(json.dumps(line, ensure_ascii=False, default=str))


IDENTITY_CODE_IN_ADDRESS = gettext_noop(
    "The address holds a personal identity code. Identity codes are never sent in an address "
    "(it ends up in logs and browser history): use the search form, which sends it in the body."
)


class RefuseIdentityCodesInAddresses:
    """A request whose path or query string carries an identity code is refused before any
    view sees it; the access log line that records it is redacted by the formatter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = unquote(request.path) + "?" + unquote(request.META.get("QUERY_STRING", ""))
        if IDENTITY_CODE.search(address):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": IDENTITY_CODE_IN_ADDRESS}, status=400)
            raise BadRequest(IDENTITY_CODE_IN_ADDRESS)
        return self.get_response(request)


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


NUL_MESSAGE = gettext_noop(
    "The request holds a NUL character (\\0), which no field may contain; remove it."
)


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
            raise BadRequest(NUL_MESSAGE)
        return self.get_response(request)
