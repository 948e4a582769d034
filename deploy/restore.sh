#!/usr/bin/env bash
# Restore a backup made by backup.sh into a FRESH database and a FRESH file directory, then
# check that every table has its row count and every file its checksum again (manifest.json).
#
#   deploy/restore.sh BACKUP_FOLDER
#
# The target is the service's environment: DATABASE_URL (postgres://user:password@host:port/name;
# the database is created if missing, and must have no tables) and the file storage, MEDIA_ROOT or
# S3_BUCKET (which must hold no file). It never restores over data: point them at new ones,
# check, then switch the service to them (docs/deployment.md, "Restoring"). Needs pg_restore and
# psql of the server's major version, as backup.sh's pg_dump; the user of DATABASE_URL may create
# databases (or create the database beforehand).
#   PYTHON   the application's Python (default: .venv/bin/python beside manage.py, else python3)
set -euo pipefail

backup=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
for file in database.dump media.tar manifest.json; do
  [ -f "$backup/$file" ] || { echo "$backup/$file is missing: not a backup of deploy/backup.sh" >&2; exit 2; }
done
app_dir=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$app_dir/.venv/bin/python}
[ -x "$python" ] || python=python3
manage() { "$python" "$app_dir/manage.py" "$@"; }

# libpq takes postgres:// and postgresql:// addresses; django-environ also accepts pgsql:// and psql://.
: "${DATABASE_URL:?DATABASE_URL must name the database to restore into}"
uri="postgresql://${DATABASE_URL#*://}"
base=${uri%%\?*}
query=${uri#"$base"}
database=${base##*/}
maintenance="${base%/*}/postgres$query"

if [ "$(psql "$maintenance" -tAc "SELECT 1 FROM pg_database WHERE datname = '${database//\'/\'\'}'")" != 1 ]; then
  echo "Creating the database $database"
  psql "$maintenance" -q -c "CREATE DATABASE \"${database//\"/\"\"}\""
fi
tables=$(psql "$uri" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "The database $database already has $tables tables: restore into a new, empty one." >&2
  exit 1
fi

# Through the application's file storage: MEDIA_ROOT, or the S3 bucket when S3_BUCKET is set;
# first, as it refuses a storage that holds files before anything is written.
echo "Restoring the uploaded files"
manage backup_manifest --restore-files "$backup/media.tar"
echo "Restoring the database into $database"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$uri" "$backup/database.dump"

manage backup_manifest --check "$backup/manifest.json"
