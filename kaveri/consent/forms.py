from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaveri.consent.actions import ConsentInput, consent_errors
from kaveri.consent.models import Consent
from kaveri.rules.loader import get_rules
from kaveri.workspace.forms import PlainLabels


class ConsentForm(PlainLabels, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"))
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"), widget=forms.CheckboxSelectMultiple
    )
    authorities = forms.MultipleChoiceField(
        label=_("Authorities it covers"), widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("How it was given"), choices=Consent.Method.choices)

    def __init__(self, *args, recorder_authority: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = get_language() or "fi"
        self.recorder_authority = recorder_authority
        self.fields["purpose"].choices = rules.choices("consent_purpose", language)
        self.fields["data_categories"].choices = rules.choices("data_category", language)
        self.fields["authorities"].choices = [
            (a.code, a.label.get(language)) for a in rules.data.authorities if a.in_network
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for field, message in consent_errors(self.as_input(), self.recorder_authority).items():
            self.add_error(field, message)
        return cleaned

    def as_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            purpose=data["purpose"],
            data_categories=list(data["data_categories"]),
            authorities=list(data["authorities"]),
            valid_from=data["valid_from"],
            valid_until=data.get("valid_until"),
            method=data["method"],
        )
