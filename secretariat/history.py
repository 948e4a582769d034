"""Who makes the next save of a record, and why: what its history row records (django-simple-history)."""

from django.db.models import Model


def set_author[M: Model](instance: M, user, reason: str | None = None) -> M:
    """Record `user` (and `reason`) as the author of `instance`'s next save in its history.

    simple-history reads the attributes `_history_user` and `_change_reason` of the instance it
    saves; they are set through `__dict__` because the models do not declare them.
    """
    instance.__dict__["_history_user"] = user
    if reason is not None:
        instance.__dict__["_change_reason"] = reason
    return instance
