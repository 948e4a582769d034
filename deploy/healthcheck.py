"""The container's health check: GET /health/ on the local gunicorn; exit 0 on 200, 1 otherwise.

/health/ is answered before the host check and the HTTPS redirect (secretariat/observability.py),
so a plain request on 127.0.0.1 is enough. Standard library only.
"""

import http.client
import os
import sys

port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
try:
    connection.request("GET", "/health/")
    response = connection.getresponse()
    status, body = response.status, response.read(2000)
except OSError as error:
    print(f"health check: {error}", file=sys.stderr)
    sys.exit(1)
if status != 200:
    print(f"health check: /health/ answered {status}: {body.decode(errors='replace')}", file=sys.stderr)
sys.exit(0 if status == 200 else 1)
