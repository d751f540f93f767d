"""The admin speaks the reader's language: a code of the rule set ("SOC", "ACTIVATION_PLAN")
shows as its label in lists, filters and forms, and a form offers the codes by name."""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from kaveri.rules.fields import RuleCodeValidator
from kaveri.rules.registry import registry, rules_for
from kaveri.rules.ruleset import current_language


def field_at(model, path: str):
    """The model field at a path such as "organisation__authority", or None."""
    field = None
    for step in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(step)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def rule_kind_of(model, path: str) -> str | None:
    """The kind of rule-set code a field holds ("authority"), or None."""
    field = field_at(model, path)
    validators = getattr(field, "validators", [])
    return next((v.kind for v in validators if isinstance(v, RuleCodeValidator)), None)


def code_choices(kind: str, language: str) -> list[tuple[str, str]]:
    """Every code of the kind that any rule set knows, named by the newest set that has it."""
    named = {}
    for rules in registry().sets:
        named.update(rules.choices(kind, language))
    return sorted(named.items(), key=lambda pair: pair[1])


def in_words(model, name: str, kind: str):
    def shown(obj):
        value = getattr(obj, name)
        return rules_for(obj).label(kind, value, current_language()) if value else ""

    shown.short_description = model._meta.get_field(name).verbose_name
    shown.admin_order_field = name
    shown.__name__ = f"{name}_in_words"
    return shown


def filter_in_words(model, path: str, kind: str) -> type[admin.SimpleListFilter]:
    """A list filter on a code field whose choices are named in the reader's language."""

    class CodeFilter(admin.SimpleListFilter):
        parameter_name = path
        title = str(field_at(model, path).verbose_name)

        def lookups(self, request, model_admin):
            return code_choices(kind, current_language())

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    return CodeFilter


class CodesInWords:
    """A ModelAdmin mixin: the model's rule-set codes in words."""

    def get_list_display(self, request):
        shown = []
        for entry in super().get_list_display(request):
            kind = rule_kind_of(self.model, entry) if isinstance(entry, str) else None
            shown.append(in_words(self.model, entry, kind) if kind and "__" not in entry else entry)
        return shown

    def get_list_filter(self, request):
        filters = []
        for entry in super().get_list_filter(request):
            kind = rule_kind_of(self.model, entry) if isinstance(entry, str) else None
            filters.append(filter_in_words(self.model, entry, kind) if kind else entry)
        return filters

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        kind = rule_kind_of(self.model, db_field.name) if db_field.model is self.model else None
        if kind is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        return forms.ChoiceField(
            choices=[("", "---------"), *code_choices(kind, current_language())],
            required=not db_field.blank,
            label=str(db_field.verbose_name).capitalize(),
            help_text=db_field.help_text,
        )
