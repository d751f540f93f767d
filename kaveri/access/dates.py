"""A date in a form as Finns write it (7.12.2026), whatever the browser's own language.

The browser's date picker shows its own language's format (12/07/2026 in an English
browser reading a Finnish page), so the pages ask for the date as text in the Finnish
convention, which Finland-Swedish and the pages' English share; ISO dates (2026-12-07)
are accepted too.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DAY_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DAY_HINT = _("day.month.year, for example 7.12.2026")


class DayInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(attrs=defaults | (attrs or {}))

    def format_value(self, value):
        """7.12.2026: the day and the month without leading zeros, as Finns write them."""
        if hasattr(value, "strftime"):
            return f"{value.day}.{value.month}.{value.year}"
        return value


class DayField(forms.DateField):
    """A day written 7.12.2026, 7.12.26 or 2026-12-07; the hint says how."""

    widget = DayInput
    default_error_messages = {
        "invalid": _("Write the date as day.month.year, for example 7.12.2026."),
    }

    def __init__(self, *, help_text="", **kwargs):
        kwargs.setdefault("input_formats", DAY_FORMATS)
        hint = format_lazy("{} ({})", help_text, DAY_HINT) if help_text else DAY_HINT
        super().__init__(help_text=hint, **kwargs)
