from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self) -> None:
        from .roles import sync_role_groups

        # Role groups follow the permissions of every installed model after each migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="secretariat.sync_role_groups")
