"""Forms of the workers' pages. Choices come from the rule set in the user's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaveri.access.dates import DayField
from kaveri.access.emergency import reason_choices
from kaveri.access.models import Organisation, Worker
from kaveri.access.security import looks_like_identity_code
from kaveri.benefits.models import Appeal, Application
from kaveri.consent.forms import ConsentChoicesForm
from kaveri.consent.models import Consent
from kaveri.people.models import Client
from kaveri.people.queries import name_parts
from kaveri.people.validators import normalise_hetu, validate_hetu
from kaveri.rules import clock
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language, duration_range_text
from kaveri.transitions.behalf import OnBehalf


class PlainLabels:
    """Labels without the trailing colon, so that the accessible name is the label itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


SIGNED_FORM_HELP = _("A scan or photo of the form the client signed: PDF, JPEG or PNG, to 10 MB.")


class VersionedForm(PlainLabels, forms.Form):
    """An edit form that carries the version of the record it was read at: a save after
    someone else's change is refused with a clear message and changes nothing."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["row_version"].initial = record.row_version

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("row_version")


def today_field(label) -> forms.DateField:
    return DayField(label=label, initial=clock.today)


class SearchForm(PlainLabels, forms.Form):
    query = forms.CharField(
        label=_("Name or personal identity code"),
        max_length=100,
        help_text=_(
            "A name finds your organisation's clients by last or first name; an identity code, "
            "given whole, finds anyone (a first contact needs it) and is logged."
        ),
    )

    def clean_query(self) -> str:
        query = self.cleaned_data["query"].strip()
        if not looks_like_identity_code(query) and not name_parts(query):
            raise forms.ValidationError(
                _("Type at least two letters of a name, or a whole identity code.")
            )
        return query


class ClientForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "hetu",
            "first_names",
            "last_name",
            "language",
            "municipality",
            "address",
            "phone",
            "email",
        ]

    def clean_hetu(self):
        code = normalise_hetu(self.cleaned_data["hetu"])
        validate_hetu(code)
        return code


class OpenCaseForm(PlainLabels, forms.Form):
    occurred_on = today_field(_("Date of contact"))
    initiator = forms.ChoiceField(label=_("Who made contact"))
    channel = forms.ChoiceField(label=_("Channel"))
    kind = forms.ChoiceField(label=_("Client relationship"))
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)
    worker = forms.ModelChoiceField(label=_("Named worker"), queryset=Worker.objects.none())
    second_worker = forms.ModelChoiceField(
        label=_("Second worker of the pair"),
        queryset=Worker.objects.none(),
        required=False,
        help_text=_(
            "TYP: the work pair has one worker from employment services and one from "
            "social welfare."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("TYP: how the client gave consent to TYP work"),
        required=False,
        choices=[("", "–"), *[(m.value, m.label) for m in Consent.Method if m != "PORTAL"]],
        help_text=_(
            "TYP registration needs the client's consent; it covers basic information, plans, "
            "services and applications between TYP, employment services, social welfare and Kela."
        ),
    )
    consent_until = DayField(label=_("TYP: consent valid until"), required=False)
    consent_form = forms.FileField(
        label=_("TYP: the signed consent form"), required=False, help_text=SIGNED_FORM_HELP
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = current_language()
        self.fields["initiator"].choices = rules.choices("contact_initiator", language)
        self.fields["channel"].choices = rules.choices("contact_channel", language)
        self.fields["kind"].choices = [
            (k.code, k.label.get(language))
            for k in rules.kinds_opened_at(organisation.authority, organisation.is_municipal_trial)
        ]
        self.fields["pathway"].choices = [("", "–"), *rules.choices("pathway", language)]
        kinds = rules.kinds_opened_at(organisation.authority, organisation.is_municipal_trial)
        if not any(k.requires_consent for k in kinds):
            for field in ("consent_method", "consent_until", "consent_form"):
                del self.fields[field]
        if not any(len(k.workers) > 1 or any(w.max > 1 for w in k.workers) for k in kinds):
            del self.fields["second_worker"]
        staff = Worker.objects.filter(organisation=organisation).select_related("user")
        self.fields["worker"].queryset = staff
        if "second_worker" in self.fields:
            self.fields["second_worker"].queryset = staff


class NameWorkerForm(VersionedForm):
    role = forms.ChoiceField(label=_("Role in the case"))
    worker = forms.ModelChoiceField(label=_("Worker"), queryset=Worker.objects.none())
    from_date = today_field(_("From"))

    def __init__(self, *args, relationship, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["role"].choices = [
            (w.role, rules.label("worker_role", w.role, current_language()))
            for w in rules.relationship_kinds[relationship.kind].workers
        ]
        self.fields["worker"].queryset = Worker.objects.filter(
            organisation=relationship.organisation
        ).select_related("user")


class AssessmentForm(PlainLabels, forms.Form):
    assessed_on = today_field(_("Date"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    services = forms.MultipleChoiceField(
        label=_("Guided to services"), required=False, widget=forms.CheckboxSelectMultiple
    )
    benefits = forms.MultipleChoiceField(
        label=_("Guided to benefits"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_final = forms.BooleanField(label=_("Final assessment (TYP)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["services"].choices = rules.choices("service", current_language())
        self.fields["benefits"].choices = rules.choices("benefit", current_language())


def allowed_reviews(rules, review_ranges, language: str) -> str:
    """The review intervals the rules allow, in words: "3–6 months" for one plan type,
    "Activation plan: 3–6 months; ..." for several."""
    if len(review_ranges) == 1:
        return _("The rules allow %(range)s.") % {
            "range": duration_range_text(review_ranges[0][1], language)
        }
    return _("The rules allow: %(ranges)s.") % {
        "ranges": "; ".join(
            f"{rules.label('plan', code, language)} {duration_range_text(span, language)}"
            for code, span in review_ranges
        )
    }


class PlanForm(VersionedForm):
    plan_type = forms.ChoiceField(label=_("Plan"))
    made_on = today_field(_("Made on"))
    review_months = forms.IntegerField(label=_("Review every (months)"), min_value=1, max_value=24)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures agreed"), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args,
        revision: bool = False,
        own_authority: str | None = None,
        current_measures: dict[str, str] | None = None,
        review_ranges: list[tuple[str, object]] = (),
        **kwargs,
    ):
        """`current_measures`: in a review, each measure of the version in force and the
        authority responsible for it, so that an untouched form keeps them as they are.
        `review_ranges`: (plan type, the review interval the rules allow) of each plan
        type offered; the form offers those and states their ranges."""
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = current_language()
        current_measures = current_measures or {}
        offered = [code for code, _range in review_ranges] or list(rules.plans)
        self.fields["plan_type"].choices = [
            (code, rules.label("plan", code, language)) for code in offered
        ]
        self.fields["review_months"].help_text = allowed_reviews(rules, review_ranges, language)
        self.fields["measures"].choices = rules.choices("measure", language)
        if revision:
            del self.fields["plan_type"]
            del self.fields["parties"]
        for measure in rules.data.measures:
            if len(measure.granted_by) > 1:
                current = current_measures.get(measure.code)
                default = own_authority if own_authority in measure.granted_by else None
                self.fields[responsible_field(measure.code)] = forms.ChoiceField(
                    label=_("Responsible for: %(measure)s")
                    % {"measure": measure.label.get(language)},
                    choices=[
                        (a, rules.label("authority", a, language)) for a in measure.granted_by
                    ],
                    initial=current or default,
                    required=False,
                )

    def chosen_responsible(self, measure_code: str) -> str | None:
        """The party the worker chose for a measure that several authorities grant, if any."""
        return self.cleaned_data.get(responsible_field(measure_code)) or None


def responsible_field(measure_code: str) -> str:
    return f"responsible_{measure_code.lower()}"


class ServiceDecisionForm(PlainLabels, forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    decision_on = today_field(_("Decision date"))
    starts_on = DayField(label=_("Starts on"))
    ends_on = DayField(label=_("Ends on"))
    days_per_week = forms.IntegerField(
        label=_("Days a week"), required=False, min_value=0, max_value=7
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours a day"),
        required=False,
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
    )
    instructor = forms.ModelChoiceField(
        label=_("Instructor"),
        required=False,
        queryset=Worker.objects.filter(role="ACTIVITY_INSTRUCTOR").select_related("user"),
    )
    provider = forms.ModelChoiceField(
        label=_("Place"), required=False, queryset=Organisation.objects.filter(authority="PROVIDER")
    )

    def __init__(self, *args, authority: str, **kwargs):
        """Only the services the worker's authority grants are offered."""
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["service"].choices = [
            (s.code, s.label.get(current_language()))
            for s in rules.data.services
            if authority in s.granted_by
        ]


