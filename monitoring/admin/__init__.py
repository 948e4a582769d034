"""The Secretariat's admin of monitoring.

- questionnaire.py: rounds (with their state of play), sections, questions, rapporteurs;
- submissions.py: submissions (workflow actions through monitoring.services), transitions, reminders;
- replies.py: replies, read-only, searched through monitoring.search.
"""

from . import questionnaire, replies, submissions  # noqa: F401 - importing registers the admins
