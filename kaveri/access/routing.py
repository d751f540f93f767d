"""The API's router: an operation that names no action cannot be registered, and every
operation documents the error answers it can really give.

Errors come in one shape: `{"detail": "..."}`, or for input that breaks a rule or the
schema, `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`.
"""

from django.core.exceptions import ImproperlyConfigured
from ninja import Field, Router, Schema
from ninja.constants import NOT_SET

from kaveri.access.actions import ANYONE, rule_for


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class VersionedIn(Schema):
    """An input that changes a record: the version of the record it was read at, if known."""

    row_version: int | None = Field(
        None, ge=0, description="The version read; a stale one is refused with 409."
    )


def _error_responses(action, methods: list[str], path: str, auth) -> dict:
    """The error statuses an operation answers with, by what it is."""
    errors = {400: ErrorOut, 422: ValidationErrorOut}
    if auth is not None:
        errors[401] = ErrorOut
    if rule_for(action).roles is not ANYONE:
        errors[403] = ErrorOut
    if "{" in path:
        errors[404] = ErrorOut
    if any(m in ("POST", "PUT", "PATCH", "DELETE") for m in methods):
        errors[409] = ErrorOut
    return errors


class KaveriRouter(Router):
    """A router that refuses an operation that names no action of the action table."""

    def add_api_operation(self, path, methods, view_func, **kwargs):
        action = getattr(view_func, "kaveri_action", None)
        if action is None:
            raise ImproperlyConfigured(
                f"API operation {view_func.__module__}.{view_func.__name__} names no action; "
                "decorate it with @api_action(Action.X)."
            )
        response = kwargs.get("response", NOT_SET)
        if response is NOT_SET:
            response = dict
        documented = dict(response) if isinstance(response, dict) else {200: response}
        for status, schema in _error_responses(
            action, methods, path, kwargs.get("auth", NOT_SET)
        ).items():
            documented.setdefault(status, schema)
        kwargs["response"] = documented
        return super().add_api_operation(path, methods, view_func, **kwargs)
