#!/usr/bin/env bash
# Writes the secret files docker-compose.yml mounts, each a fresh `openssl rand -hex 32` value
# (64 hex characters). Existing files are kept, so re-running never rotates a secret
# by accident; delete a file first to rotate it (docs/RUNBOOK.md "Rotating secrets").
#
#   scripts/generate-secrets.sh [DIR]      # default deploy/secrets
set -euo pipefail
umask 077

dir="${1:-$(dirname "$0")/../deploy/secrets}"
mkdir -p "$dir"

secret() {
  local name="$1"
  if [[ -s "$dir/$name" ]]; then
    echo "kept    $dir/$name"
  else
    openssl rand -hex 32 | tr -d '\n' >"$dir/$name"
    echo "created $dir/$name"
  fi
}

derived() {
  # Written from other secrets; regenerated whenever they are, so the URLs always match.
  local name="$1" value="$2"
  printf '%s' "$value" >"$dir/$name"
  echo "wrote   $dir/$name"
}

for name in postgres_password db_owner_password db_app_password redis_password \
            secret_key jwt_secret_key metrics_token; do
  secret "$name"
done

# Host names are the docker-compose service names.
derived database_owner_url "postgresql://erni_owner:$(<"$dir/db_owner_password")@postgres:5432/erni"
derived database_url "postgresql://erni_app:$(<"$dir/db_app_password")@postgres:5432/erni"
derived redis_url "redis://:$(<"$dir/redis_password")@redis:6379/0"
# Docker Compose bind-mounts file secrets with their host permissions and the containers run as
# other users (app 10001, postgres 999), so the files are world-readable and the directory is
# what keeps other host users out.
chmod 644 "$dir"/*
chmod 700 "$dir"
