"""The client's own forms, in plain words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaveri.access.dates import DayField
from kaveri.consent.forms import ConsentChoicesForm
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language


class GiveConsentForm(ConsentChoicesForm):
    """A consent the client gives themselves: for what, to whom, which data, until when."""

    purpose = forms.ChoiceField(label=_("What is it for?"))
    authorities = forms.MultipleChoiceField(
        label=_("Who may share my data with each other?"), widget=forms.CheckboxSelectMultiple
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Which data?"), widget=forms.CheckboxSelectMultiple
    )
    valid_until = DayField(
        label=_("Until when? (leave empty: until I revoke it)"),
        required=False,
    )


class ReportChangeForm(forms.Form):
    """A change in the client's own situation, told to all their workers at once."""

    kind = forms.ChoiceField(label=_("What changes?"), widget=forms.RadioSelect)
    starts_on = DayField(label=_("From which day?"))
    details = forms.CharField(
        label=_("Tell more if you want to (for example, where you start work)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = get_rules().choices("situation_change", current_language())
