"""Django's ModelBackend, loading with the signed-in user the count of their unread notifications.

Every page shows that count (the bell in the admin's and the portal's header); read with the user,
which every request loads anyway, it costs no query of its own.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification, User


def with_unread_count(users):
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return users.annotate(unread_notification_count=Coalesce(Subquery(unread), 0))


class BackOfficeBackend(ModelBackend):
    def get_user(self, user_id):
        user = with_unread_count(User._default_manager.all()).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
