#!/bin/sh
# docker-entrypoint-initdb.d hook of the postgres container (first start with an empty volume only):
# creates the owner and application roles of deploy/postgres/least-privilege.sql from the secrets.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db_name="$POSTGRES_DB" -v owner_role=erni_owner -v app_role=erni_app \
  -v owner_password="$(cat /run/secrets/db_owner_password)" \
  -v app_password="$(cat /run/secrets/db_app_password)" \
  -f /etc/erni/least-privilege.sql
