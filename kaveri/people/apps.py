from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kaveri.people"
    label = "people"
    verbose_name = "Clients"
