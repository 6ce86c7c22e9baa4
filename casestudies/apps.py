from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies and resources"

    def ready(self):
        from . import signals  # noqa: F401 - connects the search-text receivers
