from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from monitoring import import_views

from . import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/<path:name>", views.protected_file, name="protected_file"),
    path("imports/replies/", import_views.import_replies, name="import_replies"),
    path("portal/", include("monitoring.portal.urls")),
    path("monitoring/", include("monitoring.urls")),
]
