from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editors and roles"

    def ready(self):
        from .roles import roles_sync_after_migrate

        post_migrate.connect(roles_sync_after_migrate, sender=self)
