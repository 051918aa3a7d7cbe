#!/usr/bin/env bash
# Daily backup of the ERNI PostgreSQL database: pg_dump custom format, a row-count manifest,
# optional encryption, optional off-site upload, retention pruning. Run it from a systemd timer or
# cron (deploy/systemd/erni-backup.timer); it prints the path of the new backup on its last line.
#
# Environment:
#   DATABASE_URL / DATABASE_URL_FILE  the database (the schema owner role; postgresql+asyncpg:// is accepted)
#   BACKUP_DIR                        where backups go (default /var/backups/erni)
#   BACKUP_RETENTION_DAYS             delete backups older than this many days (default 30)
#   BACKUP_GPG_RECIPIENT              encrypt with this GnuPG public key (key id or e-mail), or
#   BACKUP_AGE_RECIPIENT              encrypt with this age public key (age1...); without either
#                                     the dump stays unencrypted (a warning is printed)
#   BACKUP_UPLOAD_CMD                 off-site copy, run as `sh -c "$BACKUP_UPLOAD_CMD" upload FILE`,
#                                     e.g. 'rclone copy "$1" offsite:erni-backups/' or
#                                     'aws s3 cp "$1" s3://erni-backups/db/ --sse aws:kms'
#   BACKUP_METRICS_FILE               write Prometheus metrics here (node_exporter textfile collector),
#                                     e.g. /var/lib/node_exporter/textfile/erni_backup.prom
set -euo pipefail
umask 077

log() { printf '%s backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

database_url() {
  local url="${DATABASE_URL:-}"
  if [[ -z "$url" && -n "${DATABASE_URL_FILE:-}" ]]; then
    url="$(<"$DATABASE_URL_FILE")"
  fi
  [[ -n "$url" ]] || die "set DATABASE_URL or DATABASE_URL_FILE"
  # libpq knows postgresql:// only, not SQLAlchemy's "+driver" suffix.
  url="$(printf '%s' "$url" | sed -E 's#^postgres(ql)?(\+[a-z0-9]+)?://#postgresql://#')"
  [[ "$url" == postgresql://* ]] || die "DATABASE_URL is not a PostgreSQL URL"
  printf '%s' "$url"
}

write_manifest() {
  # Row counts taken BEFORE the dump: the service never deletes rows, so a restore of this dump
  # must have at least these counts (scripts/restore-check.sh compares).
  local url="$1" out="$2" table
  : >"$out"
  for table in $(psql "$url" -XAtq -v ON_ERROR_STOP=1 -c \
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"); do
    printf '%s %s\n' "$table" \
      "$(psql "$url" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM public.\"$table\"")" >>"$out"
  done
}

encrypt() {
  local plain="$1"
  if [[ -n "${BACKUP_GPG_RECIPIENT:-}" ]]; then
    gpg --batch --yes --quiet --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" \
      --output "$plain.gpg" --encrypt "$plain"
    printf '%s' "$plain.gpg"
  elif [[ -n "${BACKUP_AGE_RECIPIENT:-}" ]]; then
    age --recipient "$BACKUP_AGE_RECIPIENT" --output "$plain.age" "$plain"
    printf '%s' "$plain.age"
  else
    log "WARNING: no BACKUP_GPG_RECIPIENT or BACKUP_AGE_RECIPIENT: the backup is NOT encrypted"
    printf '%s' "$plain"
  fi
}

write_metrics() {
  local file="${BACKUP_METRICS_FILE:-}" size="$1"
  [[ -n "$file" ]] || return 0
  cat >"$file.tmp" <<METRICS
# HELP erni_backup_last_success_timestamp_seconds Time of the last successful database backup.
# TYPE erni_backup_last_success_timestamp_seconds gauge
erni_backup_last_success_timestamp_seconds $(date +%s)
# HELP erni_backup_last_size_bytes Size of the last database backup file.
# TYPE erni_backup_last_size_bytes gauge
erni_backup_last_size_bytes $size
METRICS
  chmod 644 "$file.tmp"
  mv "$file.tmp" "$file"
}

main() {
  local url dir retention stamp base final
  url="$(database_url)"
  dir="${BACKUP_DIR:-/var/backups/erni}"
  retention="${BACKUP_RETENTION_DAYS:-30}"
  [[ "$retention" =~ ^[0-9]+$ ]] || die "BACKUP_RETENTION_DAYS must be a number of days"
  mkdir -p "$dir"
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  base="$dir/erni-$stamp"
  trap 'rm -f "$base.dump.partial" "$base.dump"' ERR

  write_manifest "$url" "$base.counts"
  log "dumping to $base.dump"
  pg_dump --dbname="$url" --format=custom --compress=6 --no-password --file="$base.dump.partial"
  # A dump that pg_restore cannot read is no backup.
  pg_restore --list "$base.dump.partial" >/dev/null
  mv "$base.dump.partial" "$base.dump"

  final="$(encrypt "$base.dump")"
  if [[ "$final" != "$base.dump" ]]; then
    rm -f "$base.dump"
  fi
  (cd "$dir" && sha256sum "$(basename "$final")" >"$(basename "$final").sha256")

  if [[ -n "${BACKUP_UPLOAD_CMD:-}" ]]; then
    log "uploading off-site"
    sh -c "$BACKUP_UPLOAD_CMD" upload "$final"
    sh -c "$BACKUP_UPLOAD_CMD" upload "$base.counts"
  fi

  # Prune only after a successful backup, so a failing job never eats the last good ones.
  find "$dir" -maxdepth 1 -type f -name 'erni-*' -mtime "+$retention" -print -delete \
    | sed 's/^/pruned: /' >&2

  write_metrics "$(stat -c %s "$final")"
  log "done"
  printf '%s\n' "$final"
}

main "$@"
