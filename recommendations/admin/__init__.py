"""The Secretariat's admin of recommendations and their follow-up.

- reports.py: implementation reports, chapters, recommendations (their addressees open and retire
  follow-ups through recommendations.services), themes, citations, promising practices;
- follow_ups.py: each Party's follow-up (assessment form and bulk status change through the
  services);
- reviews.py: the States' updates (review) and the assessments (read-only);
- factsheets.py: factsheets and their sections;
- findings.py: drafting a report in preparation: findings, their evidence, rapporteurs' comments,
  two versions of a finding compared side by side;
- escalation.py: the escalation ladder (steps opened and closed through recommendations.escalation);
- compliance_reports.py: compliance reports (prepared from the recommendations' action, adopted
  through recommendations.compliance_reports).

The compliance dashboard, reports and Party profiles live in recommendations.admin_views.
"""

from . import compliance_reports, escalation, factsheets, findings, follow_ups, reports, reviews  # noqa: F401 - importing registers the admins
