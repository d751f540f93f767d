"""One-button operations of a page (approve, acknowledge, revoke): the version the page was
shown at, and the operation run with its outcome told in a message."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from kaveri.access.decorators import audit_done
from kaveri.rules.violations import RuleViolation, Violations


def posted_version(request) -> int | None:
    """The version of the record the one-button form was shown at."""
    value = request.POST.get("row_version", "")
    return int(value) if value.isdigit() else None


def one_button(request, operation: Callable[[], object], done: str, back: str):
    """Run the operation; audit what it wrote and say so, or say in words why not."""
    try:
        written = operation()
    except Violations as found:
        messages.error(request, " ".join(v.message for v in found.violations))
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        audit_done(request, written)
        messages.success(request, done)
    return redirect(back)
