"""The container's health check: GET /health/ on the local gunicorn, as the proxy would send it.

Exit 0 when it answers 200, 1 otherwise. The Host header is the first name of ALLOWED_HOSTS (a
request for another host is refused), and X-Forwarded-Proto is https (the proxy terminates TLS;
the settings trust it with TRUST_X_FORWARDED_PROTO=1). Redirects are not followed: a redirect to
https is a misconfiguration (see docs/deployment.md), not health. Standard library only.
"""

import http.client
import os
import sys

port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "").split(",")]
host = next((name for name in hosts if name and name != "*"), "127.0.0.1")

connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
try:
    connection.request("GET", "/health/", headers={"Host": host, "X-Forwarded-Proto": "https"})
    status = connection.getresponse().status
except OSError as error:
    print(f"health check: {error}", file=sys.stderr)
    sys.exit(1)
if status != 200:
    print(f"health check: /health/ answered {status}", file=sys.stderr)
sys.exit(0 if status == 200 else 1)
