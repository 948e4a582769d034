"""Monitoring rounds, questionnaires, submissions and replies (built in issue #3)."""
