from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "kaveri.evidence"
    label = "evidence"
    verbose_name = "Evidence"
