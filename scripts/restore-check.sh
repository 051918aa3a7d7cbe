#!/usr/bin/env bash
# Proves a backup can be restored: restores it into a scratch database, migrates that database to
# the current schema with `erni-agents migrate`, and checks the row counts against the manifest
# written by scripts/backup.sh. Run it weekly (and before every risky migration); exit code 0 = OK.
#
#   scripts/restore-check.sh [BACKUP_FILE]          # default: the newest backup in BACKUP_DIR
#
# Environment:
#   RESTORE_ADMIN_URL     a role that may CREATE/DROP DATABASE on the server used for the check
#                         (default postgresql://postgres@127.0.0.1:5432/postgres). Use a scratch
#                         server, not production, when you can.
#   BACKUP_DIR            where backup.sh writes (default /var/backups/erni)
#   BACKUP_AGE_IDENTITY   age private key file, for .age backups (.gpg ones use the gpg keyring)
#   RESTORE_DB_NAME       name of the scratch database (default erni_restore_check_<random>)
#   RESTORE_KEEP=1        keep the scratch database afterwards (to inspect it); dropped otherwise
#   ERNI_AGENTS           the erni-agents command (default: erni-agents on PATH)
set -euo pipefail
umask 077

log() { printf '%s restore-check: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

admin_url="${RESTORE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
backup_dir="${BACKUP_DIR:-/var/backups/erni}"
scratch="${RESTORE_DB_NAME:-erni_restore_check_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}"
[[ "$scratch" =~ ^[a-z_][a-z0-9_]*$ ]] || die "RESTORE_DB_NAME must be a plain lower-case identifier"
workdir="$(mktemp -d)"

cleanup() {
  rm -rf "$workdir"
  if [[ "${RESTORE_KEEP:-0}" != "1" ]]; then
    psql "$admin_url" -XAtq -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

backup="${1:-}"
if [[ -z "$backup" ]]; then
  backup="$(find "$backup_dir" -maxdepth 1 -type f -name 'erni-*.dump*' ! -name '*.sha256' \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)"
  [[ -n "$backup" ]] || die "no backup found in $backup_dir"
fi
[[ -f "$backup" ]] || die "$backup does not exist"
log "checking $backup"

if [[ -f "$backup.sha256" ]]; then
  (cd "$(dirname "$backup")" && sha256sum --check --quiet "$(basename "$backup").sha256") \
    || die "checksum mismatch"
fi

dump="$workdir/restore.dump"
case "$backup" in
  *.gpg) gpg --batch --quiet --output "$dump" --decrypt "$backup" ;;
  *.age) age --decrypt --identity "${BACKUP_AGE_IDENTITY:?set BACKUP_AGE_IDENTITY for .age backups}" \
           --output "$dump" "$backup" ;;
  *) cp "$backup" "$dump" ;;
esac

scratch_url="${admin_url%/*}/$scratch"
psql "$admin_url" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$scratch\"" >/dev/null
log "restoring into database $scratch"
# Owners and grants of production roles do not exist here; the data and schema are what count.
pg_restore --dbname="$scratch_url" --no-owner --no-privileges --exit-on-error "$dump"

log "migrating $scratch to the current schema"
DATABASE_URL="$scratch_url" "${ERNI_AGENTS:-erni-agents}" migrate >&2

count() { psql "$scratch_url" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM public.\"$1\""; }

manifest="${backup%.dump*}.counts"
failures=0
if [[ -f "$manifest" ]]; then
  while read -r table expected; do
    actual="$(count "$table")" || { log "table $table is missing"; failures=$((failures + 1)); continue; }
    if (( actual < expected )); then
      log "table $table: $actual rows, the manifest says at least $expected"
      failures=$((failures + 1))
    else
      log "table $table: $actual rows (manifest $expected)"
    fi
  done <"$manifest"
else
  log "no manifest $manifest: checking only that the reference data is present"
fi
for table in specialists knowledge_entries; do
  (( $(count "$table") > 0 )) || { log "table $table is empty"; failures=$((failures + 1)); }
done
(( failures == 0 )) || die "$failures check(s) failed"
log "OK: $backup restores, migrates and has all its rows"
