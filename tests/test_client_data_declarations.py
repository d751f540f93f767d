"""Every model that refers to a client declares what it holds (category, owner, export)."""

import pytest
from django.apps import apps

from kaveri.access.declarations import ClientData, declared_models
from kaveri.people.models import Client


def refers_to_a_client(model, seen=()) -> bool:
    """The model has a foreign key to a client, directly or through its parent records."""
    if model is Client:
        return True
    for field in model._meta.get_fields():
        if field.many_to_one and field.concrete and field.related_model not in seen:
            target = field.related_model
            if target is Client or (
                target is not model
                and target._meta.app_label != "auth"
                and refers_to_a_client(target, (*seen, model))
            ):
                return True
    return False


def kaveri_models():
    return [m for m in apps.get_models() if m.__module__.startswith("kaveri.")]


def test_every_model_that_refers_to_a_client_declares_its_client_data():
    undeclared = [
        m._meta.label
        for m in kaveri_models()
        if refers_to_a_client(m) and not isinstance(getattr(m, "client_data", None), ClientData)
    ]
    assert undeclared == []


def test_the_check_finds_a_model_that_declares_nothing():
    from kaveri.casework.models import NamedWorker

    assert refers_to_a_client(NamedWorker)
    assert not refers_to_a_client(apps.get_model("access", "ApiToken"))


@pytest.mark.parametrize("model", declared_models(), ids=lambda m: m._meta.label)
def test_each_declaration_names_real_fields_and_a_path_to_the_client(model):
    declared = model.client_data
    for name in declared.export:
        model._meta.get_field(name)
    assert model._default_manager.filter(**{declared.client_lookup: 0}).query is not None


def test_sections_are_unique():
    sections = [m.client_data.section for m in declared_models()]
    assert len(sections) == len(set(sections))
