"""The production settings as the multi-process test serves them: the project's own, read from the
environment the test gives (DEBUG off, PostgreSQL, Redis), with the static files collected under
var/multi-process-static rather than the project's STATIC_ROOT (as bench/load_settings.py does)."""

from secretariat.settings import *  # noqa: F403
from secretariat.settings import VAR_DIR

STATIC_ROOT = VAR_DIR / "multi-process-static"
