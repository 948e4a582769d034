#!/usr/bin/env bash
# Back up the Lanzarote Back Office: the PostgreSQL database (pg_dump -Fc), the uploaded files (a
# tar of MEDIA_ROOT, or of the S3 bucket) and a manifest (row counts of every table, SHA-256 of
# every file) that restore.sh checks the restore against. The dump and the counts are one
# snapshot of the database: the service stays up meanwhile.
#
#   deploy/backup.sh [DESTINATION]
#
# Writes DESTINATION/lanzarote-YYYYMMDDTHHMMSSZ/{database.dump,media.tar,manifest.json}
# (DESTINATION: $BACKUP_DIR, else var/backups of the application). A backup is complete once its
# folder has its final name (written as *.partial first). Run it as the service's user, with the
# service's environment (DATABASE_URL, MEDIA_ROOT, SECRET_KEY ...: see docs/deployment.md); it
# needs pg_dump (postgresql-client) of the server's major version (a pg_dump 17+ writes dumps
# that an older server refuses on restore).
#   BACKUP_KEEP   keep this many backups in DESTINATION, deleting older ones (default: 0, keep all)
#   PYTHON        the application's Python (default: .venv/bin/python beside manage.py, else python3)
set -euo pipefail

app_dir=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$app_dir/.venv/bin/python}
[ -x "$python" ] || python=python3
destination=${1:-${BACKUP_DIR:-$app_dir/var/backups}}
keep=${BACKUP_KEEP:-0}

name="lanzarote-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$destination"
partial="$destination/$name.partial"
trap 'rm -rf "$partial"' EXIT
umask 077  # the dump holds every account and every reply: readable by the service's user only

"$python" "$app_dir/manage.py" backup_manifest --backup "$partial"
mv "$partial" "$destination/$name"
trap - EXIT
echo "Backup written to $destination/$name"

if [ "$keep" -gt 0 ]; then
  # The names sort by date; the newest $keep stay.
  find "$destination" -mindepth 1 -maxdepth 1 -type d -name 'lanzarote-*' ! -name '*.partial' \
    | sort | head -n -"$keep" | while read -r old; do
        echo "Deleting the old backup $old"
        rm -rf -- "$old"
      done
fi
