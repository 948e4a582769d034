"""The back office's admin site: for the Secretariat and the Committee only.

State users and stakeholders work in the portal (`/portal/`) and the API; the admin refuses them
even if their account were marked staff by mistake. `BackOfficeAdminConfig` (in INSTALLED_APPS
instead of `django.contrib.admin`) makes this site `admin.site`, so every registered admin and
every page wrapped in `admin.site.admin_view` follows the rule.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class BackOfficeAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from . import access  # the access module reads the models: not importable while apps load

        return super().has_permission(request) and access.works_in_admin(request.user)


class BackOfficeAdminConfig(AdminConfig):
    default_site = "secretariat.admin_site.BackOfficeAdminSite"
