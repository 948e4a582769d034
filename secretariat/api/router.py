"""The router of `/api/v1/`: every app plugs its endpoints into it from its own `api/routes.py`.

The core names no app. `discover()` (called once, by secretariat.api.urls) imports the module
`api.routes` of every installed app, in the order of INSTALLED_APPS, as the Django admin's
autodiscovery imports each app's `admin.py`; each such module calls `register()` for its
viewsets. The core's own endpoint (the Parties) comes first, from secretariat/api/routes.py.

Discovery rather than a call from each AppConfig.ready(): the API (DRF, the views and their
serializers) is then imported only when the URLs are, never while the apps load (a `migrate`
or a worker does not need it), and an app's endpoints are declared beside its views.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import DefaultRouter
from rest_framework.viewsets import ViewSetMixin

#: What each app's routes module is called, inside its package.
ROUTES_MODULE = "api.routes"

router = DefaultRouter()


def register(prefix: str, viewset: type[ViewSetMixin], *, basename: str) -> None:
    """Serve `viewset` at `/api/v1/<prefix>/`; its URL names are `api:<basename>-list`, `…-detail`."""
    if hasattr(router, "_urls"):
        raise ImproperlyConfigured(
            f"The API's URLs are already built: register {prefix!r} from an app's {ROUTES_MODULE}."
        )
    router.register(prefix, viewset, basename=basename)


def discover() -> DefaultRouter:
    """Import every installed app's `api/routes.py` (once), and give the router they filled."""
    autodiscover_modules(ROUTES_MODULE)
    return router