class ContinueForm(VersionedForm):
    decision_on = today_field(_("Decision date"))


class ApplicationForm(PlainLabels, forms.Form):
    benefit = forms.ChoiceField(label=_("Benefit"))
    submitted_on = today_field(_("Submitted on"))
    complete = forms.BooleanField(
        label=_("The application is complete"), required=False, initial=True
    )
    missing = forms.CharField(
        label=_("What the application lacks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for an incomplete application: it is asked for with an answer date, and "
            "the processing time runs from the answer."
        ),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = get_rules().choices("benefit", current_language())


class InformationRequestForm(VersionedForm):
    requested_on = today_field(_("Requested on"))
    what = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}))


def on_behalf_channels() -> list[tuple[str, str]]:
    rules = get_rules()
    language = current_language()
    return [(c, rules.label("contact_channel", c, language)) for c in rules.data.on_behalf_channels]


class OnBehalfFields(forms.Form):
    """What a worker records for the client: how the client told them, and that the client
    gave or confirmed it themselves. The history shows it as recorded on their behalf."""

    channel = forms.ChoiceField(label=_("How the client told you"), choices=on_behalf_channels)
    confirmed = forms.BooleanField(
        label=_("The client gave or confirmed this themselves"),
        error_messages={"required": _("Tick this once the client has confirmed it to you.")},
    )

    def on_behalf(self) -> OnBehalf:
        return OnBehalf(self.cleaned_data["channel"], self.cleaned_data["confirmed"])


