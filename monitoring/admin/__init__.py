"""The Secretariat's admin of monitoring.

- questionnaire.py: rounds (with their state of play), sections, questions, rapporteurs;
- submissions.py: submissions (workflow actions through monitoring.services), transitions, reminders;
- replies.py: replies, read-only, searched through monitoring.search;
- participation.py: children's views (the safeguarding review, register and return through
  monitoring.participation).
"""

from . import participation, questionnaire, replies, submissions  # noqa: F401 - importing registers the admins
