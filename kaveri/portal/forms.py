"""The client's own forms, in plain words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaveri.consent.forms import ConsentChoicesForm


class GiveConsentForm(ConsentChoicesForm):
    """A consent the client gives themselves: for what, to whom, which data, until when."""

    purpose = forms.ChoiceField(label=_("What is it for?"))
    authorities = forms.MultipleChoiceField(
        label=_("Who may share my data with each other?"), widget=forms.CheckboxSelectMultiple
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Which data?"), widget=forms.CheckboxSelectMultiple
    )
    valid_until = forms.DateField(
        label=_("Until when? (leave empty: until I revoke it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
