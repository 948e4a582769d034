"""The project's settings for the load run (bench/load.py), with its static files collected under
var/bench-static rather than the project's own STATIC_ROOT. bench/load.py turns DEBUG and the HTTPS
redirect off through the environment before these are read (the server listens on 127.0.0.1)."""

from secretariat.settings import *  # noqa: F403
from secretariat.settings import VAR_DIR

STATIC_ROOT = VAR_DIR / "bench-static"
