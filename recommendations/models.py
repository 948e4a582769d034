"""Recommendations of implementation reports and their follow-up (built in issue #4)."""