class PlanApprovalForm(OnBehalfFields, VersionedForm):
    pass


class AnswerForm(OnBehalfFields, VersionedForm):
    field_order = ("answered_on", "answer", "channel", "confirmed")

    answered_on = today_field(_("Answered on"))
    answer = forms.CharField(
        label=_("The answer in the client's words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty when the answer is a document you record separately."),
    )


class SituationChangeForm(OnBehalfFields, PlainLabels, forms.Form):
    field_order = ("kind", "starts_on", "details", "channel", "confirmed")

    kind = forms.ChoiceField(
        label=_("What changes"),
        widget=forms.RadioSelect,
        choices=lambda: get_rules().choices("situation_change", current_language()),
    )
    starts_on = DayField(label=_("From"))
    details = forms.CharField(
        label=_("In the client's words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(VersionedForm):
    decided_on = today_field(_("Decided on"))
    mailed_on = DayField(
        label=_("Mailed on"),
        required=False,
        help_text=_("The mailing date on the decision; the appeal period runs from it."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Application.Outcome.choices)
    granted_until = DayField(label=_("Granted until"), required=False)


class AppealForm(PlainLabels, forms.Form):
    filed_on = today_field(_("Filed on"))


class AppealDecisionForm(VersionedForm):
    decided_on = today_field(_("Decided on"))
    mailed_on = DayField(
        label=_("Mailed on"),
        required=False,
        help_text=_("The mailing date on the decision; an appeal to the next stage runs from it."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Appeal.Outcome.choices)
    corrected_outcome = forms.ChoiceField(
        label=_("The decision became"),
        required=False,
        choices=[("", "–"), *Application.Outcome.choices],
        help_text=_("Only when the decision was changed."),
    )
    granted_until = DayField(label=_("Granted until"), required=False)


class AppealStepForm(VersionedForm):
    """Forwarding an appeal or withdrawing it: only the day."""

    on = today_field(_("Date"))


class ParticipationForm(PlainLabels, forms.Form):
    day = today_field(_("Day"))
    attended = forms.BooleanField(label=_("Attended"), required=False, initial=True)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0, max_value=24, max_digits=3, decimal_places=1
    )


class EndEpisodeForm(VersionedForm):
    ended_on = today_field(_("Ended on"))
    end_reason = forms.ChoiceField(label=_("Reason"))

    def __init__(self, *args, service: str, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["end_reason"].choices = [
            (code, rules.label("end_reason", code, current_language()))
            for code in rules.services[service].end_reasons
        ]


class CloseRelationshipForm(VersionedForm):
    closed_on = today_field(_("Closed on"))
    closure_reason = forms.ChoiceField(label=_("Reason"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["closure_reason"].choices = [
            (code, rules.label("closure_reason", code, current_language()))
            for code in rules.relationship_kinds[kind].closure_reasons
        ]


class FeedbackForm(VersionedForm):
    offered_on = today_field(_("Feedback form offered on"))
    feedback = forms.CharField(
        label=_("The client's feedback (if given)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegistrationForm(PlainLabels, forms.Form):
    registered_on = today_field(_("Registered on"))


class PeriodForm(PlainLabels, forms.Form):
    start = DayField(label=_("From"))
    end = DayField(label=_("To"))
    on_social_assistance = forms.BooleanField(
        label=_("The client is on social assistance (activity allowance)"), required=False
    )


class ConsentForm(PlainLabels, ConsentChoicesForm):
    purpose = forms.ChoiceField(label=_("Purpose"))
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"), widget=forms.CheckboxSelectMultiple
    )
    authorities = forms.MultipleChoiceField(
        label=_("Authorities it covers"), widget=forms.CheckboxSelectMultiple
    )
    valid_from = DayField(label=_("Valid from"))
    valid_until = DayField(label=_("Valid until"), required=False)
    method = forms.ChoiceField(
        label=_("How the client gave it"),
        choices=[(m.value, m.label) for m in Consent.Method if m != Consent.Method.PORTAL],
    )
    signed_form = forms.FileField(
        label=_("The signed consent form"),
        required=False,
        help_text=SIGNED_FORM_HELP,
    )
    confirmed = forms.BooleanField(
        label=_("The client gave this consent themselves, in the way chosen above"),
        error_messages={"required": _("Tick this once the client has given the consent.")},
    )


class DisputeForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why your authority disputes the consent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "From now on the consent lets no one see anything, until the signed form is "
            "attached or the client confirms it. The worker who recorded it sees your reason."
        ),
    )


class SignedFormForm(VersionedForm):
    signed_form = forms.FileField(
        label=_("The signed consent form"),
        help_text=SIGNED_FORM_HELP,
    )


class RevocationForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why the client revoked the consent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The revocation takes effect at once. Accesses made before it keep the consent "
            "as their basis."
        ),
    )
    channel = forms.ChoiceField(label=_("How the client told you"), choices=on_behalf_channels)
    confirm = forms.BooleanField(
        label=_("The client has revoked this consent"),
        help_text=_("Tick to confirm: the data it let pass stops passing from today."),
    )

    def on_behalf(self) -> OnBehalf:
        return OnBehalf(self.cleaned_data["channel"], self.cleaned_data["confirm"])


class EmergencyForm(PlainLabels, forms.Form):
    reason_category = forms.ChoiceField(label=_("Reason"))
    reason = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What is urgent, and why it cannot wait for a client relationship or the client's "
            "consent. Your supervisor reads this."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_category"].choices = [("", "–"), *reason_choices()]


class AcknowledgeForm(VersionedForm):
    reason = forms.CharField(
        label=_("What is being done about it"),
        required=False,  # the operation says what to write
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The signal stays on the list, marked as acknowledged, until the facts change. "
            "Everyone who sees it reads your note."
        ),
    )


class SnoozeForm(VersionedForm):
    until = DayField(
        label=_("Snooze until"),
        help_text=_("The signal leaves the worklists until this day and shows again after it."),
    )
    reason = forms.CharField(
        label=_("Why it can wait"),
        required=False,  # the operation says what to write
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DataRequestForm(PlainLabels, forms.Form):
    kind = forms.ChoiceField(label=_("What is asked for"))
    requested_on = today_field(_("Requested on"))
    what = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, authority: str, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = current_language()
        self.fields["kind"].choices = [
            (k.code, f"{k.label.get(language)} ({rules.label('authority', k.to, language)})")
            for k in rules.data.authority_requests.kinds
            if k.to != authority
        ]


class DataRequestAnswerForm(VersionedForm):
    answered_on = today_field(_("Answered on"))
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatementForm(PlainLabels, forms.Form):
    kind = forms.ChoiceField(label=_("Statement"))
    benefit = forms.ChoiceField(label=_("Benefit"))
    given_on = today_field(_("Given on"))
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        language = current_language()
        kinds = rules.data.employment_statements
        self.fields["kind"].choices = [(k.code, k.label.get(language)) for k in kinds]
        benefits = dict.fromkeys(b for k in kinds for b in k.for_benefits)
        self.fields["benefit"].choices = [
            (b, rules.label("benefit", b, language)) for b in benefits
        ]


class DocumentForm(PlainLabels, forms.Form):
    evidence_type = forms.ChoiceField(label=_("Type"))
    received_on = today_field(_("Received on"))
    issued_on = DayField(label=_("Issued on"), required=False)
    issued_by = forms.CharField(
        label=_("Issued by"),
        required=False,
        max_length=200,
        help_text=_("Who wrote it: e.g. the doctor, the psychologist or the workshop."),
    )
    valid_until = DayField(label=_("Valid until"), required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, JPEG or PNG of at most 10 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["evidence_type"].choices = rules.choices("evidence", current_language())


class AbsenceForm(PlainLabels, forms.Form):
    away_until = DayField(
        label=_("I am away until (the last day)"),
        required=False,
        help_text=_("Leave empty when you are back: your clients no longer see the absence."),
    )
    deputy = forms.ModelChoiceField(
        label=_("My clients contact meanwhile"),
        queryset=Worker.objects.none(),
        required=False,
        empty_label=_("My organisation's phone service"),
    )

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (
            Worker.objects.filter(organisation=worker.organisation, user__is_active=True)
            .exclude(pk=worker.pk)
            .select_related("user")
        )
