"""The fields every stateful record has: its state and the version an edit form read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def row_version_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Raised by every change; a form read at an older version cannot save."),
    )


def state_field(choices, default) -> models.CharField:
    return models.CharField(
        _("state"), max_length=30, choices=choices, default=default, db_index=True, editable=False
    )


def state_matches(state: str, condition: models.Q, otherwise: models.Q, name: str):
    """A database constraint: the record is in `state` exactly when `condition` holds."""
    return models.CheckConstraint(
        condition=(models.Q(state=state) & condition) | (~models.Q(state=state) & otherwise),
        name=name,
    )
