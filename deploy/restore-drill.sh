#!/usr/bin/env bash
# The restore drill (.ci/run runs it): the demo data and a few uploaded files in a scratch
# database, backed up with backup.sh, wiped (the database dropped, the files deleted), restored
# with restore.sh into a database and a directory of other names, and checked: every table's row
# count and every file's checksum came back (restore.sh fails otherwise). Then one file is
# altered, to show that the check would notice. Exits non-zero on any failure.
#
#   deploy/restore-drill.sh
#
#   DRILL_POSTGRES_URL  the PostgreSQL server, as a user that may create databases
#                       (default: postgres://postgres@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
server=${DRILL_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
server=${server%/}
source_db=lanzarote_drill_source
restored_db="lanzarote_drill_restored_$$"
work=$(mktemp -d)
started=$SECONDS

drop() { psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }
cleanup() {
  drop "$source_db" || true
  drop "$restored_db" || true
  rm -rf "$work"
}
trap cleanup EXIT
manage() { "$python" manage.py "$@"; }

export DEBUG=1  # the demo accounts are only created while DEBUG is on
export PROGRESS_CACHE_URL="filecache://$work/progress"
# No notice for a database already gone; no wait for the disk at each commit (scratch databases).
export PGOPTIONS="-c client_min_messages=warning -c synchronous_commit=off"

echo "== Restore drill: the demo data in $source_db"
drop "$source_db"
psql "$server/postgres" -q -c "CREATE DATABASE $source_db"
export DATABASE_URL="$server/$source_db" MEDIA_ROOT="$work/media"
manage migrate --noinput -v 0
echo "migrated in $((SECONDS - started)) s"
manage load_demo -v 0 >/dev/null
echo "demo data loaded in $((SECONDS - started)) s"
# The demo has no uploaded files: a few of each kind, stored as uploads are (the storage, the rows).
manage shell --no-imports --verbosity=0 -c '
import datetime
from django.core.files.base import ContentFile
from secretariat.models import Document, GeneratedDocument, ImportJob, Party, User

officer = User.objects.get(username="secretariat-officer")
france = Party.objects.get(code="FRA")
for number, name in enumerate(["questionnaire.pdf", "réponse de la France.docx", "statistiques.xlsx"]):
    document = Document(
        reference=f"T-ES(2026)DRILL-{number}", title=name, kind=Document.Kind.OTHER,
        date=datetime.date(2026, 12, 1), language=Document.Language.BILINGUAL, party=france,
    )
    document.file.save(name, ContentFile(f"drill {number} {name}".encode() * (number + 1)), save=True)
job = ImportJob(kind="parties", file_name="parties.csv", user=officer, status=ImportJob.Status.DONE)
job.file.save("parties.csv", ContentFile(b"code,name\nFRA,France\n"), save=True)
generated = GeneratedDocument(kind="compilation", title="Round 2", requested_by=officer,
                              status=GeneratedDocument.Status.DONE)
generated.file.save("round-2.pdf", ContentFile(bytes(range(256)) * 64), save=True)
print(f"{Document.objects.exclude(file=str()).count()} documents, 1 import, 1 generated document with files")
'

echo "== Backing up ($((SECONDS - started)) s)"
deploy/backup.sh "$work/backups"
backup=$(find "$work/backups" -mindepth 1 -maxdepth 1 -type d -name 'lanzarote-*')

echo "== Wiping: dropping $source_db, deleting the files"
drop "$source_db"
rm -rf "${work:?}/media"

echo "== Restoring into $restored_db and a new directory ($((SECONDS - started)) s)"
export DATABASE_URL="$server/$restored_db" MEDIA_ROOT="$work/restored-media"
deploy/restore.sh "$backup"

echo "== The check notices a file that did not come back as it was"
file=$(find "$MEDIA_ROOT" -type f -name 'round-2*.pdf' | head -n 1)
echo "altered" >> "$file"
if manage backup_manifest --check "$backup/manifest.json" 2>"$work/check.err"; then
  echo "The check passed an altered file" >&2
  exit 1
fi
grep -q "checksum" "$work/check.err"

echo "== Restore drill passed in $((SECONDS - started)) s"
