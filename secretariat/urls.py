from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import export_views, import_views, notification_urls, signin_views, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("favicon.ico", views.favicon),
    path("admin/recommendations/", include("recommendations.admin_urls")),
    path("admin/export-data/<slug:format>/", export_views.export_dataset, name="export_dataset"),
    path("admin/notifications/", include(notification_urls.admin_patterns)),
    # Sign-in goes through allauth (second factor, rate limits, lock-outs), in the admin's look.
    path("admin/login/", signin_views.AdminLoginView.as_view()),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("secretariat.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/<path:name>", views.protected_file, name="protected_file"),
    path("imports/", import_views.import_start, name="import_start"),
    path("imports/jobs/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/status/", import_views.import_job_status, name="import_job_status"),
    path("imports/<slug:kind>/", import_views.import_file, name="import_file"),
    path("portal/follow-up/", include("recommendations.portal_urls")),
    path("portal/notifications/", include(notification_urls.portal_patterns)),
    path("portal/", include("monitoring.portal.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("factsheets/", include("recommendations.urls")),
]
