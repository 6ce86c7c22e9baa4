from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies and resources"

    def ready(self):
        from . import (
            notifications,  # noqa: F401 - connects the workflow e-mails
            signals,  # noqa: F401 - connects the search-text receivers
        )
        from .permissions import roles_sync_after_migrate
        from .statement_timeout import limit_statements_on_connect

        post_migrate.connect(roles_sync_after_migrate, sender=self)
        limit_statements_on_connect()
