from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    default = True  # the app's own config; this module also holds knox's (ApiTokensConfig)
    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self) -> None:
        from . import access, imports, resources
        from .roles import sync_role_groups

        access.register_core_rules()

        for kind in (
            imports.ImportKind(
                "parties",
                _("Parties"),
                resources.PartyResource,
                "secretariat.change_party",
                "admin:secretariat_party_changelist",
                order=10,
            ),
            imports.ImportKind(
                "articles",
                _("Convention articles"),
                resources.ConventionArticleResource,
                "secretariat.change_conventionarticle",
                "admin:secretariat_conventionarticle_changelist",
                order=20,
            ),
            imports.ImportKind(
                "organisations",
                _("Organisations"),
                resources.OrganisationResource,
                "secretariat.change_organisation",
                "admin:secretariat_organisation_changelist",
                order=30,
            ),
        ):
            imports.register(kind)

        # Signal receivers: the audit log, and what a session remembers of its sign-in.
        # The listeners of the cycle's events: cases first (a notification names its case).
        from . import (  # noqa: F401
            audit,
            cases,
            document_notifications,
            import_notifications,
            notifications,
            signin,
        )

        notifications.register_event(import_notifications.IMPORT_FINISHED)
        notifications.register_event(document_notifications.DOCUMENT_FINISHED)
        # The whole dataset's export, prepared by the worker (secretariat.documents); the Committee's
        # meetings, with the core's own decision kind ("take note"): the apps add theirs.
        from . import documents, exports, meeting_letters, meetings  # noqa: F401

        documents.register(exports.DATASET)

        # Role groups follow the permissions of every installed model after each migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="secretariat.sync_role_groups")


class ApiTokensConfig(AppConfig):
    """django-rest-knox (the API tokens) under a name the admin shows in the user's language."""

    name = "knox"
    label = "knox"
    verbose_name = _("API access")
