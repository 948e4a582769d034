"""The back office's admin site: for the Secretariat and the Committee only.

State users and stakeholders work in the portal (`/portal/`) and the API; the admin refuses them
even if their account were marked staff by mistake. `BackOfficeAdminConfig` (in INSTALLED_APPS
instead of `django.contrib.admin`) makes this site `admin.site`, so every registered admin and
every page wrapped in `admin.site.admin_view` follows the rule.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

#: Models of other packages, named as Django shows them (in English only) unless renamed here;
#: their own Meta cannot change without a migration in that package.
MODEL_NAMES = {
    "knox.authtoken": gettext_lazy("API tokens"),
    "mfa.authenticator": gettext_lazy("Second factors"),
    "axes.accessattemptexpiration": gettext_lazy("Expirations of sign-in attempts"),
    "django_tasks_database.dbtaskresult": gettext_lazy("Background tasks"),
}
#: The same for their apps' names in the admin's index and menu.
APP_NAMES = {
    "mfa": gettext_lazy("Two-factor authentication"),
    "axes": gettext_lazy("Sign-in security"),
    "django_tasks_database": gettext_lazy("Background tasks"),
}


class BackOfficeAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from . import access  # the access module reads the models: not importable while apps load

        return super().has_permission(request) and access.works_in_admin(request.user)

    def _build_app_dict(self, request: HttpRequest, label: str | None = None) -> dict:
        app_dict = super()._build_app_dict(request, label)
        # One app's dict for a label (None if the user sees none of it), else every app's by label.
        for app in ([app_dict] if "models" in app_dict else app_dict.values()) if app_dict else []:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get(model["model"]._meta.label_lower, model["name"])
        return app_dict


class BackOfficeAdminConfig(AdminConfig):
    default_site = "secretariat.admin_site.BackOfficeAdminSite"
