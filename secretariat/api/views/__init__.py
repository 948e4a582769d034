"""The API's endpoints: thin translations of HTTP into secretariat.access and the services.

Every queryset starts in secretariat.access (ScopedQuerysetMixin), so another Party's record
answers 404 as if it did not exist. Writes go through the same services as the admin and the
portal: `reply_save` (optimistic locking: an outdated version answers 409 with both texts),
`submission_submit`, `update_submit`. Their refusals become 403 (not allowed), 400 (invalid
input, with the fields at fault) or 409 (out of order); bad input never makes a 500.
"""

from .monitoring import PartyViewSet, QuestionViewSet, ReplyViewSet, RoundViewSet, SubmissionViewSet  # noqa: F401
from .recommendations import (  # noqa: F401
    AssessmentViewSet,
    FactsheetViewSet,
    FollowUpUpdateViewSet,
    FollowUpViewSet,
    PracticeViewSet,
    RecommendationViewSet,
    ReportViewSet,
)
