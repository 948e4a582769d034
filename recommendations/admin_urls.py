"""The compliance pages, under /admin/recommendations/ and behind the admin's login."""

from django.contrib import admin
from django.urls import path

from . import admin_views, report_document_views

urlpatterns = [
    path(
        "dashboard/",
        admin.site.admin_view(admin_views.dashboard),
        name="recommendations_dashboard",
    ),
    path(
        "compliance/<int:pk>/",
        admin.site.admin_view(admin_views.compliance_report),
        name="recommendations_compliance_report",
    ),
    path(
        "parties/<str:code>/",
        admin.site.admin_view(admin_views.party_profile),
        name="recommendations_party_profile",
    ),
    path(
        "reports/<int:pk>/document/<str:language>.<str:format>",
        admin.site.admin_view(report_document_views.report_document_download),
        name="recommendations_report_document",
    ),
]
