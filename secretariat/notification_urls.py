from django.urls import path

from . import notification_views as views


def _patterns(wrap) -> list:
    return [
        path("", wrap(views.notification_list), name="list"),
        path("read/", wrap(views.mark_read), name="read"),
        path("preferences/", wrap(views.preferences), name="preferences"),
    ]


# Under /admin/notifications/ (staff, in the admin's look) and /portal/notifications/.
admin_patterns = (_patterns(views._admin), "admin_notifications")
portal_patterns = (_patterns(views._portal), "portal_notifications")
