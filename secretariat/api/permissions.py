"""Who may call the API at all; which rows they see is secretariat.access's business.

As in the admin, both must agree: the role's Django permission says what kind of record a user
may read, the access module which rows. Writes are decided by each app's services, which check
who may change which record and answer 403 otherwise.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from secretariat import access


class RoleMayRead(BasePermission):
    """Signed-in users; reading also needs the role's view permission on the model listed."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not access.is_signed_in(user):
            return False
        if request.method not in SAFE_METHODS:
            return True
        opts = view.read_model()._meta
        return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
