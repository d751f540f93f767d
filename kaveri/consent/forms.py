"""What every consent form offers (purposes, data categories, the network's authorities) and
how it is checked, for the worker's form and the client's alike."""

from django import forms

from kaveri.consent.actions import ConsentInput, consent_errors
from kaveri.consent.models import Consent
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language


class ConsentChoicesForm(forms.Form):
    """A subclass declares `purpose`, `data_categories` and `authorities` (and, for a
    worker, `valid_from` and `method`); a consent given in the portal starts today."""

    def __init__(self, *args, recorder_authority: str | None = None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = current_language()
        self.recorder_authority = recorder_authority
        self.today = today
        self.fields["purpose"].choices = rules.choices("consent_purpose", language)
        self.fields["data_categories"].choices = rules.choices("data_category", language)
        self.fields["authorities"].choices = [
            (a.code, a.label.get(language)) for a in rules.data.authorities if a.in_network
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = consent_errors(self.as_input(), self.recorder_authority, self.today)
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def as_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            purpose=data["purpose"],
            data_categories=list(data["data_categories"]),
            authorities=list(data["authorities"]),
            valid_from=data.get("valid_from") or self.today,
            valid_until=data.get("valid_until"),
            method=data.get("method") or Consent.Method.PORTAL,
        )
