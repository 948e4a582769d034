"""The API's endpoints: thin translations of HTTP into secretariat.access and the services.

Here: the base of every endpoint (`base`: scoped querysets, how service refusals become HTTP
answers) and the core's own endpoint (`parties`); each app's endpoints are in its `api` package.
Every queryset starts in secretariat.access (ScopedQuerysetMixin), so another Party's record
answers 404 as if it did not exist. Writes go through the same services as the admin and the
portal; their refusals become 403 (not allowed), 400 (invalid input, with the fields at fault)
or 409 (out of order); bad input never makes a 500.
"""

from .casework import (  # noqa: F401
    CaseViewSet,
    CorrespondenceViewSet,
    DecisionViewSet,
    MeetingViewSet,
    MyWorkViewSet,
    NotificationViewSet,
)
from .parties import PartyViewSet  # noqa: F401
